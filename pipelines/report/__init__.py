"""County profiles: ``shufa report --county NAME_OR_CODE`` writes one standalone HTML page per county.

``profile`` reads the data (SQL in ``sql/``), ``render`` turns it into HTML with inline SVG charts,
``fonts`` makes matplotlib draw Chinese labels for the notebooks.
"""

from __future__ import annotations

from pathlib import Path

from .profile import (AmbiguousCountyError, CountyLookupError, CountyWithoutDataError, UnknownCountyError,
                      load_profile, resolve_county)

DEFAULT_OUT_DIR = Path("data/reports")  # relative to the working directory, like the other defaults

__all__ = [
    "DEFAULT_OUT_DIR", "AmbiguousCountyError", "CountyLookupError", "CountyWithoutDataError", "UnknownCountyError",
    "load_profile", "resolve_county", "report_file_name", "write_report",
]


def report_file_name(code: str, name: str) -> str:
    return f"{code}-{name}.html"


def write_report(warehouse: Path, county: str, out_dir: Path) -> Path:
    """Write the county's profile to OUT_DIR/<code>-<name>.html and return that path.

    Opens the warehouse read-only, so it can run while a build is publishing. Raises FileNotFoundError
    when the warehouse does not exist and a CountyLookupError when COUNTY picks no single county with data.
    """
    import duckdb

    from .render import render_profile

    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `shufa build` first (or pass --warehouse)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        profile = load_profile(con, county)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_file_name(profile.county.code, profile.county.name)
    path.write_text(render_profile(profile), encoding="utf-8")
    return path
