"""Extract the documents that need it, from their stored blocks, and record what was done.

A document needs extraction when it has never been extracted or was extracted by another
version of the extractor (its code or catalog changed). Extraction never reads a report
file: when the catalog changes, every document is re-extracted from document_blocks.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from operator import attrgetter

import duckdb
import pandas as pd

from ..extract.catalog import catalog
from ..extract.extract import Extraction, Fact, QuantityRecord, extract_blocks, extraction_version
from ..ingest.model import Block, Location
from ..ingest.time_limit import TimeLimitExceeded, time_limit
from .sql import load_sql
from .staging import replace_in_transaction


@dataclass
class ExtractionSummary:
    documents: int  # extracted in this run
    quantities: int
    facts: int
    masked_facts: int
    failed: int = 0  # documents whose extraction raised or ran out of time


def _extract_one(blocks: list[Block], year: int | None, timeout_s: float | None) -> Extraction | str:
    """One document's extraction, or why it failed: a bug or a pathological text in one document
    must cost that document its facts, never the build. The time limit is ingest's real-time
    alarm (time_limit.py: main thread only; worker processes run there too)."""
    try:
        with time_limit(timeout_s):
            return extract_blocks(blocks, year)
    except TimeLimitExceeded:
        return f"extraction took longer than {timeout_s:g} s; stopped"
    except (Exception, RecursionError, MemoryError) as exc:
        return f"extraction raised {type(exc).__name__}: {str(exc)[:200]}"


def documents_to_extract(con: duckdb.DuckDBPyConnection, version: str) -> list[tuple[str, int | None, str | None]]:
    """(doc_id, year, reader_version) of every stored document not extracted by ``version`` from its
    present blocks and year."""
    return con.execute(load_sql("documents_to_extract"), {"v": version}).fetchall()


def load_blocks(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, list[Block]]:
    con.register("wanted", pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype="object")}))
    rows = con.execute(
        "SELECT doc_id, block_no, kind, page, paragraph, table_no, row_no, col_no, section_path, text, bbox, ocr_confidence "
        "FROM document_blocks WHERE doc_id IN (SELECT CAST(doc_id AS VARCHAR) FROM wanted) ORDER BY doc_id, block_no"
    ).fetchall()
    con.unregister("wanted")
    blocks: dict[str, list[Block]] = {d: [] for d in doc_ids}
    for doc_id, block_no, kind, page, paragraph, table_no, row_no, col_no, section_path, text, bbox, ocr in rows:
        location = Location(page, paragraph, table_no, row_no, col_no, tuple(bbox) if bbox else None)
        blocks[doc_id].append(Block(block_no, kind, text, location, tuple(section_path), ocr))
    return blocks


def _columns(cls) -> list[str]:
    return [f.name for f in fields(cls)]


def _frames(results: list[tuple[str, Extraction]], version: str, now: datetime,
            inputs: dict[str, tuple[int | None, str | None]]) -> dict[str, pd.DataFrame]:
    # Rows as plain tuples: dataclasses.asdict deep-copies every field and cost more than the
    # extraction itself on a full build (all fields here are plain values).
    quantity_columns, fact_columns = _columns(QuantityRecord), _columns(Fact)
    quantity_values, fact_values = attrgetter(*quantity_columns), attrgetter(*fact_columns)
    quantities = pd.DataFrame(
        [(doc_id, *quantity_values(q)) for doc_id, ex in results for q in ex.quantities],
        columns=["doc_id", *quantity_columns],
    ).assign(extractor_version=version)
    facts = pd.DataFrame(
        [(doc_id, n, *fact_values(f)) for doc_id, ex in results for n, f in enumerate(ex.facts)],
        columns=["doc_id", "fact_no", *fact_columns],
    ).assign(extractor_version=version)
    extractions = pd.DataFrame(
        [{"doc_id": doc_id, "extractor_version": version, "extracted_at": now, "quantities": len(ex.quantities),
          "facts": len(ex.facts), "doc_year": inputs[doc_id][0], "reader_version": inputs[doc_id][1]}
         for doc_id, ex in results],
        columns=["doc_id", "extractor_version", "extracted_at", "quantities", "facts", "doc_year", "reader_version"],
    )
    indicators = pd.DataFrame(
        [
            {"code": i.code, "category": i.category, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit, "polarity": i.polarity}
            for i in catalog().indicators
        ]
    )
    return {"indicator_catalog": indicators, "quantities": quantities, "indicator_facts": facts, "extractions": extractions}


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_MIN_DOCUMENTS = 400
BATCH_DOCUMENTS = 100


def _extract_batch(batch: list[tuple[str, int | None, list[Block]]], timeout_s: float | None = None
                   ) -> list[tuple[str, Extraction | str]]:
    return [(doc_id, _extract_one(blocks, year, timeout_s)) for doc_id, year, blocks in batch]


def extract_documents(
    batch: list[tuple[str, int | None, list[Block]]], workers: int | None = None,
    progress: Callable[[int], None] | None = None, timeout_s: float | None = None,
) -> list[tuple[str, Extraction | str]]:
    """Extract every (doc_id, year, blocks), in order; across processes when there are many.
    Each result is an Extraction or, for a document whose extraction failed, the reason.

    Extraction is pure and per document, so a full build of 10,000 reports spreads it over the
    cores like parsing, instead of extracting one document after another in the build process.
    """
    workers = workers or os.cpu_count() or 1
    batches = [batch[i : i + BATCH_DOCUMENTS] for i in range(0, len(batch), BATCH_DOCUMENTS)]
    if workers == 1 or len(batch) < PARALLEL_MIN_DOCUMENTS:
        outcomes = (_extract_batch(b, timeout_s) for b in batches)
        pool = None
    else:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        outcomes = pool.map(_extract_batch, batches, [timeout_s] * len(batches))
    results: list[tuple[str, Extraction]] = []
    try:
        for outcome in outcomes:
            results.extend(outcome)
            if progress:
                progress(len(results))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return results


def update_extraction_layer(
    con: duckdb.DuckDBPyConnection, progress: Callable[[int], None] | None = None, workers: int | None = None,
    timeout_s: float | None = None,
) -> ExtractionSummary:
    """Extract what needs it. A document whose extraction fails keeps no facts and an
    ``extractions`` row with the reason, which every build turns into ``ingest_errors`` rows
    (kind ``extraction_failed``) for its files; it is retried when the extractor changes."""
    con.execute(load_sql("extraction_schema"))
    version = extraction_version()
    todo = documents_to_extract(con, version)
    inputs = {doc_id: (year, read_by) for doc_id, year, read_by in todo}
    blocks = load_blocks(con, list(inputs))
    outcomes = extract_documents([(doc_id, year, blocks.pop(doc_id)) for doc_id, year, _ in todo], workers, progress,
                                 timeout_s)
    results = [(doc_id, ex) for doc_id, ex in outcomes if not isinstance(ex, str)]
    failures = {doc_id: reason for doc_id, reason in outcomes if isinstance(reason, str)}
    frames = _frames(results, version, datetime.now(UTC).replace(tzinfo=None), inputs)
    failed = pd.DataFrame(
        [{"doc_id": d, "extractor_version": version, "extracted_at": datetime.now(UTC).replace(tzinfo=None),
          "quantities": 0, "facts": 0, "doc_year": inputs[d][0], "reader_version": inputs[d][1], "error": reason}
         for d, reason in failures.items()],
        columns=["doc_id", "extractor_version", "extracted_at", "quantities", "facts", "doc_year", "reader_version",
                 "error"],
    )
    frames["extractions"] = pd.concat([frames["extractions"].assign(error=None), failed], ignore_index=True) \
        if len(failed) else frames["extractions"].assign(error=None)
    replace_in_transaction(con, frames, "apply_extraction")
    con.execute(load_sql("record_extraction_in_run"))
    facts = frames["indicator_facts"]
    return ExtractionSummary(
        documents=len(results),
        quantities=len(frames["quantities"]),
        facts=len(facts),
        masked_facts=int(facts["masked"].sum()) if len(facts) else 0,
        failed=len(failures),
    )
