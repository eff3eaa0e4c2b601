"""County profiles: ``shufa report --county NAME_OR_CODE`` writes one standalone HTML page per county.

``profile`` reads the data (SQL in ``sql/``), ``render`` turns it into HTML with inline SVG charts,
``fonts`` makes matplotlib draw Chinese labels for the notebooks, ``labels`` gives the Chinese words for the
codes the warehouse stores (categories, polarity, coverage status) to the page and the notebook alike.
"""

from __future__ import annotations

from pathlib import Path

from .connection import connect_read_only
from .profile import (AmbiguousCountyError, CountyLookupError, CountyWithoutDataError, UnknownCountyError,
                      county_with_most_data, load_profile, resolve_county)

DEFAULT_OUT_DIR = Path("data/reports")  # relative to the working directory, like the other defaults

__all__ = [
    "DEFAULT_OUT_DIR", "AmbiguousCountyError", "CountyLookupError", "CountyWithoutDataError", "ReportOutputError",
    "UnknownCountyError", "check_output_folder", "connect_read_only", "county_with_most_data", "load_profile",
    "resolve_county",
    "report_file_name", "write_report",
]


class ReportOutputError(OSError):
    """The report cannot be written where it was asked to go (OUT_DIR is a file, not writable, ...)."""


def report_file_name(code: str, name: str) -> str:
    """<code>-<name>.html; a path separator in the name (it comes from the data) cannot leave the folder."""
    safe = "".join("_" if ch in '/\\\0' else ch for ch in name)
    return f"{code}-{safe}.html"


def check_output_folder(out_dir: Path) -> None:
    """Refuse, before any work, an output folder that is a file or lies under one."""
    for folder in (out_dir, *out_dir.parents):
        if folder.is_dir():
            return
        if folder.exists():
            if folder == out_dir:
                raise ReportOutputError(f"output folder {out_dir} is an existing file, not a folder")
            raise ReportOutputError(f"output folder {out_dir} cannot be made: {folder} is an existing file, not a folder")


def write_report(warehouse: Path, county: str, out_dir: Path) -> Path:
    """Write the county's profile to OUT_DIR/<code>-<name>.html and return that path.

    Opens the warehouse read-only, with no access to anything else (``connect_read_only``), so it can run
    while a build is publishing. Raises FileNotFoundError when the warehouse does not exist, a
    CountyLookupError when COUNTY picks no single county with data, and ReportOutputError when OUT_DIR
    is an existing file or the page cannot be written there (checked before the warehouse is read).
    """
    from .render import render_profile

    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `shufa build` first (or pass --warehouse)")
    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    with connect_read_only(warehouse) as con:
        profile = load_profile(con, county)
    path = out_dir / report_file_name(profile.county.code, profile.county.name)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(render_profile(profile), encoding="utf-8")
    except OSError as error:
        raise ReportOutputError(f"cannot write {path}: {error.strerror or error}") from error
    return path
