"""The two ends of every build: the draft it writes into, and the audited publication.

``warehouse_draft`` comes first (every writing asset depends on it); ``published_warehouse``
comes last (it depends on every table and model), runs every data test and asset-check query
against the draft, and replaces the published file only if none fails. A failed audit leaves
the previous warehouse published and says which tests failed.
"""

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from ...models.project import load_models
from ..audit import run_audit
from ..resources import ParsedBatches, Publication, WarehouseBuildLock

GROUP = "publish"
SOURCE_TABLES = ["admin_divisions", "documents", "document_files", "document_blocks", "ingest_errors", "ingest_runs",
                 "quantities", "indicator_facts", "extractions", "indicator_catalog", "corrections"]


@dg.asset(group_name=GROUP, description="A fresh draft of the warehouse (a copy of the published one) for this build to write.")
def warehouse_draft(publication: Publication, build_lock: WarehouseBuildLock) -> dg.MaterializeResult:
    publication.start_draft()  # under build_lock, held until the run ends
    return dg.MaterializeResult(metadata={"draft": str(publication.draft), "from_published": publication.published.exists()})


@dg.asset(
    group_name=GROUP,
    deps=SOURCE_TABLES + [m.name for m in load_models()],
    description="The audited warehouse analysts read: the draft, once every data test passes, moved over atomically.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: DuckDBResource, publication: Publication,
                        parsed_batches: ParsedBatches):
    context.log.info(f"auditing the draft {publication.draft}")
    results = run_audit(warehouse)
    failed = [r for r in results if not r.passed and r.severity == "error"]
    warned = [r for r in results if not r.passed and r.severity == "warn"]
    for r in warned:
        context.log.warning(f"data test {r.name} warns: {r.offending_rows} row(s)")
    if failed:
        lines = "\n".join(f"  {r.name} ({r.asset}): {r.offending_rows} offending row(s), e.g. {r.sample[:1]}" for r in failed)
        raise dg.Failure(
            f"audit failed, {publication.published} left as it was; the draft is kept at {publication.draft}:\n{lines}"
        )
    context.log.info(f"audit passed ({len(results)} tests); publishing to {publication.published}")
    publication.publish()
    with duckdb.connect(str(publication.published), read_only=True) as con:
        pruned = parsed_batches.store.prune(con)  # what the published warehouse now holds whole
    return dg.MaterializeResult(
        metadata={"published": str(publication.published), "tests_passed": len(results) - len(warned), "warnings": len(warned),
                  "batches_pruned": pruned}
    )
