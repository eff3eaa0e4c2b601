"""The raw layer as Dagster assets: one step reads the corpus and writes four tables.

The four tables are one multi-asset because they are written in one transaction: a
document without its blocks, or an error list from another run, would be a lie.
"""


from collections import Counter
from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...ingest.corpus import FailedFile, ingest_corpus
from ...warehouse.raw_layer import replace_raw_layer
from ..resources import RawCorpus, warehouse_connection

GROUP = "ingest"
PROGRESS_EVERY = 50


@dg.multi_asset(
    specs=[
        dg.AssetSpec("documents", group_name=GROUP, kinds={"duckdb"}, deps=["warehouse_draft"], description="One row per distinct report, with county, year and type."),
        dg.AssetSpec("document_files", group_name=GROUP, kinds={"duckdb"}, deps=["warehouse_draft"], description="Every report file seen and the document it holds."),
        dg.AssetSpec("document_blocks", group_name=GROUP, kinds={"duckdb"}, deps=["warehouse_draft"], description="Normalised text blocks with location and section path."),
        dg.AssetSpec("ingest_errors", group_name=GROUP, kinds={"duckdb"}, deps=["warehouse_draft"], description="Files that could not be ingested, with a stable kind and a reason."),
    ],
)
def raw_layer(context: dg.AssetExecutionContext, raw_corpus: RawCorpus, warehouse: DuckDBResource):
    root = raw_corpus.root
    if not root.is_dir():
        raise dg.Failure(f"raw folder {root} does not exist (set --raw or SHUFA_RAW)")

    def progress(done: int, total: int, outcome) -> None:
        if isinstance(outcome, FailedFile):
            context.log.warning(f"{outcome.path}: {outcome.error_kind}: {outcome.reason}")
        if done % PROGRESS_EVERY == 0 or done == total:
            context.log.info(f"read {done}/{total} files")

    result = ingest_corpus(root, raw_corpus.limits(), progress=progress)
    with warehouse_connection(warehouse) as con:
        replace_raw_layer(con, result, datetime.now(UTC).replace(tzinfo=None))

    statuses = Counter(d.metadata.county_status for d in result.documents)
    kinds = Counter(f.error_kind for f in result.failures)
    yield dg.MaterializeResult(
        asset_key="documents",
        metadata={
            "documents": len(result.documents),
            "by_county_status": dg.MetadataValue.json(dict(statuses)),
            "by_format": dg.MetadataValue.json(dict(Counter(d.parsed.format for d in result.documents))),
        },
    )
    yield dg.MaterializeResult(asset_key="document_files", metadata={"files": len(result.files)})
    yield dg.MaterializeResult(
        asset_key="document_blocks",
        metadata={"blocks": sum(len(d.parsed.blocks) for d in result.documents)},
    )
    yield dg.MaterializeResult(
        asset_key="ingest_errors",
        metadata={"failed_files": len(result.failures), "by_kind": dg.MetadataValue.json(dict(kinds))},
    )
