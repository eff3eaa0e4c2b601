"""Write an ingestion result into the raw-layer tables, in one transaction.

Rows are staged as DataFrames and moved by ``replace_raw_layer.sql``; a failure anywhere
rolls the whole write back, so readers never see half a run.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from ..ingest.corpus import CorpusResult
from .sql import load_sql
from .staging import replace_in_transaction

RAW_TABLES = ("documents", "document_files", "document_blocks", "ingest_errors")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(load_sql("raw_schema"))


def _frames(result: CorpusResult, now: datetime) -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame(
        [
            {
                "doc_id": d.doc_id,
                "sha256": d.sha256,
                "path": d.path,
                "file_name": d.path.rsplit("/", 1)[-1],
                "format": d.parsed.format,
                "bytes": d.bytes,
                "pages": d.parsed.pages,
                "encoding": d.parsed.encoding,
                "title": d.metadata.title,
                "county": d.metadata.county,
                "county_code": d.metadata.county_code,
                "county_lineage_code": d.metadata.county_lineage_code,
                "city": d.metadata.city,
                "province": d.metadata.province,
                "county_status": d.metadata.county_status,
                "county_source": d.metadata.county_source,
                "year": d.metadata.year,
                "year_source": d.metadata.year_source,
                "report_type": d.metadata.report_type,
                "issuer_role": d.metadata.issuer_role,
                "metadata_flags": list(d.metadata.flags),
                "blocks": len(d.parsed.blocks),
                "chars": d.parsed.chars,
                "status": "ingested",
                "ingested_at": now,
            }
            for d in result.documents
        ],
        columns=[
            "doc_id", "sha256", "path", "file_name", "format", "bytes", "pages", "encoding", "title",
            "county", "county_code", "county_lineage_code", "city", "province", "county_status",
            "county_source", "year", "year_source", "report_type", "issuer_role", "metadata_flags",
            "blocks", "chars", "status", "ingested_at",
        ],
    )
    blocks = pd.DataFrame(
        [
            {
                "doc_id": d.doc_id,
                "block_no": b.block_no,
                "kind": b.kind,
                "page": b.location.page,
                "paragraph": b.location.paragraph,
                "table_no": b.location.table,
                "row_no": b.location.row,
                "col_no": b.location.col,
                "section_path": list(b.section_path),
                "text": b.text,
            }
            for d in result.documents
            for b in d.parsed.blocks
        ],
        columns=["doc_id", "block_no", "kind", "page", "paragraph", "table_no", "row_no", "col_no", "section_path", "text"],
    )
    files = pd.DataFrame(sorted(result.files.items()), columns=["path", "doc_id"])
    errors = pd.DataFrame(
        [
            {"path": f.path, "bytes": f.bytes, "sha256": f.sha256, "error_kind": f.error_kind, "reason": f.reason, "detected_at": now}
            for f in result.failures
        ],
        columns=["path", "bytes", "sha256", "error_kind", "reason", "detected_at"],
    )
    return {"documents": documents, "document_blocks": blocks, "document_files": files, "ingest_errors": errors}


def replace_raw_layer(con: duckdb.DuckDBPyConnection, result: CorpusResult, now: datetime) -> None:
    """Make the raw tables hold exactly ``result`` (first-seen timestamps survive reruns)."""
    ensure_schema(con)
    replace_in_transaction(con, _frames(result, now), "replace_raw_layer")
