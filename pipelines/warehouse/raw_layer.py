"""The raw layer, kept up to date run by run: what changed in the folder, applied in one transaction.

``load_previous`` reads what the last run left; ``ingest.incremental`` decides what to read and
reads it; ``apply_raw_changes`` writes new documents and blocks, the current file list, the
current failures, retractions, and the run's summary row. Rows are staged as DataFrames and
moved by ``apply_raw_changes.sql``; a failure anywhere rolls the whole write back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from ..ingest.corpus import IngestedDocument, MetadataInputs, derive_metadata, metadata_inputs
from ..ingest.incremental import FileStat, Plan, Previous, ReadResult
from ..ingest.reader_version import reader_version
from ..metadata.detect import DocumentMetadata
from ..metadata.version import metadata_version
from .sql import load_sql
from .staging import StoredRows, replace_in_transaction

# What metadata detection decides (DocumentMetadata's fields, flags as metadata_flags), and what it was decided from.
METADATA_COLUMNS = [
    "title", "county", "county_code", "county_lineage_code", "city", "province", "county_status",
    "county_source", "year", "year_source", "report_type", "issuer_role", "metadata_flags",
    "metadata_version", "metadata_key",
]
DOCUMENT_COLUMNS = [
    "doc_id", "sha256", "path", "file_name", "format", "bytes", "pages", "encoding", *METADATA_COLUMNS,
    "blocks", "chars", "status", "ingested_at", "retracted_at", "page_title", "published_on", "ocr_pages",
    "reader_version",
]
BLOCK_COLUMNS = ["doc_id", "block_no", "kind", "page", "paragraph", "table_no", "row_no", "col_no", "section_path", "text",
                 "bbox", "ocr_confidence"]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(load_sql("raw_schema"))


def load_previous(con: duckdb.DuckDBPyConnection) -> Previous:
    ensure_schema(con)
    return read_previous(con)


def read_previous(con: duckdb.DuckDBPyConnection) -> Previous:
    """What the warehouse behind ``con`` (which holds the raw layer; read-only will do) knows."""
    files = {p: (d, b, m) for p, d, b, m in con.execute("SELECT path, doc_id, bytes, mtime_ns FROM document_files").fetchall()}
    errors = {p: (b, m, k) for p, b, m, k in con.execute("SELECT path, bytes, mtime_ns, error_kind FROM ingest_errors").fetchall()}
    known, outdated, metadata = {}, set(), {}
    for doc_id, fmt, read_by, path, key, derived_by in con.execute(
            "SELECT doc_id, format, reader_version, path, metadata_key, metadata_version FROM documents").fetchall():
        known[doc_id] = fmt
        metadata[doc_id] = (path, key, derived_by)
        if read_by != reader_version():
            outdated.add(doc_id)
    return Previous(files, errors, known, outdated, metadata)


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
    documents_reparsed: int = 0  # stored documents parsed again: --full, or read by another reader version
    metadata_rederived: int = 0  # stored documents whose metadata was derived again (sidecar, manifest or detection changed)


def summarise_run(run_id: str, stats: list[FileStat], plan: Plan, read: ReadResult, previous: Previous,
                  active_before: set[str], input_fingerprint: str | None = None) -> RunSummary:
    new_ids = {d.doc_id for d in read.documents if d.doc_id not in previous.known_docs}
    new = changed = moved = reread = 0
    for path, doc_id in read.files.items():
        before = previous.files.get(path)
        if before is not None and before[0] == doc_id:
            reread += 1  # same content at the same path: touched, re-read by --full or a new reader version
        elif doc_id not in new_ids:
            moved += 1  # content already stored, at another path: a rename or a copy
        elif before is not None:
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
        unchanged_files=len(plan.unchanged) + reread,
        removed_files=len(plan.removed),
        failed_files=len(read.failures) + len(plan.failed_unchanged),
        documents_parsed=len(read.documents),
        documents_reparsed=len(read.documents) - len(new_ids),
        documents_retracted=len(active_before - active_now),
        input_fingerprint=input_fingerprint,
        retried_files=len(plan.retried),
    )


def metadata_values(m: DocumentMetadata, key: str) -> dict:
    """The METADATA_COLUMNS of one document."""
    return {
        "title": m.title, "county": m.county, "county_code": m.county_code, "county_lineage_code": m.county_lineage_code,
        "city": m.city, "province": m.province, "county_status": m.county_status, "county_source": m.county_source,
        "year": m.year, "year_source": m.year_source, "report_type": m.report_type, "issuer_role": m.issuer_role,
        "metadata_flags": list(m.flags), "metadata_version": metadata_version(), "metadata_key": key,
    }


def document_row(d: IngestedDocument, now: datetime) -> dict:
    """The ``documents`` row of a parsed document, by column (DOCUMENT_COLUMNS)."""
    return {
        "doc_id": d.doc_id, "sha256": d.sha256, "path": d.path, "file_name": d.path.rsplit("/", 1)[-1],
        "format": d.parsed.format, "bytes": d.bytes, "pages": d.parsed.pages, "encoding": d.parsed.encoding,
        **metadata_values(d.metadata, d.metadata_key), "blocks": len(d.parsed.blocks), "chars": d.parsed.chars,
        "status": "ingested", "ingested_at": now, "retracted_at": None,
        "page_title": d.parsed.page_title, "published_on": d.parsed.published, "ocr_pages": d.parsed.ocr_pages,
        "reader_version": reader_version(),
    }


def block_rows(d: IngestedDocument) -> list[tuple]:
    """The ``document_blocks`` rows of a parsed document, as tuples in BLOCK_COLUMNS order."""
    return [
        (d.doc_id, b.block_no, b.kind, b.location.page, b.location.paragraph, b.location.table,
         b.location.row, b.location.col, list(b.section_path), b.text,
         list(b.location.bbox) if b.location.bbox else None, b.confidence)
        for b in d.parsed.blocks
    ]


def metadata_to_rederive(raw_dir: Path, stats: list[FileStat], files: dict[str, str], parsed: set[str],
                         previous: Previous) -> dict[str, MetadataInputs]:
    """doc_id -> its metadata inputs now, for each stored document held by a file present now (not
    parsed this run) whose inputs (sidecar, manifest row, path) or metadata detection changed.

    The path is the document's recorded one while a file holds it there, else the first file now
    holding it. Files kept unlisted (an unreadable folder) are not looked at: their sidecars cannot be.
    """
    held = {path for path, doc_id in files.items() if doc_id not in parsed}
    on_disk = {}  # only the files the loop below asks about are looked at: one stat each
    for s in stats:
        if s.path in held and (local := s.local(raw_dir)).exists():
            on_disk[s.path] = local
    paths: dict[str, str] = {}
    for path, doc_id in sorted(files.items()):
        if doc_id not in parsed and path in on_disk:
            if doc_id not in paths or path == previous.metadata.get(doc_id, ("",))[0]:
                paths[doc_id] = path
    manifests: dict = {}
    todo = {}
    for doc_id, path in paths.items():
        inputs = metadata_inputs(on_disk[path], path, manifests)
        _, key, derived_by = previous.metadata.get(doc_id, (None, None, None))
        if inputs.key != key or derived_by != metadata_version():
            todo[doc_id] = inputs
    return todo


def rederive_metadata(con: duckdb.DuckDBPyConnection, todo: dict[str, MetadataInputs]) -> pd.DataFrame:
    """The new metadata of each document in ``todo``, derived from its stored text (no file is read)."""
    columns = ["doc_id", *METADATA_COLUMNS]
    if not todo:
        return pd.DataFrame(columns=columns)
    con.register("wanted", pd.DataFrame({"doc_id": pd.Series(sorted(todo), dtype="object")}))
    stored = con.execute(load_sql("document_texts")).fetchall()
    con.unregister("wanted")
    rows = []
    for doc_id, title, text, page_title, published in stored:
        published = published.isoformat() if published is not None else None
        metadata = derive_metadata(todo[doc_id], title, text or "", page_title, published)
        rows.append({"doc_id": doc_id, **metadata_values(metadata, todo[doc_id].key)})
    return pd.DataFrame(rows, columns=columns)


def apply_raw_changes(con: duckdb.DuckDBPyConnection, stats: list[FileStat], plan: Plan, read: ReadResult,
                      summary: RunSummary, started_at: datetime, finished_at: datetime,
                      parsed: dict[str, StoredRows], rederived: pd.DataFrame | None = None) -> None:
    """Write the run: ``parsed`` holds the ``documents`` and ``document_blocks`` rows of the documents
    parsed this run, in the batch store (see batch_store.BatchStore.picked)."""
    by_path = {s.path: s for s in stats}
    files = {**plan.unchanged, **read.files}
    frames = {
        "documents": parsed["documents"],
        "document_blocks": parsed["document_blocks"],
        "document_files": pd.DataFrame(
            [(p, doc_id, by_path[p].size, by_path[p].mtime_ns) for p, doc_id in sorted(files.items())],
            columns=["path", "doc_id", "bytes", "mtime_ns"],
        ),
        "ingest_errors": pd.DataFrame(
            [(f.path, f.bytes, f.sha256, f.error_kind, f.reason, finished_at, by_path[f.path].mtime_ns if f.path in by_path else None)
             for f in read.failures],
            columns=["path", "bytes", "sha256", "error_kind", "reason", "detected_at", "mtime_ns"],
        ),
        "document_metadata": rederived if rederived is not None else pd.DataFrame(columns=["doc_id", *METADATA_COLUMNS]),
        "kept_errors": pd.DataFrame({"path": pd.Series(sorted(plan.failed_unchanged), dtype="object")}),
        "ingest_runs": pd.DataFrame(
            [{**summary.__dict__, "started_at": started_at, "finished_at": finished_at,
              "seconds": (finished_at - started_at).total_seconds()}]
        ),
    }
    replace_in_transaction(con, frames, "apply_raw_changes")
