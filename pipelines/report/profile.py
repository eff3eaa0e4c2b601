"""Everything a county profile shows, read from the published warehouse.

Kept apart from the HTML so the data can be tested (and reused by a notebook) without parsing a page.
The queries live in ``sql/*.sql``, one per file; this module only binds parameters and shapes rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime
from importlib.resources import files

import duckdb


class CountyLookupError(ValueError):
    """NAME_OR_CODE does not pick exactly one county with data; the message says what to type instead."""


class UnknownCountyError(CountyLookupError):
    pass


class AmbiguousCountyError(CountyLookupError):
    def __init__(self, message: str, candidates: list[County]):
        super().__init__(message)
        self.candidates = candidates


class CountyWithoutDataError(CountyLookupError):
    pass


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: str | None
    province: str | None
    level: str | None
    former_names: tuple[str, ...]
    former_codes: tuple[str, ...]
    n_documents: int

    @property
    def full_name(self) -> str:
        """Province, city and name, leaving out placeholder cities (市辖区, 县, 直辖县) that name no city."""
        city = "" if self.city in (None, "市辖区", "县", "直辖县") else self.city
        return f"{self.province or ''}{city}{self.name}"


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    file_name: str
    path: str
    format: str
    year: int | None
    report_type: str
    issuer_role: str | None
    county_as_written: str | None


@dataclass(frozen=True)
class Evidence:
    """The sentence a figure came from, split around the figure's character span."""

    anchor: str  # the HTML id: ev-<indicator>-<year>
    file_name: str
    path: str
    location: str  # "第2页，第6段", "表1第3行第2列", ...
    section_path: tuple[str, ...]
    char_start: int  # in the document's normalised text (what `shufa text FILE` prints)
    char_end: int
    before: str
    figure: str
    after: str


@dataclass(frozen=True)
class Figure:
    """One indicator value of the county for one year (a row of indicator_values) and its evidence."""

    indicator_code: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    polarity: str
    year: int
    value: float | None
    lower: float | None
    upper: float | None
    qualifier: str | None
    masked: bool
    has_conflict: bool
    prev_year: int | None
    abs_change: float | None
    pct_change: float | None
    improved: bool | None
    province_median: float | None  # median of the province's counties with a known value that year (this one included)
    province_n_values: int  # how many counties that median is over
    source: str  # extracted | corrected (an analyst's value from the corrections file)
    correction_author: str | None
    correction_note: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Rank:
    """One row of county_rankings. rank_change is measured among the n_ranked_both counties ranked both
    last year and this year, so it compares across years; rank alone must be read with n_ranked."""

    indicator_code: str
    name_zh: str
    category: str
    polarity: str
    year: int
    rank: int
    n_ranked: int
    percentile: float | None
    rank_change: int | None
    percentile_change: float | None
    n_ranked_both: int | None
    province: str | None
    province_rank: int
    province_n: int


@dataclass(frozen=True)
class ScorecardYear:
    year: int
    score: float
    score_rank: int
    n_scored: int
    indicators_reported: int
    indicators_ranked: int
    coverage: float


@dataclass(frozen=True)
class CountyProfile:
    county: County
    documents: list[SourceDocument]
    figures: list[Figure]
    ranks: list[Rank]
    scorecard: list[ScorecardYear]
    built_at: datetime | None  # when the warehouse was built (UTC; ingest_runs), None when no build is recorded

    @property
    def years(self) -> list[int]:
        """Every year the county has a report or a figure for, in order (the x axis of every chart)."""
        found = {d.year for d in self.documents if d.year is not None} | {f.year for f in self.figures}
        return sorted(found)


def _sql(name: str) -> str:
    return files(__package__).joinpath("sql", f"{name}.sql").read_text("utf-8")


