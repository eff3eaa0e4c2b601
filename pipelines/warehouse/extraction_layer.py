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
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pandas as pd

from ..extract.extract import Extraction, extraction_version
from ..extract.from_file import extract_or_reason
from ..ingest.model import Block, Location
from .batch_store import BatchStore
from .extraction_rows import catalog_frame, extraction_frames
from .sql import load_sql
from .staging import StoredRows, replace_in_transaction


@dataclass
class ExtractionSummary:
    documents: int  # extracted in this run
    quantities: int
    facts: int
    masked_facts: int
    failed: int = 0  # documents whose extraction raised or ran out of time


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


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_MIN_DOCUMENTS = 400
BATCH_DOCUMENTS = 100


def _extract_batch(batch: list[tuple[str, int | None, list[Block]]], timeout_s: float | None = None
                   ) -> list[tuple[str, Extraction | str]]:
    return [(doc_id, extract_or_reason(blocks, year, timeout_s)) for doc_id, year, blocks in batch]


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
    timeout_s: float | None = None, store: BatchStore | None = None,
) -> ExtractionSummary:
    """Extract what needs it: documents the batch ``store`` holds extracted (read this run, or by a
    parse job) are loaded from it; the others (an extractor change, a re-dated document) are
    extracted from their stored blocks. A document whose extraction fails keeps no facts and an
    ``extractions`` row with the reason, which every build turns into ``ingest_errors`` rows (kind
    ``extraction_failed``) for its files; it is retried when the extractor changes."""
    con.execute(load_sql("extraction_schema"))
    version = extraction_version()
    todo = documents_to_extract(con, version)
    in_store = store.extracted(con, todo) if store is not None else {}
    todo = [row for row in todo if row[0] not in in_store]
    inputs = {doc_id: (year, read_by) for doc_id, year, read_by in todo}
    blocks = load_blocks(con, list(inputs))
    outcomes = extract_documents([(doc_id, year, blocks.pop(doc_id)) for doc_id, year, _ in todo], workers, progress,
                                 timeout_s)
    frames: dict[str, list] = {table: [frame] for table, frame in
                               extraction_frames(outcomes, version, datetime.now(UTC).replace(tzinfo=None), inputs).items()}
    if in_store:
        for table in frames:
            frames[table].append(StoredRows(*store.picked(table, in_store)))
    replace_in_transaction(con, {"indicator_catalog": catalog_frame(), **frames}, "apply_extraction")
    con.execute(load_sql("record_extraction_in_run"))
    done = con.execute(load_sql("extraction_counts")).fetchone()
    return ExtractionSummary(documents=done[0] - done[4], quantities=done[1], facts=done[2], masked_facts=done[3],
                             failed=done[4])
