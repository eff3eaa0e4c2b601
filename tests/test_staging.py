"""A run's rows reach the warehouse whole, through the batch store, however many there are (more
than a DuckDB row group included)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from pipelines.warehouse.batch_rows import read_and_pack
from pipelines.ingest.incremental import Previous, plan_run, read_files, stat_files
from pipelines.warehouse.batch_store import BatchStore, BatchWriter
from pipelines.warehouse.raw_layer import apply_raw_changes, ensure_schema, summarise_run
from pipelines.warehouse.staging import StoredRows


@pytest.mark.parametrize("paragraphs", [3, 130_000])  # 130,000 blocks > one row group (122,880 rows)
def test_every_block_of_a_run_is_stored_and_readable(tmp_path, paragraphs):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = ["柳城县2023年法治政府建设年度报告"] + [f"第{i}项工作。" for i in range(paragraphs - 1)]
    (raw / "long.txt").write_text("\n".join(lines), encoding="utf-8")
    stats = stat_files(raw)
    plan = plan_run(stats, Previous())
    store = BatchStore(tmp_path / "batches")
    writer = BatchWriter(store)
    read = read_files(raw, plan.to_read, {}, workers=1, reader=read_and_pack, sink=writer.add)
    writer.flush()
    (document,) = read.documents
    assert document.blocks == paragraphs and store.batches() == [document.batch]
    summary = summarise_run("run-1", stats, plan, read, Previous(), set())
    parsed = {t: StoredRows(*store.picked(t, {document.doc_id: document.batch})) for t in ("documents", "document_blocks")}
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_schema(con)
        apply_raw_changes(con, stats, plan, read, summary, datetime(2026, 1, 1), datetime(2026, 1, 1), parsed)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        scanned = con.execute("SELECT block_no, text FROM document_blocks ORDER BY block_no").fetchall()
    assert len(scanned) == paragraphs
    assert scanned[-1][1] == lines[-1]
