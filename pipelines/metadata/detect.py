"""Who, when and what a report is: county (with admin code), year covered, type, issuer.

Sources are consulted in order of trust, field by field: what a person supplied (sidecar or
manifest), then the title and opening lines of the text, then the folder path and file
name. A masked county (``**县``) or an ambiguous one (通州区 is in Beijing and in Nantong,
and nothing says which) is flagged and left without a code: never guessed.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import PurePath

from .admin_divisions import AdminUnit, admin_index, units_for_code

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YEAR_IN_PATH = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CHINESE_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
HEAD_CHARS = 300  # how much opening text stands in for a missing title


@dataclass(frozen=True)
class Patterns:
    report_types: tuple[dict, ...]
    roles: tuple[str, ...]
    masked: re.Pattern[str]
    short_name_predecessors: tuple[str, ...]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    data = tomllib.loads(files(__package__).joinpath("report_patterns.toml").read_text("utf-8"))
    return Patterns(
        report_types=tuple(data["report_type"]),
        roles=tuple(data["issuer"]["roles"]),
        masked=re.compile(data["county"]["masked_pattern"]),
        short_name_predecessors=tuple(data["county"]["short_name_predecessors"]),
    )


@dataclass
class Mentions:
    """Division names found in a piece of text, in order of appearance."""

    counties: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    masked: bool = False

    def extend(self, other: "Mentions") -> None:
        self.counties += other.counties
        self.cities += other.cities
        self.provinces += other.provinces
        self.masked = self.masked or other.masked


def find_mentions(text: str) -> Mentions:
    """Scan ``text`` for county, city and province names, longest match first at each position."""
    index = admin_index()
    found = Mentions(masked=bool(patterns().masked.search(text)))
    i, n = 0, len(text)
    previous_end = -1
    while i < n:
        for length in range(min(index.max_name_len, n - i), 1, -1):
            word = text[i : i + length]
            is_county = word in index.by_name
            is_city = word in index.city_names
            is_province = word in index.province_names or word in index.province_short_names
            if not (is_county or is_city or is_province):
                continue
            if is_county and length == 2 and not (is_city or is_province):
                # 泸县, 云县: accept only where a name can start (see report_patterns.toml).
                before = text[:i]
                if not (i == 0 or previous_end == i or before.endswith(patterns().short_name_predecessors)):
                    continue
            if is_county:
                found.counties.append(word)
            if is_city:
                found.cities.append(word)
            if is_province:
                found.provinces.append(word)
            i += length
            previous_end = i
            break
        else:
            i += 1
    return found


@dataclass
class CountyResolution:
    status: str  # resolved | ambiguous | masked | unknown | not_found
    name: str | None = None
    unit: AdminUnit | None = None
    candidates: tuple[AdminUnit, ...] = ()


def _matches_hints(unit: AdminUnit, hints: Mentions) -> bool:
    provinces = set(hints.provinces)
    return unit.city in hints.cities or unit.province in provinces or any(
        unit.province.startswith(p) for p in provinces
    )


def resolve_county(name: str, year: int | None, hints: Mentions) -> CountyResolution:
    """The admin unit ``name`` means in ``year``, using named cities/provinces to break ties."""
    candidates = admin_index().by_name.get(name, ())
    if not candidates:
        return CountyResolution("not_found", name=name)
    if year is not None and any(u.valid_in(year) for u in candidates):
        candidates = tuple(u for u in candidates if u.valid_in(year))
    hinted = tuple(u for u in candidates if _matches_hints(u, hints))
    if hinted:
        candidates = hinted
    lineages = {u.lineage_code for u in candidates}
    if len(lineages) > 1:
        return CountyResolution("ambiguous", name=name, candidates=candidates)
    best = max(candidates, key=lambda u: u.last_year)
    return CountyResolution("resolved", name=name, unit=best, candidates=candidates)


def resolve_mentions(mentions: Mentions, year: int | None) -> CountyResolution | None:
    """Resolve the first county named (a report names itself first); None when none is named or masked."""
    if mentions.counties:
        return resolve_county(mentions.counties[0], year, mentions)
    if mentions.masked:
        return CountyResolution("masked")
    return None


def year_in_title(title: str) -> int | None:
    match = _YEAR_IN_TEXT.search(title)
    if match:
        return int(match.group(1))
    chinese = _CHINESE_YEAR.search(title)
    if chinese:
        return int("".join(_CHINESE_DIGITS[c] for c in chinese.group(1)))
    return None


def year_in_body(text: str) -> int | None:
    """The year a report talks about most: ``2022年`` throughout a report means it covers 2022."""
    counts = Counter(int(y) for y in _YEAR_IN_TEXT.findall(text))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def year_in_path(path: PurePath) -> int | None:
    for part in reversed(path.parts):
        match = _YEAR_IN_PATH.search(part)
        if match:
            return int(match.group(1))
    return None


def classify_report(text: str) -> str:
    for rule in patterns().report_types:
        if all(w in text for w in rule.get("all", [])) and (
            "any" not in rule or any(w in text for w in rule["any"])
        ):
            return rule["value"]
    return "other"


def issuer_role(text: str) -> str | None:
    for role in patterns().roles:
        if role in text:
            return role
    return None


@dataclass
class DocumentMetadata:
    title: str | None = None
    county: str | None = None
    county_code: str | None = None
    county_lineage_code: str | None = None
    city: str | None = None
    province: str | None = None
    county_status: str = "unknown"
    county_source: str | None = None
    year: int | None = None
    year_source: str | None = None
    report_type: str = "other"
    issuer_role: str | None = None
    flags: list[str] = field(default_factory=list)

    def apply_unit(self, unit: AdminUnit) -> None:
        self.county, self.county_code, self.county_lineage_code = unit.name, unit.code, unit.lineage_code
        self.city, self.province = unit.city, unit.province


def _from_supplied(meta: DocumentMetadata, supplied: dict, source: str) -> None:
    if "year" in supplied:
        meta.year, meta.year_source = supplied["year"], source
    code = supplied.get("county_code")
    if code:
        units = units_for_code(code)
        if units:
            in_year = [u for u in units if meta.year is None or u.valid_in(meta.year)] or list(units)
            meta.apply_unit(max(in_year, key=lambda u: u.last_year))
            meta.county_status, meta.county_source = "resolved", source
        else:
            meta.flags.append(f"{source}_county_code_unknown")
    if meta.county_source is None and supplied.get("county"):
        hints = Mentions(cities=[supplied.get("city", "")], provinces=[supplied.get("province", "")])
        resolution = resolve_county(supplied["county"], meta.year, hints)
        _apply_resolution(meta, resolution, source)
    if "report_type" in supplied:
        meta.report_type = supplied["report_type"]
    if "issuer_role" in supplied:
        meta.issuer_role = supplied["issuer_role"]


def _apply_resolution(meta: DocumentMetadata, resolution: CountyResolution, source: str) -> None:
    meta.county_status, meta.county_source = resolution.status, source
    if resolution.unit is not None:
        meta.apply_unit(resolution.unit)
    else:
        meta.county = resolution.name
    if resolution.status == "ambiguous":
        codes = ",".join(sorted({u.code for u in resolution.candidates}))
        meta.flags.append(f"county_ambiguous: {resolution.name} could be {codes}")
    elif resolution.status == "not_found":
        meta.flags.append(f"county_not_found: {resolution.name}")
    elif resolution.status == "masked":
        meta.flags.append("county_masked")


def detect_metadata(
    relative_path: PurePath, title: str | None, text: str, supplied: dict | None = None, supplied_source: str | None = None
) -> DocumentMetadata:
    """Metadata for one document. ``text`` is the normalised body; ``title`` its title line if it has one."""
    meta = DocumentMetadata(title=title)
    head = title if title else text[:HEAD_CHARS]
    path_text = "/".join(relative_path.with_suffix("").parts)

    if supplied:
        _from_supplied(meta, supplied, supplied_source or "sidecar")

    if meta.year is None:
        for source, year in (("title", year_in_title(title or "")), ("body", year_in_body(text)), ("path", year_in_path(relative_path))):
            if year is not None:
                meta.year, meta.year_source = year, source
                break

    if meta.county_source is None:
        head_mentions = find_mentions(title) if title else Mentions()
        if not (head_mentions.counties or head_mentions.masked):  # the title is silent: read the opening
            head_mentions.extend(find_mentions(text[:HEAD_CHARS]))
        if not head_mentions.counties:  # a name masked anywhere (**县人民政府) marks the report as masked
            head_mentions.masked = head_mentions.masked or bool(patterns().masked.search(text))
        path_mentions = find_mentions(path_text)
        text_resolution = resolve_mentions(head_mentions, meta.year)
        if text_resolution is not None and text_resolution.status != "masked":
            if text_resolution.status == "ambiguous":  # the opening lines or the folder may say which one
                hints = Mentions()
                hints.extend(head_mentions)
                hints.extend(find_mentions(text[:HEAD_CHARS]))
                hints.extend(path_mentions)
                text_resolution = resolve_county(text_resolution.name, meta.year, hints)
            _apply_resolution(meta, text_resolution, "text")
        else:
            path_resolution = resolve_mentions(path_mentions, meta.year)
            if path_resolution is not None and path_resolution.status != "masked":
                _apply_resolution(meta, path_resolution, "path")
            elif text_resolution is not None or path_resolution is not None:
                _apply_resolution(meta, CountyResolution("masked"), "text" if text_resolution else "path")
            else:
                meta.flags.append("county_unknown")

    if meta.report_type == "other":
        meta.report_type = classify_report(head)
        if meta.report_type == "other":
            meta.report_type = classify_report(relative_path.stem)
    if meta.issuer_role is None:
        meta.issuer_role = issuer_role(title or "") or issuer_role(relative_path.stem)
    if meta.year is None:
        meta.flags.append("year_unknown")
    return meta
