"""Extraction across processes gives exactly what extraction in one process gives, in the same order."""

from __future__ import annotations

from pathlib import Path

from builders import sample_without_tool_made

from pipelines.ingest.corpus import ingest_corpus
from pipelines.warehouse import extraction_layer

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_parallel_extraction_matches_serial(monkeypatch):
    corpus = ingest_corpus(SAMPLE, paths=sample_without_tool_made())  # the scan's OCR is not what is tested
    batch = [(d.doc_id, d.metadata.year, d.parsed.blocks) for d in corpus.documents]
    serial = extraction_layer.extract_documents(batch, workers=1)
    monkeypatch.setattr(extraction_layer, "PARALLEL_MIN_DOCUMENTS", 0)
    monkeypatch.setattr(extraction_layer, "BATCH_DOCUMENTS", 4)  # several batches, finishing out of order
    done = []
    parallel = extraction_layer.extract_documents(batch, workers=2, progress=done.append)
    assert [doc_id for doc_id, _ in parallel] == [doc_id for doc_id, _, _ in batch]
    assert parallel == serial
    assert sum(len(ex.facts) for _, ex in serial) > 500
    assert done[-1] == len(batch)
