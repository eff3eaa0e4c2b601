"""The raw layer, kept up to date run by run: what changed in the folder, applied in one transaction.

``load_previous`` reads what the last run left; ``ingest.incremental`` decides what to read and
reads it; ``apply_raw_changes`` writes new documents and blocks, the current file list, the
current failures, retractions, and the run's summary row. Rows are staged as DataFrames and
moved by ``apply_raw_changes.sql``; a failure anywhere rolls the whole write back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from ..ingest.corpus import IngestedDocument
from ..ingest.incremental import FileStat, Plan, Previous, ReadResult
from .sql import load_sql
from .staging import replace_in_transaction

DOCUMENT_COLUMNS = [
    "doc_id", "sha256", "path", "file_name", "format", "bytes", "pages", "encoding", "title",
    "county", "county_code", "county_lineage_code", "city", "province", "county_status",
    "county_source", "year", "year_source", "report_type", "issuer_role", "metadata_flags",
    "blocks", "chars", "status", "ingested_at", "retracted_at", "page_title", "published_on", "ocr_pages",
]
BLOCK_COLUMNS = ["doc_id", "block_no", "kind", "page", "paragraph", "table_no", "row_no", "col_no", "section_path", "text",
                 "bbox", "ocr_confidence"]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(load_sql("raw_schema"))


def load_previous(con: duckdb.DuckDBPyConnection) -> Previous:
    ensure_schema(con)
    files = {p: (d, b, m) for p, d, b, m in con.execute("SELECT path, doc_id, bytes, mtime_ns FROM document_files").fetchall()}
    errors = {p: (b, m, k) for p, b, m, k in con.execute("SELECT path, bytes, mtime_ns, error_kind FROM ingest_errors").fetchall()}
    known = dict(con.execute("SELECT doc_id, format FROM documents").fetchall())
    return Previous(files, errors, known)


@dataclass
class RunSummary:
    run_id: str
    files_seen: int
    new_files: int
    changed_files: int
    moved_files: int
    unchanged_files: int
    removed_files: int
    failed_files: int
    documents_parsed: int
    documents_retracted: int
    input_fingerprint: str | None = None  # see pipelines/build_state.py
    retried_files: int = 0  # failed before, unchanged, read again because the failure was transient


def summarise_run(run_id: str, stats: list[FileStat], plan: Plan, read: ReadResult, previous: Previous,
                  active_before: set[str], input_fingerprint: str | None = None) -> RunSummary:
    parsed_ids = {d.doc_id for d in read.documents}
    new = changed = moved = 0
    for path, doc_id in read.files.items():
        if doc_id not in parsed_ids:
            moved += 1  # content already stored: a rename, a copy or a touched file
        elif path in previous.files:
            changed += 1
        else:
            new += 1
    active_now = set(plan.unchanged.values()) | set(read.files.values())
    return RunSummary(
        run_id=run_id,
        files_seen=len(stats),
        new_files=new,
        changed_files=changed,
        moved_files=moved,
        unchanged_files=len(plan.unchanged),
        removed_files=len(plan.removed),
        failed_files=len(read.failures) + len(plan.failed_unchanged),
        documents_parsed=len(read.documents),
        documents_retracted=len(active_before - active_now),
        input_fingerprint=input_fingerprint,
        retried_files=len(plan.retried),
    )


def _document_row(d: IngestedDocument, now: datetime) -> dict:
    m = d.metadata
    return {
        "doc_id": d.doc_id, "sha256": d.sha256, "path": d.path, "file_name": d.path.rsplit("/", 1)[-1],
        "format": d.parsed.format, "bytes": d.bytes, "pages": d.parsed.pages, "encoding": d.parsed.encoding,
        "title": m.title, "county": m.county, "county_code": m.county_code, "county_lineage_code": m.county_lineage_code,
        "city": m.city, "province": m.province, "county_status": m.county_status, "county_source": m.county_source,
        "year": m.year, "year_source": m.year_source, "report_type": m.report_type, "issuer_role": m.issuer_role,
        "metadata_flags": list(m.flags), "blocks": len(d.parsed.blocks), "chars": d.parsed.chars,
        "status": "ingested", "ingested_at": now, "retracted_at": None,
        "page_title": d.parsed.page_title, "published_on": d.parsed.published, "ocr_pages": d.parsed.ocr_pages,
    }


def apply_raw_changes(con: duckdb.DuckDBPyConnection, stats: list[FileStat], plan: Plan, read: ReadResult,
                      summary: RunSummary, started_at: datetime, finished_at: datetime) -> None:
    by_path = {s.path: s for s in stats}
    files = {**plan.unchanged, **read.files}
    frames = {
        "documents": pd.DataFrame([_document_row(d, finished_at) for d in read.documents], columns=DOCUMENT_COLUMNS),
        "document_blocks": pd.DataFrame(
            [
                (d.doc_id, b.block_no, b.kind, b.location.page, b.location.paragraph, b.location.table,
                 b.location.row, b.location.col, list(b.section_path), b.text,
                 list(b.location.bbox) if b.location.bbox else None, b.confidence)
                for d in read.documents
                for b in d.parsed.blocks
            ],
            columns=BLOCK_COLUMNS,
        ),
        "document_files": pd.DataFrame(
            [(p, doc_id, by_path[p].size, by_path[p].mtime_ns) for p, doc_id in sorted(files.items())],
            columns=["path", "doc_id", "bytes", "mtime_ns"],
        ),
        "ingest_errors": pd.DataFrame(
            [(f.path, f.bytes, f.sha256, f.error_kind, f.reason, finished_at, by_path[f.path].mtime_ns if f.path in by_path else None)
             for f in read.failures],
            columns=["path", "bytes", "sha256", "error_kind", "reason", "detected_at", "mtime_ns"],
        ),
        "kept_errors": pd.DataFrame({"path": pd.Series(sorted(plan.failed_unchanged), dtype="object")}),
        "ingest_runs": pd.DataFrame(
            [{**summary.__dict__, "started_at": started_at, "finished_at": finished_at,
              "seconds": (finished_at - started_at).total_seconds()}]
        ),
    }
    replace_in_transaction(con, frames, "apply_raw_changes")
