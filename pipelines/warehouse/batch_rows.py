"""A read and extracted document as the columns it adds to each table of a batch, made in the worker
that read it.

A worker used to send the build the document itself (its blocks, quantities and facts as
dataclasses), which the build unpickled and turned into pandas frames: about 2.5 ms a document of
the build process's time, on one of the cores the parsing workers need. Lists of plain values
pickle and unpickle in C, and a batch of them becomes one Arrow table per warehouse table by
list concatenation (``batch_tables``), typed like the warehouse's (batch_store.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from ..extract.extract import extraction_version
from ..extract.from_file import ingest_and_extract
from ..ingest.corpus import FailedFile, IngestedDocument
from ..ingest.document import ReadLimits
from ..ingest.reader_version import reader_version
from .extraction_rows import COLUMNS as EXTRACTION_COLUMNS
from .extraction_rows import extraction_rows
from .raw_layer import BLOCK_COLUMNS, DOCUMENT_COLUMNS, block_rows, document_row

COLUMNS = {"documents": DOCUMENT_COLUMNS, "document_blocks": BLOCK_COLUMNS, **EXTRACTION_COLUMNS}


@dataclass
class DocumentRows:
    """One document's rows, by table and column, and what the build needs to know of it besides."""

    doc_id: str
    sha256: str
    path: str
    bytes: int
    format: str
    blocks: int
    columns: dict[str, dict[str, list]] = field(default_factory=dict)  # table -> column -> values
    read_s: float = 0.0  # seconds the worker took to read the file,
    extract_s: float = 0.0  # to extract its figures,
    pack_s: float = 0.0  # and to turn both into these rows


def _by_column(columns: list[str], rows: list[tuple]) -> dict[str, list]:
    return {name: list(values) for name, values in zip(columns, zip(*rows))} if rows else {c: [] for c in columns}


def document_rows(document: IngestedDocument, now: datetime) -> DocumentRows:
    """``document``'s rows for every table of a batch; no figure rows when it was not extracted."""
    start = time.perf_counter()
    columns = {"documents": {name: [value] for name, value in document_row(document, now).items()},
               "document_blocks": _by_column(BLOCK_COLUMNS, block_rows(document))}
    extraction = getattr(document, "extraction", None)
    if extraction is not None:
        rows = extraction_rows(document.doc_id, extraction, extraction_version(), now,
                               (document.metadata.year, reader_version()))
        columns.update((table, _by_column(EXTRACTION_COLUMNS[table], rows[table])) for table in rows)
    return DocumentRows(document.doc_id, document.sha256, document.path, document.bytes, document.parsed.format,
                        len(document.parsed.blocks), columns, getattr(document, "read_s", 0.0),
                        getattr(document, "extract_s", 0.0), time.perf_counter() - start)


def packed(outcome: IngestedDocument | FailedFile) -> DocumentRows | FailedFile:
    """A reader's outcome as it goes back to the build: a document as its rows, a failure as it is."""
    if isinstance(outcome, FailedFile):
        return outcome
    return document_rows(outcome, datetime.now(UTC).replace(tzinfo=None))


def read_and_pack(path: Path, relative: str, limits: ReadLimits = ReadLimits()) -> DocumentRows | FailedFile:
    """What a parsing worker runs per file: read it, extract its figures, and pack both as rows."""
    return packed(ingest_and_extract(path, relative, limits))


def batch_tables(documents: list[DocumentRows], schemas: dict[str, pa.Schema],
                 versions: dict[str, str]) -> dict[str, pa.Table]:
    """One Arrow table per batch table, the documents' columns end to end, typed by ``schemas`` (the
    warehouse tables'): each column as Arrow reads the Python values, then cast, as DuckDB would cast
    them on insert (an ISO date string to a date, a whole number to a 32-bit integer). ``versions``
    (column -> value: reader_version, metadata_version, extractor_version) stamps every row with the
    versions the batch is keyed by, those of the process writing it."""
    tables = {}
    for table, names in COLUMNS.items():
        merged: dict[str, list] = {name: [] for name in names}
        for document in documents:
            for name, values in document.columns.get(table, {}).items():
                merged[name].extend(values)
        rows = len(merged[names[0]])
        merged.update((name, [value] * rows) for name, value in versions.items() if name in merged)
        schema = schemas[table]
        tables[table] = pa.Table.from_arrays(
            [pa.array(merged[f.name]).cast(f.type) for f in schema], schema=schema)
    return tables
