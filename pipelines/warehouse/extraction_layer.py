"""Run extraction over the stored blocks and write quantities, indicator_facts and indicator_catalog.

Extraction reads blocks from the warehouse, not the files: when the extractor or the catalog
changes, every document can be re-extracted without reading a single report again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import duckdb
import pandas as pd

from ..extract.catalog import catalog
from ..extract.extract import EXTRACTOR_VERSION, Extraction, extract_blocks
from ..ingest.model import Block, Location
from .sql import load_sql
from .staging import replace_in_transaction


@dataclass
class ExtractionSummary:
    documents: int
    quantities: int
    facts: int
    masked_facts: int


def load_documents(con: duckdb.DuckDBPyConnection):
    """(doc_id, year, blocks) for every stored document, blocks rebuilt from document_blocks."""
    years = dict(con.execute("SELECT doc_id, year FROM documents").fetchall())
    rows = con.execute(
        "SELECT doc_id, block_no, kind, page, paragraph, table_no, row_no, col_no, section_path, text "
        "FROM document_blocks ORDER BY doc_id, block_no"
    ).fetchall()
    current, blocks = None, []
    for doc_id, block_no, kind, page, paragraph, table_no, row_no, col_no, section_path, text in rows:
        if doc_id != current:
            if current is not None:
                yield current, years.get(current), blocks
            current, blocks = doc_id, []
        blocks.append(Block(block_no, kind, text, Location(page, paragraph, table_no, row_no, col_no), tuple(section_path)))
    if current is not None:
        yield current, years.get(current), blocks


def _frames(results: list[tuple[str, Extraction]]) -> dict[str, pd.DataFrame]:
    quantities = pd.DataFrame(
        [{"doc_id": doc_id, **asdict(q), "extractor_version": EXTRACTOR_VERSION} for doc_id, ex in results for q in ex.quantities]
    )
    facts = pd.DataFrame(
        [
            {"doc_id": doc_id, "fact_no": n, **asdict(f), "extractor_version": EXTRACTOR_VERSION}
            for doc_id, ex in results
            for n, f in enumerate(ex.facts)
        ]
    )
    indicators = pd.DataFrame(
        [
            {"code": i.code, "category": i.category, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit, "polarity": i.polarity}
            for i in catalog().indicators
        ]
    )
    return {"indicator_catalog": indicators, "quantities": quantities, "indicator_facts": facts}


def replace_extraction_layer(
    con: duckdb.DuckDBPyConnection, progress: Callable[[int], None] | None = None
) -> ExtractionSummary:
    con.execute(load_sql("extraction_schema"))
    results = []
    for n, (doc_id, year, blocks) in enumerate(load_documents(con), start=1):
        results.append((doc_id, extract_blocks(blocks, year)))
        if progress:
            progress(n)
    frames = _frames(results)
    for name in ("quantities", "indicator_facts"):
        if frames[name].empty:  # no documents: keep the columns so the typed insert works
            frames[name] = pd.DataFrame(columns=[c[0] for c in con.execute(f"DESCRIBE {name}").fetchall()])
    replace_in_transaction(con, frames, "replace_extraction_layer")
    facts = frames["indicator_facts"]
    return ExtractionSummary(
        documents=len(results),
        quantities=len(frames["quantities"]),
        facts=len(facts),
        masked_facts=int(facts["masked"].sum()) if len(facts) else 0,
    )
