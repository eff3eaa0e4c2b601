"""What the published warehouse holds, in the few numbers a build prints.

Kept apart from the Dagster run (pipelines/build.py) so that a build skipped because nothing
changed can print the same summary without importing Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb


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


# Tables of figures, counted in the summary when they exist.
FIGURE_TABLES = ("quantities", "indicator_facts", "indicator_values", "indicator_conflicts")


def summarise(warehouse: Path) -> BuildSummary:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        summary = BuildSummary(
            success=True,
            documents=con.execute("SELECT count(*) FROM documents WHERE status = 'ingested'").fetchone()[0],
            failed=con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0],
            blocks=con.execute(
                "SELECT count(*) FROM document_blocks JOIN documents USING (doc_id) WHERE status = 'ingested'"
            ).fetchone()[0],
            errors=con.execute("SELECT path, error_kind, reason FROM ingest_errors ORDER BY path").fetchall(),
        )
        for table in FIGURE_TABLES:
            if table in tables:
                summary.figures[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if "indicator_corrections" in tables:
            summary.corrections = dict(con.execute(
                "SELECT status, count(*) FROM indicator_corrections GROUP BY status ORDER BY status").fetchall())
        latest = con.execute("SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1")
        row = latest.fetchone()
        if row:
            summary.run = dict(zip([d[0] for d in latest.description], row))
    return summary
