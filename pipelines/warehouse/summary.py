"""What the published warehouse holds, in the few numbers a build prints.

Kept apart from the Dagster run (pipelines/build.py) so that a build skipped because nothing
changed can print the same summary without importing Dagster. The queries are in sql/summary_*.sql.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .sql import load_sql


@dataclass
class BuildSummary:
    success: bool
    documents: int = 0
    failed: int = 0
    blocks: int = 0
    figures: dict[str, int] = field(default_factory=dict)  # table -> rows, for extraction tables present
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, reason)
    failed_checks: list[str] = field(default_factory=list)
    failure: str | None = None  # why the run failed, when it did
    locked: bool = False  # another build of the warehouse was running; nothing was done
    run: dict = field(default_factory=dict)  # this run's ingest_runs row
    corrections: dict[str, int] = field(default_factory=dict)  # status -> lines of the corrections file
    attribution: dict[str, int] = field(default_factory=dict)  # reason -> documents (summary_document_attribution.sql)
    values_note: str | None = None  # why documents gave no county-year value, when some did not (no_values_note)


# Tables of figures, counted in the summary when they exist.
FIGURE_TABLES = ("quantities", "indicator_facts", "indicator_values", "indicator_conflicts")

# Why a document gives no county-year value: (singular, plural, what it means). The keys are the reasons of
# summary_document_attribution.sql: documents.county_status for a document without a county code, then
# no_facts and no_year.
UNATTRIBUTED = {
    "masked": ("has a masked county", "have a masked county", "the report hides its county's name: **县, ××县, XX县"),
    "unknown": ("names no county", "name no county", "none in the title, the text, or the folder and file name"),
    "ambiguous": ("names an ambiguous county", "name an ambiguous county",
                  "several county-level divisions bear the name: see documents.metadata_flags"),
    "not_found": ("names a county not in the division list", "name a county not in the division list",
                  "see documents.metadata_flags"),
    "no_year": ("has figures of no known year", "have figures of no known year",
                "no year in the title, the text or the path"),
    "no_facts": ("holds no catalog figure", "hold no catalog figure", "see `shufa extract --explain FILE`"),
}
COUNTY_REASONS = ("masked", "unknown", "ambiguous", "not_found")
COUNTY_HINT = "name the county in a <file>.meta.json sidecar or a manifest.csv beside the files"


def _reason_phrase(reason: str, n: int, *, all_of: int | None = None) -> str:
    """``2 have a masked county (…)``, or with ALL_OF ``all 3 documents have …`` / ``the only document has …``."""
    one, many, why = UNATTRIBUTED.get(reason, (f"has county status {reason}", f"have county status {reason}", ""))
    if all_of is None:
        head = f"{n} {one if n == 1 else many}"
    elif all_of == 1:
        head = f"the only document {one}"
    else:
        head = f"all {all_of} documents {many}"
    return head + (f" ({why})" if why else "")


def no_values_note(attribution: dict[str, int], values: int | None, failed: int) -> str | None:
    """Why documents gave no county-year value, in one line; None when every document can give one.

    A build whose reports all mask their county used to print ``indicator_values: 0`` and nothing else,
    which reads as a broken extractor; the reasons come from the documents' metadata (ATTRIBUTION: reason
    -> documents). VALUES is the indicator_values row count (None when there is no such table).
    """
    if values is None:
        return None
    documents = sum(attribution.values())
    missing = {reason: n for reason, n in attribution.items() if reason != "attributed"}
    hint = f"; {COUNTY_HINT}" if any(r in missing for r in COUNTY_REASONS) else ""
    if documents == 0:
        return None if values else (
            "0 county-year values: no document was ingested" + (f" ({failed} file(s) failed, listed below)" if failed else ""))
    if not missing:
        return None
    if values == 0:
        if len(missing) == 1 and not attribution.get("attributed"):
            (reason, n), = missing.items()
            return f"0 county-year values: {_reason_phrase(reason, n, all_of=n)}{hint}"
        parts = ", ".join(_reason_phrase(reason, n) for reason, n in missing.items())
        return f"0 county-year values: of {documents} documents, {parts}{hint}"
    parts = ", ".join(_reason_phrase(reason, n) for reason, n in missing.items())
    n = sum(missing.values())
    return f"{n} of {documents} documents {'gives' if n == 1 else 'give'} no county-year value: {parts}{hint}"


def summarise(warehouse: Path) -> BuildSummary:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        documents, failed, blocks = con.execute(load_sql("summary_counts")).fetchone()
        summary = BuildSummary(success=True, documents=documents, failed=failed, blocks=blocks,
                               errors=con.execute(load_sql("summary_errors")).fetchall())
        for table in FIGURE_TABLES:
            if table in tables:  # the name is one of FIGURE_TABLES, never the user's
                summary.figures[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if "indicator_corrections" in tables:
            summary.corrections = dict(con.execute(load_sql("summary_corrections")).fetchall())
        if "indicator_facts" in tables:
            summary.attribution = dict(con.execute(load_sql("summary_document_attribution")).fetchall())
            summary.values_note = no_values_note(summary.attribution, summary.figures.get("indicator_values"), failed)
        latest = con.execute(load_sql("summary_latest_run"))
        row = latest.fetchone()
        if row:
            summary.run = dict(zip([d[0] for d in latest.description], row))
    return summary