def _rows(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[dict]:
    cursor = con.execute(_sql(name), params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _county(row: dict) -> County:
    return _from_row(County, row, former_names=tuple(row["former_names"] or ()),
                     former_codes=tuple(row["former_codes"] or ()))


def _describe(county: County) -> str:
    reports = f"{county.n_documents} report(s) here" if county.n_documents else "no reports here"
    return f"{county.code} {county.name} ({county.full_name}; {reports})"


def resolve_county(con: duckdb.DuckDBPyConnection, name_or_code: str) -> County:
    """The one county NAME_OR_CODE means: a 6-digit code, or a name as in dim_county, optionally prefixed by
    its city or province (南通市通州区); a former code or name (450221, 柳江县) when a report here uses it.

    Raises UnknownCountyError, AmbiguousCountyError (listing every candidate with its code) or
    CountyWithoutDataError (the county exists but this warehouse has no report on it).
    """
    key = name_or_code.strip()
    by_code = re.fullmatch(r"\d{6}", key) is not None
    candidates = [_county(r) for r in _rows(con, "county_by_code" if by_code else "county_by_name", key=key)]
    if not candidates:
        what = f"the code {key}" if by_code else f"the name {key!r}"
        raise UnknownCountyError(
            f"no county-level division has {what} in dim_county, and no report here was filed under it; "
            "give a 6-digit code or a name as in dim_county, e.g. 平阳县 or 南通市通州区"
        )
    if len(candidates) > 1:
        listing = "\n".join(f"  {_describe(c)}" for c in candidates)
        raise AmbiguousCountyError(
            f"{key!r} names {len(candidates)} county-level divisions; pass one code (or prefix the city):\n{listing}",
            candidates,
        )
    county = candidates[0]
    if county.n_documents == 0:
        raise CountyWithoutDataError(f"{_describe(county)}: this warehouse has no report on it")
    return county


def county_with_most_data(con: duckdb.DuckDBPyConnection) -> County:
    """The county with the most indicator values here: a sensible default when nobody named one, on any
    warehouse (a notebook that names a sample county fails on a warehouse of other counties)."""
    found = _rows(con, "county_with_most_data")
    if not found:
        raise CountyWithoutDataError("this warehouse has no indicator values for any county: build it from reports first")
    return resolve_county(con, found[0]["county_code"])


def _location(row: dict) -> str:
    """Where a block sits, in the words a (Chinese) reader would use to find it in the original file."""
    parts = []
    if row["page"] is not None:
        parts.append(f"第{row['page']}页")
    if row["table_no"] is not None:
        parts.append(f"表{row['table_no']}第{row['row_no']}行第{row['col_no']}列")
    elif row["paragraph"] is not None:
        parts.append(f"第{row['paragraph']}段")
    return "，".join(parts) or "位置未记录"


def split_evidence(evidence: str, block_text: str, span_start: int, span_end: int,
                   col_no: int | None = None) -> tuple[str, str, str]:
    """(before, figure, after) of the evidence sentence, cut at the figure's exact character span.

    The span indexes the block; the evidence is either a sentence inside that block or, for a table
    cell, the whole row with cells joined by " | ". Falls back to the block itself when neither holds.
    """
    figure = block_text[span_start:span_end]
    position = block_text.find(evidence) if evidence else -1
    while position != -1:
        if position <= span_start and span_end <= position + len(evidence):
            offset = span_start - position
            return evidence[:offset], figure, evidence[offset + len(figure):]
        position = block_text.find(evidence, position + 1)
    cells = (evidence or "").split(" | ")
    if block_text in cells:
        fits_column = col_no is not None and 0 < col_no <= len(cells) and cells[col_no - 1] == block_text
        index = col_no - 1 if fits_column else cells.index(block_text)
        left = "".join(cell + " | " for cell in cells[:index])
        right = "".join(" | " + cell for cell in cells[index + 1:])
        return left + block_text[:span_start], figure, block_text[span_end:] + right
    return block_text[:span_start], figure, block_text[span_end:]


def evidence_anchor(indicator_code: str, year: int) -> str:
    return f"ev-{indicator_code}-{year}"


def _from_row(cls, row: dict, **extra):
    """An instance of dataclass CLS from the row's columns of the same names (the SQL names them so)."""
    return cls(**{f.name: row[f.name] for f in fields(cls) if f.name not in extra}, **extra)


def _figure(row: dict) -> Figure:
    before, figure, after = split_evidence(row["evidence"], row["block_text"], row["span_start"], row["span_end"],
                                           row["col_no"])
    evidence = Evidence(
        anchor=evidence_anchor(row["indicator_code"], row["year"]),
        file_name=row["file_name"] or row["source_path"].rsplit("/", 1)[-1],
        path=row["source_path"], location=_location(row), section_path=tuple(row["section_path"] or ()),
        char_start=row["char_start"], char_end=row["char_end"], before=before, figure=figure, after=after,
    )
    return _from_row(Figure, row, evidence=evidence)


def built_at(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the warehouse was built (UTC), from its latest ingest_runs row: a page must say how fresh it is."""
    return _rows(con, "built_at")[0]["built_at"]


def load_profile(con: duckdb.DuckDBPyConnection, name_or_code: str) -> CountyProfile:
    """The county NAME_OR_CODE means, with its reports, figures (and evidence), ranks, scorecard and the
    warehouse's build time."""
    county = resolve_county(con, name_or_code)
    code = county.code
    return CountyProfile(
        county=county,
        documents=[_from_row(SourceDocument, r) for r in _rows(con, "documents", county_code=code)],
        figures=[_figure(r) for r in _rows(con, "figures", county_code=code)],
        ranks=[_from_row(Rank, r) for r in _rows(con, "rankings", county_code=code)],
        scorecard=[_from_row(ScorecardYear, r) for r in _rows(con, "scorecard", county_code=code)],
        built_at=built_at(con),
    )
