"""Run the Dagster assets in process and summarise what the warehouse now holds.

``shufa build`` calls this. It materializes the same assets and checks ``dagster dev``
shows, with resources pointing at the folders given on the command line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from .defs.resources import build_resources
from .definitions import defs


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
    run: dict = field(default_factory=dict)  # this run's ingest_runs row


# Tables of figures, counted in the summary when they exist.
FIGURE_TABLES = ("quantities", "indicator_facts", "indicator_values", "indicator_conflicts")


def _instance() -> dg.DagsterInstance:
    """Run history goes to DAGSTER_HOME when it is set, else stays in memory for this process."""
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()


def _root_cause(error) -> str:
    """The innermost error message (Dagster wraps the user's exception in its own)."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


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
        latest = con.execute("SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1")
        row = latest.fetchone()
        if row:
            summary.run = dict(zip([d[0] for d in latest.description], row))
    return summary


def build(raw_dir: Path, warehouse: Path, log_level: str = "WARNING", full_refresh: bool = False,
          progress: bool = False) -> BuildSummary:
    definitions = defs()
    result = dg.materialize(
        [*definitions.assets, *definitions.asset_checks],
        resources=build_resources(raw_dir, warehouse, full_refresh=full_refresh, progress=progress),
        instance=_instance(),
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        raise_on_error=False,
    )
    failed_checks = [
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]
    if not result.success:
        messages = [
            f"{event.step_key}: {_root_cause(event.step_failure_data.error)}"
            for event in result.all_events
            if event.is_step_failure and event.step_failure_data.error is not None
        ]
        return BuildSummary(success=False, failed_checks=failed_checks, failure="\n".join(messages) or "the run failed")
    summary = summarise(warehouse)
    summary.failed_checks = failed_checks
    return summary
