"""Extraction as Dagster assets: runs after the raw layer, from the blocks stored there.

quantities, indicator_facts and indicator_catalog are one multi-asset because they are written in
one transaction (a fact always has its quantity and its indicator).
"""

import sys
import time

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...warehouse.extraction_layer import update_extraction_layer
from ..resources import RawCorpus, warehouse_connection

GROUP = "extract"
RAW = ["documents", "document_blocks", "ingest_runs"]


class _Progress:
    """Documents extracted so far and the rate, every few seconds: to the run log, and to stderr for the CLI."""

    def __init__(self, context: dg.AssetExecutionContext, to_stderr: bool):
        self.context, self.to_stderr = context, to_stderr
        self.started = self.last = time.perf_counter()

    def __call__(self, done: int) -> None:
        now = time.perf_counter()
        if now - self.last >= 2:
            self.last = now
            line = f"extracted {done} documents, {done / (now - self.started):.1f}/s"
            self.context.log.info(line)
            if self.to_stderr:
                print(f"  {line}", file=sys.stderr, flush=True)


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
def extraction(context: dg.AssetExecutionContext, warehouse: DuckDBResource, raw_corpus: RawCorpus):
    with warehouse_connection(warehouse) as con:
        summary = update_extraction_layer(con, progress=_Progress(context, raw_corpus.progress_to_stderr),
                                          workers=raw_corpus.workers or None)
    yield dg.MaterializeResult(asset_key="quantities", metadata={"quantities_added": summary.quantities, "documents_extracted": summary.documents})
    yield dg.MaterializeResult(asset_key="indicator_facts", metadata={"facts_added": summary.facts, "masked_facts_added": summary.masked_facts})
    yield dg.MaterializeResult(asset_key="extractions", metadata={"documents_extracted": summary.documents})
    yield dg.MaterializeResult(asset_key="indicator_catalog")
