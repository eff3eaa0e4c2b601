"""Extraction as Dagster assets: runs after the raw layer, from the batch store or the stored blocks.

quantities, indicator_facts and indicator_catalog are one multi-asset because they are written in
one transaction (a fact always has its quantity and its indicator).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...warehouse.extraction_layer import update_extraction_layer
from ..progress import ProgressLine
from ..resources import ParsedBatches, RawCorpus, warehouse_connection

GROUP = "extract"
RAW = ["documents", "document_blocks", "ingest_runs"]


@dg.multi_asset(
    specs=[
        dg.AssetSpec("quantities", group_name=GROUP, kinds={"duckdb"}, deps=RAW,
                     description="Every figure in every document, mapped or not, with its context."),
        dg.AssetSpec("indicator_facts", group_name=GROUP, kinds={"duckdb"}, deps=RAW,
                     description="Figures that report a catalog indicator, with value, bounds, year and provenance."),
        dg.AssetSpec("extractions", group_name=GROUP, kinds={"duckdb"}, deps=RAW,
                     description="Which extractor version extracted each document, and what it yielded."),
        dg.AssetSpec("indicator_catalog", group_name=GROUP, kinds={"duckdb"}, deps=["warehouse_draft"],
                     description="The indicator catalog: code, names, category, unit, polarity."),
    ],
)
def extraction(context: dg.AssetExecutionContext, warehouse: DuckDBResource, raw_corpus: RawCorpus,
               parsed_batches: ParsedBatches):
    with warehouse_connection(warehouse) as con:
        progress = ProgressLine(context, raw_corpus.progress_to_stderr)

        def report(done: int) -> None:
            if progress.due():
                progress.write(f"extracted {done} documents, {progress.rate(done):.1f}/s")

        summary = update_extraction_layer(con, progress=report, workers=raw_corpus.workers or None,
                                          timeout_s=raw_corpus.timeout_s, store=parsed_batches.store)
    yield dg.MaterializeResult(asset_key="quantities", metadata={"quantities_added": summary.quantities, "documents_extracted": summary.documents})
    yield dg.MaterializeResult(asset_key="indicator_facts", metadata={"facts_added": summary.facts, "masked_facts_added": summary.masked_facts})
    yield dg.MaterializeResult(asset_key="extractions", metadata={"documents_extracted": summary.documents})
    yield dg.MaterializeResult(asset_key="indicator_catalog")
