"""One document whose extraction raises or runs too long costs that document its facts, never the
build: it becomes an ingest_errors row and every other document is extracted and published."""

from __future__ import annotations

import duckdb
import hostile_extraction
import pytest
from builders import write_txt

import pipelines.defs.resources as resources
import pipelines.extract.from_file as from_file
from pipelines.build import build


@pytest.mark.parametrize("where", ["read_worker", "from_stored_blocks"])
def test_failing_and_slow_documents_become_errors_and_the_rest_is_published(tmp_path, monkeypatch, where):
    """A file read this run is extracted in the worker that read it; a stored document (the
    extractor changed) from its stored blocks in the build's own process: both paths fail alike."""
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "江宁区2023.txt", ["南京市江宁区2023年法治政府建设年度报告", "全年办理法律援助案件31件。"])
    write_txt(raw / "溧水区2023.txt", ["南京市溧水区2023年法治政府建设年度报告", "爆炸性的一句：全年办理法律援助案件17件。"])
    write_txt(raw / "高淳区2023.txt", ["南京市高淳区2023年法治政府建设年度报告", "漫长的一句：全年办理法律援助案件9件。"])
    if where == "read_worker":
        monkeypatch.setattr(resources, "read_and_pack", hostile_extraction.read_and_pack)
    else:  # nothing is extracted while reading: the extraction step finds every document to do
        monkeypatch.setattr(resources, "read_and_pack", hostile_extraction.read_only)
        monkeypatch.setattr(from_file, "extract_blocks", hostile_extraction.hostile_extract)
    monkeypatch.setenv("SHUFA_TIMEOUT_S", "2")
    warehouse = tmp_path / "w.duckdb"
    for _ in range(2):  # a rerun keeps the errors (extraction is not repeated) and duplicates nothing
        summary = build(raw, warehouse)
        assert summary.success, summary.failure
        with duckdb.connect(str(warehouse), read_only=True) as con:
            errors = con.execute("SELECT path, error_kind, reason FROM ingest_errors ORDER BY path").fetchall()
            facts = con.execute("SELECT d.county, f.value FROM indicator_facts f JOIN documents d USING (doc_id)").fetchall()
        assert [(p, k) for p, k, _ in errors] == [("溧水区2023.txt", "extraction_failed"), ("高淳区2023.txt", "extraction_failed")]
        assert "OverflowError" in errors[0][2] and "longer than 2 s" in errors[1][2]
        assert facts == [("江宁区", 31.0)]
