"""Parsed documents on their way to the warehouse: Parquet files, one folder per batch, keyed by content.

Parsing (and OCR) is the part of a build that outgrows one machine. What it produces is written
here a batch at a time, so a build's memory stays flat however large the corpus; any worker (a
process of this build, a Dask worker on another machine) can parse any batch; and the warehouse
steps load the batches with ``INSERT … FROM read_parquet``. A batch folder holds one Parquet file
per table (documents, document_blocks, quantities, indicator_facts, extractions), typed like the
warehouse tables. It appears whole or not at all (written under a temporary name, then renamed)
and is named for what it holds (each document's content hash and path, and the versions of the
readers, the metadata detection and the extractor), so the same work done twice lands in the
same folder.

The store is a cache, never the record: a build takes from it what matches the files it has to
read (same content, same path, same reader and metadata versions) and parses the rest, and a
batch whose every document the published warehouse holds is deleted after publication. Deleting
the whole store at any time costs only parsing again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..extract.extract import extraction_version
from ..ingest.reader_version import reader_version
from ..metadata.version import metadata_version
from .batch_rows import COLUMNS, DocumentRows, batch_tables
from .raw_layer import ensure_schema
from .sql import load_sql

TABLES = tuple(COLUMNS)  # documents, document_blocks, quantities, indicator_facts, extractions
# Documents a batch holds: big enough that a Parquet file is worth opening (and a Dask task worth
# scheduling), small enough that the parsed documents a build holds in memory stay a few MiB.
BATCH_DOCUMENTS = 100
# A half-written batch older than this was left by a killed writer (a live one renames it in seconds).
STALE_SCRATCH_S = 24 * 3600


@dataclass
class StoredDocument:
    """A parsed document as the build holds it once its batch is written: where, not what."""

    doc_id: str
    path: str
    format: str
    blocks: int
    batch: str = ""  # the batch folder's name, set when the batch is written


class BatchStore:
    """A folder of batch folders (see the module docstring)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._schemas: dict[str, pa.Schema] | None = None

    def schemas(self) -> dict[str, pa.Schema]:
        """The Arrow schema of each batch table, read from the warehouse's own DDL in an in-memory
        DuckDB (once per store: the DDL costs as much as a batch's rows)."""
        if self._schemas is None:
            with duckdb.connect() as con:
                ensure_schema(con)
                con.execute(load_sql("extraction_schema"))
                self._schemas = {table: con.sql(f"SELECT * FROM {table} LIMIT 0").arrow().schema for table in TABLES}
        return self._schemas

    def batches(self) -> list[str]:
        """The complete batches, by name."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def files(self, table: str, batches: Iterable[str] | None = None) -> list[str]:
        return [str(self.root / b / f"{table}.parquet") for b in (self.batches() if batches is None else batches)]

    def write(self, documents: list[DocumentRows]) -> str:
        """Write one batch of read and extracted documents (batch_rows.py); returns its name. Idempotent."""
        versions = {"reader_version": reader_version(), "metadata_version": metadata_version(),
                    "extractor_version": extraction_version()}
        key = hashlib.sha256(
            "\n".join([*versions.values(), *sorted(f"{d.sha256} {d.path}" for d in documents)]).encode()
        ).hexdigest()[:24]
        target = self.root / key
        if target.is_dir():
            return key
        tables = batch_tables(documents, self.schemas(), versions)
        self.root.mkdir(parents=True, exist_ok=True)
        scratch = self.root / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        scratch.mkdir()
        try:
            for table, rows in tables.items():
                pq.write_table(rows, scratch / f"{table}.parquet")
            os.rename(scratch, target)
        except OSError:
            if target.is_dir():  # another worker wrote the same batch first
                shutil.rmtree(scratch, ignore_errors=True)
                return key
            raise
        finally:
            if scratch.exists():
                shutil.rmtree(scratch, ignore_errors=True)
        return key

    def index(self) -> dict[tuple[str, str], StoredDocument]:
        """(doc_id, path) -> the stored document, for every document read by this reader and metadata
        version: what a build need not parse again."""
        files = self.files("documents")
        if not files:
            return {}
        with duckdb.connect() as con:
            rows = con.execute(load_sql("stored_documents"),
                               {"files": files, "reader": reader_version(), "metadata": metadata_version()}).fetchall()
        return {(doc_id, path): StoredDocument(doc_id, path, fmt, blocks, Path(file).parent.name)
                for doc_id, path, fmt, blocks, file in rows}

    def extracted(self, con: duckdb.DuckDBPyConnection, todo: list[tuple[str, int | None, str | None]]) -> dict[str, str]:
        """doc_id -> the batch holding its extraction, for each of ``todo`` (doc_id, year, reader_version)
        the store holds extracted by this extractor from the same year and readers."""
        files = self.files("extractions")
        if not files or not todo:
            return {}
        con.register("todo", pd.DataFrame(todo, columns=["doc_id", "year", "reader_version"]).astype(
            {"doc_id": "object", "reader_version": "object"}))
        try:
            rows = con.execute(load_sql("stored_extractions"), {"files": files, "v": extraction_version()}).fetchall()
        finally:
            con.unregister("todo")
        return {doc_id: Path(file).parent.name for doc_id, file in rows}

    def picked(self, table: str, batch_of: dict[str, str]) -> tuple[list[str], pd.DataFrame]:
        """The Parquet files of ``table`` to read and the (doc_id, file) pairs to take from them, for
        ``batch_of``: doc_id -> the batch to take it from."""
        wanted = sorted(set(batch_of.values()))
        files = self.files(table, wanted)
        return files, pd.DataFrame({"doc_id": pd.Series(list(batch_of), dtype="object"),
                                    "file": pd.Series([str(self.root / b / f"{table}.parquet") for b in batch_of.values()],
                                                      dtype="object")})

    def prune(self, con: duckdb.DuckDBPyConnection) -> int:
        """Delete the batches the warehouse behind ``con`` holds whole (every document, read by the
        same readers, and extracted by the same extractor), and what killed writers left half-written
        a day or more ago; returns how many batches went."""
        if self.root.is_dir():
            for scratch in self.root.glob(".*"):
                if scratch.is_dir() and time.time() - scratch.stat().st_mtime > STALE_SCRATCH_S:
                    shutil.rmtree(scratch, ignore_errors=True)
        files = self.files("extractions")
        if not files:
            return 0
        absorbed = [Path(f).parent for (f,) in con.execute(load_sql("absorbed_batches"), {"files": files}).fetchall()]
        for folder in absorbed:
            shutil.rmtree(folder, ignore_errors=True)
        return len(absorbed)


_WRITER = ThreadPoolExecutor(1, thread_name_prefix="batch-writer")


class BatchWriter:
    """Collects read documents and writes them to the store a batch at a time, in a thread of its own:
    DuckDB writes without holding the interpreter, so the build keeps handing files to the parsing
    processes meanwhile. ``flush`` writes what is left and waits for every batch."""

    def __init__(self, store: BatchStore, size: int = BATCH_DOCUMENTS):
        self.store, self.size = store, size
        self._pending: list[tuple[DocumentRows, StoredDocument]] = []
        self._writing: Future | None = None  # one batch at a time: a second waits, so memory holds two at most
        self.written: list[str] = []
        # worker seconds spent reading, extracting and packing the documents added, and the build's writing them
        self.read_s = self.extract_s = self.pack_s = self.write_s = 0.0
        self.bytes = 0  # Parquet written

    def add(self, document: DocumentRows) -> StoredDocument:
        stored = StoredDocument(document.doc_id, document.path, document.format, document.blocks)
        self.read_s += document.read_s
        self.extract_s += document.extract_s
        self.pack_s += document.pack_s
        self._pending.append((document, stored))
        if len(self._pending) >= self.size:
            self._send()
        return stored

    def _write(self, pending: list[tuple[DocumentRows, StoredDocument]]) -> None:
        start = time.perf_counter()
        key = self.store.write([d for d, _ in pending])
        self.write_s += time.perf_counter() - start
        self.bytes += sum(f.stat().st_size for f in (self.store.root / key).iterdir())
        for _, stored in pending:
            stored.batch = key
        self.written.append(key)

    def _wait(self) -> None:
        if self._writing is not None:
            self._writing.result()  # a failed write raises here
            self._writing = None

    def _send(self) -> None:
        self._wait()
        if self._pending:
            pending, self._pending = self._pending, []
            self._writing = _WRITER.submit(self._write, pending)

    def flush(self) -> None:
        self._send()
        self._wait()
