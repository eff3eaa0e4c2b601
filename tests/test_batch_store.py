"""The batch store: parsed documents written a batch at a time, found again by content and path,
loaded by DuckDB, and deleted once the warehouse holds them (pipelines/warehouse/batch_store.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from builders import write_txt

import pipelines.warehouse.batch_store as batch_store
from pipelines.warehouse.batch_rows import read_and_pack
from pipelines.warehouse.batch_store import BatchStore, BatchWriter
from pipelines.warehouse.extraction_layer import update_extraction_layer
from pipelines.warehouse.raw_layer import ensure_schema
from pipelines.warehouse.staging import StoredRows, replace_in_transaction


def reports(raw: Path, n: int) -> list:
    raw.mkdir(exist_ok=True)
    docs = []
    for i in range(n):
        path = write_txt(raw / f"r{i}.txt", [f"江宁区202{i % 4}年法治政府建设年度报告", f"全年办理法律援助案件{10 + i}件。"])
        docs.append(read_and_pack(path, path.name))
    return docs


def load_documents(con, store: BatchStore, batch_of: dict[str, str]) -> None:
    """What the raw layer does with a run's batches, reduced to documents and blocks."""
    ensure_schema(con)
    replace_in_transaction(con, {t: StoredRows(*store.picked(t, batch_of)) for t in ("documents", "document_blocks")},
                           "load_documents_only")


@pytest.fixture(autouse=True)
def load_documents_only_sql(monkeypatch):
    real = batch_store.load_sql
    monkeypatch.setattr("pipelines.warehouse.staging.load_sql", lambda name: (
        "INSERT INTO documents BY NAME SELECT * FROM incoming_documents;"
        "INSERT INTO document_blocks BY NAME SELECT * FROM incoming_document_blocks;"
        if name == "load_documents_only" else real(name)))


def test_a_writer_writes_whole_batches_and_the_index_finds_each_document(tmp_path):
    store = BatchStore(tmp_path / "batches")
    writer = BatchWriter(store, size=2)
    stored = [writer.add(d) for d in reports(tmp_path / "raw", 5)]
    assert stored[4].batch == ""  # two full batches went to the writer as they filled; the fifth waits
    writer.flush()
    assert len(store.batches()) == 3 and not list(store.root.glob(".*"))  # no half-written folder left
    index = store.index()
    assert set(index) == {(s.doc_id, s.path) for s in stored}
    assert all(index[(s.doc_id, s.path)].batch == s.batch and index[(s.doc_id, s.path)].blocks == s.blocks for s in stored)


def test_writing_the_same_documents_again_lands_in_the_same_batch(tmp_path):
    store = BatchStore(tmp_path / "batches")
    docs = reports(tmp_path / "raw", 3)
    first, again = store.write(docs), store.write(list(reversed(docs)))
    assert first == again and store.batches() == [first]


def test_documents_of_another_reader_version_are_not_taken(tmp_path, monkeypatch):
    store = BatchStore(tmp_path / "batches")
    store.write(reports(tmp_path / "raw", 2))
    monkeypatch.setattr(batch_store, "reader_version", lambda: "a-newer-reader")
    assert store.index() == {}


def test_rows_load_typed_like_the_warehouse_and_extraction_comes_from_the_store(tmp_path):
    store = BatchStore(tmp_path / "batches")
    docs = reports(tmp_path / "raw", 3)
    key = store.write(docs)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_documents(con, store, {d.doc_id: key for d in docs})
        assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM document_blocks").fetchone() == (6, 3)
        summary = update_extraction_layer(con, store=store, workers=1)
        # every document was extracted where it was read: the extraction step only loaded it
        assert (summary.documents, summary.facts) == (3, 3)
        values = sorted(v for (v,) in con.execute("SELECT value FROM indicator_facts").fetchall())
        assert values == [10.0, 11.0, 12.0]
        assert store.prune(con) == 1 and store.batches() == []


def test_a_batch_the_warehouse_does_not_hold_whole_is_kept(tmp_path):
    store = BatchStore(tmp_path / "batches")
    docs = reports(tmp_path / "raw", 3)
    kept = store.write(docs[:2])
    absorbed = store.write(docs[2:])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        load_documents(con, store, {docs[2].doc_id: absorbed})  # only the second batch reached the warehouse
        update_extraction_layer(con, store=store, workers=1)
        assert store.prune(con) == 1
    assert store.batches() == [kept]
