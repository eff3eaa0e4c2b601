"""Who, when and what a report is: county (with admin code), year covered, type, issuer.

Sources are consulted in order of trust, field by field: what a person supplied (sidecar or
manifest), then the text, then the folder path and file name. A masked county (``**县``) or
an ambiguous one (通州区 is in Beijing and in Nantong, and nothing says which) is flagged and
left without a code: never guessed.

In the text, the county is the one the report's title names; a report without one often says
only 区政府 or 我县 and names itself once, in a heading, a document title or the site's name, so
the county the whole text names most is taken. An addressee line at the top (中共XX州委、XX州
人民政府:) names the superior the report is sent to and does not count. Traditional script is
read as simplified (東城區 → 东城区). The year is the title's; else the one the body names most;
else an anniversary it marks; else the page's publication date (see ``published_year``).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import PurePath

import cn2an

from ..ingest.normalize import t2s
from .admin_divisions import AdminUnit, admin_index, units_for_code

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|以来)")  # 2024以来 is written for 2024年以来
_YEAR_IN_PATH = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CHINESE_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
HEAD_CHARS = 300  # how much opening text stands in for a missing title
TITLE_LINE_CHARS = 60  # a line longer than this is prose, not a title
HEAD_LINES = 12  # how many opening lines may hold the report's title under a site's page header
_SENTENCE_END = re.compile(r"[。;;!?!?]")


@dataclass(frozen=True)
class Patterns:
    report_types: tuple[dict, ...]
    roles: tuple[str, ...]
    masked: re.Pattern[str]
    short_name_boundaries: str
    short_name_predecessors: tuple[str, ...]
    short_name_successors: tuple[str, ...]
    generic_names: frozenset[str]
    addressee_lines: int
    addressee_words: tuple[str, ...]
    clock: re.Pattern[str]
    published: re.Pattern[str]
    annual_report_months: frozenset[int]
    annual_report_words: tuple[str, ...]
    laws: dict[str, dict[str, int]]
    anniversary: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    data = tomllib.loads(files(__package__).joinpath("report_patterns.toml").read_text("utf-8"))
    county, year = data["county"], data["year"]
    labels = "|".join(sorted(map(re.escape, year["published_labels"]), key=len, reverse=True))
    laws = "|".join(sorted(map(re.escape, year["laws"]), key=len, reverse=True))
    return Patterns(
        report_types=tuple(data["report_type"]),
        roles=tuple(data["issuer"]["roles"]),
        masked=re.compile(county["masked_pattern"]),
        short_name_boundaries=county["short_name_boundaries"],
        short_name_predecessors=tuple(county["short_name_predecessors"]),
        short_name_successors=tuple(county["short_name_successors"]),
        generic_names=frozenset(county["generic_names"]),
        addressee_lines=county["addressee_lines"],
        addressee_words=tuple(county["addressee_words"]),
        clock=re.compile(year["clock_pattern"]),
        published=re.compile(rf"(?:{labels})[\s::|]*((?:19|20)\d{{2}})\s*[-/.年]\s*(\d{{1,2}})(?!\d)"),
        annual_report_months=frozenset(year["annual_report_months"]),
        annual_report_words=tuple(year["annual_report_words"]),
        laws=year["laws"],
        anniversary=re.compile(
            rf"(?:{laws})》?\s*(?:的)?\s*((?:颁布|公布|通过|施行|实施)+)\s*([0-9]+|[一二两三四五六七八九十]+)\s*周年"
        ),
    )


def simplified(text: str) -> str:
    """``text`` in simplified characters, so that 東城區 and 谷城縣 match their names.

    Metadata keeps no offsets into the text, so the length may change here (unlike the
    extractor's conversion, which must keep spans valid).
    """
    return t2s().convert(text) if text else text


@lru_cache(maxsize=1)
def _county_words() -> dict[str, str]:
    """Every way a county name is written → the name it stands for.

    Names as listed, short forms of autonomous counties (金平县), and the simplified spelling
    of the two names OpenCC changes (乾县 reads 干县 once a text is simplified).
    """
    index = admin_index()
    words = {name: name for name in index.by_name}
    for short, full in index.short_forms.items():
        words.setdefault(short, full)
    for word, name in list(words.items()):
        words.setdefault(simplified(word), name)
    return words


def _division_names() -> tuple[str, ...]:
    """Every name a scan looks for: county words, cities, provinces and their short names.

    One-character names (a province short name could be one) are never looked for.
    """
    index = admin_index()
    names = (*_county_words(), *index.city_names, *index.province_names, *index.province_short_names)
    return tuple(name for name in names if len(name) >= 2)


@lru_cache(maxsize=1)
def _name_lengths() -> dict[str, tuple[int, ...]]:
    """First two characters → the lengths of the division names starting with them, longest first.

    Scanning a whole report tries only these lengths at a position instead of every length,
    and none at all where no name starts with the two characters found there.
    """
    lengths: dict[str, set[int]] = {}
    for name in _division_names():
        lengths.setdefault(name[:2], set()).add(len(name))
    return {prefix: tuple(sorted(found, reverse=True)) for prefix, found in lengths.items()}


def _char_class(chars: set[str]) -> str:
    """A regex character class of exactly ``chars``."""
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


@lru_cache(maxsize=1)
def _name_start() -> re.Pattern[str]:
    """Where a division name may start: a character some name begins with, then one that is
    second in some name (not necessarily the same one).

    Most characters of a report cannot start a name; this lets the regex engine step over
    them in C (stepping over them one by one in Python was most of the cost of a document's
    metadata). The positions it lets through are then checked against ``_name_lengths``.
    """
    names = _division_names()
    return re.compile(_char_class({n[0] for n in names}) + "(?=" + _char_class({n[1] for n in names}) + ")")


@lru_cache(maxsize=1)
def _latest_year() -> int:
    return max(u.last_year for u in admin_index().units)


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


def _belongs_to(name: str, parent: str) -> bool:
    """Whether some unit called ``name`` lies in the city or province called ``parent``."""
    return any(
        u.city == parent or u.province == parent or u.province.startswith(parent)
        for u in admin_index().by_name.get(name, ())
    )


def _name_stands(text: str, i: int, word: str, name: str, parent: str | None) -> bool:
    """Whether ``word``, a short or word-like name read at ``i``, is the county ``name`` here.

    ``parent`` is the city or province name that ends right at ``i``, if any (信阳市息县).
    """
    if parent is not None and _belongs_to(name, parent):
        return True
    rules = patterns()
    if word in rules.generic_names and len(word) == 2:
        return False
    if i == 0:  # a title that opens with it: 泸县述法报告
        return True
    before = text[i - 1]
    starts = (
        before.isdigit()
        or before == "年"
        or before in rules.short_name_boundaries
        or text.endswith(rules.short_name_predecessors, 0, i)
    )
    after = text[i + len(word) :]
    return starts and (after[:1].isdigit() or after.startswith(rules.short_name_successors))


def _name_positions(text: str) -> list[int]:
    """The positions in ``text`` whose first two characters begin a division name, in order."""
    starts = _name_lengths()
    return [i for i in map(re.Match.start, _name_start().finditer(text)) if text[i : i + 2] in starts]


def find_mentions(text: str, look_for_mask: bool = True) -> Mentions:
    """Scan ``text`` for county, city and province names, longest match first at each position.

    Counties are listed under the name they stand for. A short form that was never a unit's own
    name is listed under the full name at once; one that was (金平县 until 1984) is listed as
    written and ``resolve_county`` decides by year. Without ``look_for_mask``, ``masked`` stays
    False: searching a whole report for ``**县`` costs a third of the scan, and a caller that
    needs it only in some cases searches then.
    """
    index = admin_index()
    words = _county_words()
    starts = _name_lengths()
    found = Mentions(masked=look_for_mask and bool(patterns().masked.search(text)))
    n, end = len(text), 0  # end: where the name read last ends
    parent: tuple[int, str] | None = None  # (end, name) of the city or province just read
    for i in _name_positions(text):
        if i < end:  # inside the name just read
            continue
        for length in starts[text[i : i + 2]]:
            if i + length > n:
                continue
            word = text[i : i + length]
            county = words.get(word)
            is_city = word in index.city_names
            is_province = word in index.province_names or word in index.province_short_names
            if not (county or is_city or is_province):
                continue
            if county and (length == 2 or word in patterns().generic_names) and not (is_city or is_province):
                # 泸县, 息县, 新城区: such a name needs a context that makes it a name
                just_before = parent[1] if parent and parent[0] == i else None
                if not _name_stands(text, i, word, county, just_before):
                    continue
            if county:
                found.counties.append(county)
            if is_city:
                found.cities.append(word)
            if is_province:
                found.provinces.append(word)
            end = i + length
            parent = (end, word) if (is_city or is_province) else None
            break
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
    index = admin_index()
    candidates = index.by_name.get(name, ())
    full = index.short_forms.get(name)
    if full and not any(u.valid_in(year or _latest_year()) for u in candidates):
        name, candidates = full, index.by_name[full]  # 金平县 in 2025 is 金平苗族瑶族傣族自治县
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


def _is_county_in(name: str, year: int | None) -> bool:
    """False for a city's name that was a county-level unit only long ago (新乡市 until 1982).

    In 新乡市人民政府 the prefecture-level city is meant, not the county-level unit of 1980.
    """
    index = admin_index()
    if name not in index.city_names:
        return True
    return any(u.valid_in(year or _latest_year()) for u in index.by_name.get(name, ()))


def resolve_mentions(mentions: Mentions, year: int | None) -> CountyResolution | None:
    """Resolve the first county named (a title names its own county first); None when none is named or masked."""
    counties = [c for c in mentions.counties if _is_county_in(c, year)]
    if counties:
        return resolve_county(counties[0], year, mentions)
    if mentions.masked:
        return CountyResolution("masked")
    return None


def subject_county(mentions: Mentions, year: int | None) -> str | None:
    """The county a whole text is about: the one it names most, the first named on a tie."""
    counties = [c for c in mentions.counties if _is_county_in(c, year)]
    if not counties:
        return None
    counts = Counter(counties)
    return max(counts, key=lambda c: (counts[c], -counties.index(c)))


def _without_dates(text: str) -> str:
    """``text`` without a site's clock (2019年12月3日星期二) and publication dates: neither is a year covered."""
    rules = patterns()
    return rules.published.sub(" ", rules.clock.sub(" ", text))


def year_in_title(title: str) -> int | None:
    title = _without_dates(title)
    match = _YEAR_IN_TEXT.search(title)
    if match:
        return int(match.group(1))
    chinese = _CHINESE_YEAR.search(title)
    if chinese:
        return int("".join(_CHINESE_DIGITS[c] for c in chinese.group(1)))
    return None


def year_in_body(text: str) -> int | None:
    """The year a report talks about most: ``2022年`` throughout a report means it covers 2022."""
    counts = Counter(int(y) for y in _YEAR_IN_TEXT.findall(_without_dates(text)))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def _numeral(text: str) -> int | None:
    """二 → 2, 十二 → 12, 两 → 2, 42 → 42 (cn2an, as the extractor reads numerals); None for anything else."""
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


def year_of_anniversary(text: str) -> int | None:
    """《法律援助法》实施两周年 dates a page to 2024: the law took effect in 2022."""
    rules = patterns()
    for match in rules.anniversary.finditer(text):
        law = next(name for name in sorted(rules.laws, key=len, reverse=True) if name in match.group(0))
        years = _numeral(match.group(2))
        if years:
            kind = "in_force" if match.group(1).startswith(("施行", "实施")) else "promulgated"  # 颁布实施 counts from 颁布
            return rules.laws[law][kind] + years
    return None


def published_year(text: str, annual_report: bool, published: str | None = None) -> int | None:
    """The year a page without a year of its own covers, from its publication line (发布时间:2024-08-15)
    or, failing that, the date its web page declares (``published``, ISO).

    A news page (近日, 日前) covers the year it was published; an annual report published early
    in the next year (January–March, see report_patterns.toml) covers the year before.
    """
    match = patterns().published.search(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    elif published and re.match(r"(?:19|20)\d{2}-\d{2}", published):
        year, month = int(published[:4]), int(published[5:7])
    else:
        return None
    if annual_report and month in patterns().annual_report_months:
        return year - 1
    return year


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


def _is_addressee(line: str) -> bool:
    """中共红河州委、红河州人民政府: — the superiors a report is sent to, at its top."""
    line = line.strip()
    return (
        line.endswith((":", ":"))
        and not re.search(r"[,,。;;]", line)
        and any(word in line for word in patterns().addressee_words)
    )


def report_title_line(lines: list[str]) -> str | None:
    """The first short opening line that names a report (静海区2025年度法治政府建设情况报告).

    A web page may open with its site's header (天津市静海区人民政府 2019年12月3日星期二), which
    the reader takes for the title; the report's own title is a few lines below.
    """
    for line in lines[:HEAD_LINES]:
        line = line.strip()
        if 0 < len(line) <= TITLE_LINE_CHARS and not _SENTENCE_END.search(line) and classify_report(line) != "other":
            return line
    return None


def detect_metadata(
    relative_path: PurePath, title: str | None, text: str, supplied: dict | None = None, supplied_source: str | None = None,
    page_title: str | None = None, published: str | None = None,
) -> DocumentMetadata:
    """Metadata for one document. ``text`` is the normalised body; ``title`` its title line if it has one.

    A web page adds its ``page_title`` (read like a heading: 关于…的报告_某某县人民政府 names the report
    and the site's county) and its declared ``published`` date (for the year, when the text has none).
    """
    meta = DocumentMetadata(title=title)
    rules = patterns()
    path_text = simplified("/".join(relative_path.with_suffix("").parts))
    lines = simplified(text).split("\n")
    own_title = simplified(title) if title else None
    if own_title and _is_addressee(own_title):
        own_title = None
    body = "\n".join(line for i, line in enumerate(lines) if not (i < rules.addressee_lines and _is_addressee(line)))
    title_line = report_title_line(lines)
    headings = [h for h in dict.fromkeys((own_title, title_line, simplified(page_title) if page_title else None)) if h]

    if supplied:
        _from_supplied(meta, supplied, supplied_source or "sidecar")

    if meta.report_type == "other":  # the opening stands in only for a missing title
        for source in (*headings, *([] if own_title else [body[:HEAD_CHARS]]), relative_path.stem):
            meta.report_type = classify_report(source)
            if meta.report_type != "other":
                break

    if meta.year is None:
        # only a title says a page is an annual report: a news page's opening may mention one
        annual = any(classify_report(h) != "other" or any(w in h for w in rules.annual_report_words) for h in headings)
        for source, find in (
            ("title", lambda: next(filter(None, map(year_in_title, headings)), None)),
            ("body", lambda: year_in_body(body)),
            ("body", lambda: year_of_anniversary(body)),
            ("published", lambda: published_year(body, annual, published)),
            ("path", lambda: year_in_path(relative_path)),
        ):
            year = find()
            if year is not None:
                meta.year, meta.year_source = year, source
                break

    if meta.county_source is None:
        head_mentions = Mentions()
        for heading in headings:
            head_mentions.extend(find_mentions(heading))
        whole = find_mentions(body, look_for_mask=False)  # whether it is masked is asked below, when it matters
        path_mentions = find_mentions(path_text)
        hints = Mentions()
        for mentions in (head_mentions, whole, path_mentions):
            hints.extend(mentions)
        named = [c for c in head_mentions.counties if _is_county_in(c, meta.year)]
        if not (named or head_mentions.masked):
            # a masked name (**县人民政府) in the opening before any county is named, or anywhere
            # in a text naming none, marks the report as masked: other counties it names are not its own
            mask = rules.masked.search(body[:HEAD_CHARS])
            head_mentions.masked = bool(mask) and not find_mentions(body[: mask.start()]).counties
            subject = None if head_mentions.masked else subject_county(whole, meta.year)
            named = [subject] if subject else []
            head_mentions.masked = head_mentions.masked or (not named and bool(rules.masked.search(body)))
        if named:
            _apply_resolution(meta, resolve_county(named[0], meta.year, hints), "text")
        else:
            path_resolution = resolve_mentions(path_mentions, meta.year)
            if path_resolution is not None and path_resolution.status != "masked":
                _apply_resolution(meta, path_resolution, "path")
            elif head_mentions.masked or path_resolution is not None:
                _apply_resolution(meta, CountyResolution("masked"), "text" if head_mentions.masked else "path")
            else:
                meta.flags.append("county_unknown")

    if meta.issuer_role is None:
        meta.issuer_role = issuer_role(own_title or "") or issuer_role(relative_path.stem)
    if meta.year is None:
        meta.flags.append("year_unknown")
    return meta
