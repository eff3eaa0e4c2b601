"""Stored documents follow what they were derived from, through real builds: a sidecar or manifest row
added, edited or removed beside an ingested report re-derives its metadata (and its facts' dates)
without parsing the file; a new version of the readers re-parses, a new version of metadata detection
re-derives; and --full truly parses every file again, keeping each document's first ingestion time."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from builders import write_txt
from pipelines.build import build
from pipelines.warehouse import batch_store, raw_layer


def report(raw: Path, name: str, first_line: str, aid: int) -> Path:
    (raw / name).parent.mkdir(parents=True, exist_ok=True)
    return write_txt(raw / name, [first_line, f"本年度共办理法律援助案件{aid}件，群众满意度较高。"])


@pytest.fixture
def corpus(tmp_path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    report(raw, "甲/第一份.txt", "江宁区2023年法治政府建设年度报告", 61)
    report(raw, "甲/第二份.txt", "溧水区2022年法治政府建设年度报告", 72)
    report(raw, "乙/第三份.txt", "高淳区2023年法治政府建设年度报告", 83)
    warehouse = tmp_path / "warehouse.duckdb"
    run(raw, warehouse)
    return raw, warehouse


def run(raw: Path, warehouse: Path, full: bool = False) -> dict:
    summary = build(raw, warehouse, full_refresh=full)
    assert summary.success, summary.failure
    return summary.run


def one(warehouse: Path, sql: str, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def document(warehouse: Path, path: str) -> tuple:
    return one(warehouse, "SELECT county, county_code, year, county_source, year_source FROM documents "
                          "WHERE path = $p", {"p": path})[0]


def aid_values(warehouse: Path) -> set[tuple]:
    return set(one(warehouse, "SELECT county_code, year, value FROM indicator_values "
                              "WHERE indicator_code = 'legal_aid_cases'"))


def test_a_sidecar_added_edited_and_removed_is_followed_without_parsing(corpus):
    raw, warehouse = corpus
    assert document(warehouse, "甲/第一份.txt")[:3] == ("江宁区", "320115", 2023)
    sidecar = raw / "甲" / "第一份.txt.meta.json"

    sidecar.write_text(json.dumps({"county": "六合区", "county_code": "320116", "year": 2021}), "utf-8")
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["metadata_rederived"]) == (0, 1)
    assert document(warehouse, "甲/第一份.txt") == ("六合区", "320116", 2021, "sidecar", "sidecar")
    assert ("320116", 2021, 61.0) in aid_values(warehouse) and ("320115", 2023, 61.0) not in aid_values(warehouse)

    sidecar.write_text(json.dumps({"county": "六合区", "county_code": "320116", "year": 2020}), "utf-8")
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["metadata_rederived"]) == (0, 1)
    assert document(warehouse, "甲/第一份.txt")[2] == 2020

    sidecar.unlink()
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["metadata_rederived"]) == (0, 1)
    assert document(warehouse, "甲/第一份.txt") == ("江宁区", "320115", 2023, "text", "title")
    assert ("320115", 2023, 61.0) in aid_values(warehouse)


def test_a_manifest_row_is_followed_and_other_documents_are_left_alone(corpus):
    raw, warehouse = corpus
    manifest = raw / "甲" / "manifest.csv"
    manifest.write_text("file,county,county_code,year\n第二份.txt,浦口区,320111,2021\n", "utf-8-sig")
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["metadata_rederived"]) == (0, 1)
    assert document(warehouse, "甲/第二份.txt") == ("浦口区", "320111", 2021, "manifest", "manifest")
    assert document(warehouse, "甲/第一份.txt")[:3] == ("江宁区", "320115", 2023)

    manifest.write_text("file,county,county_code,year\n第二份.txt,浦口区,320111,2022\n", "utf-8-sig")
    assert run(raw, warehouse)["metadata_rederived"] == 1
    assert document(warehouse, "甲/第二份.txt")[2] == 2022


def test_full_parses_every_file_again_and_keeps_first_ingestion(corpus):
    raw, warehouse = corpus
    before = one(warehouse, "SELECT doc_id, ingested_at FROM documents ORDER BY doc_id")
    facts = one(warehouse, "SELECT count(*) FROM indicator_facts")
    runs = run(raw, warehouse, full=True)
    assert (runs["documents_parsed"], runs["documents_reparsed"]) == (3, 3)
    assert (runs["new_files"], runs["changed_files"], runs["moved_files"], runs["unchanged_files"]) == (0, 0, 0, 3)
    assert one(warehouse, "SELECT doc_id, ingested_at FROM documents ORDER BY doc_id") == before
    assert one(warehouse, "SELECT count(*) FROM indicator_facts") == facts
    assert one(warehouse, "SELECT count(*), count(DISTINCT (doc_id, block_no)) FROM document_blocks")[0] == \
        one(warehouse, "SELECT sum(blocks), sum(blocks) FROM documents")[0]


def test_a_new_reader_version_reparses_once_and_reextracts(corpus, monkeypatch):
    raw, warehouse = corpus
    for module in (raw_layer, batch_store):  # the planning and the batch writing (the build's process)
        monkeypatch.setattr(module, "reader_version", lambda: "a-newer-reader")
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["documents_reparsed"], runs["unchanged_files"]) == (3, 3, 3)
    assert one(warehouse, "SELECT DISTINCT reader_version FROM documents") == [("a-newer-reader",)]
    assert one(warehouse, "SELECT DISTINCT reader_version FROM extractions") == [("a-newer-reader",)]
    report(raw, "乙/第四份.txt", "浦口区2023年法治政府建设年度报告", 9)
    runs = run(raw, warehouse)  # the next build reads only the new file
    assert (runs["documents_parsed"], runs["documents_reparsed"], runs["new_files"]) == (1, 0, 1)


def test_a_new_metadata_version_rederives_every_document_without_parsing(corpus, monkeypatch):
    raw, warehouse = corpus
    monkeypatch.setattr(raw_layer, "metadata_version", lambda: "a-newer-detector")
    runs = run(raw, warehouse)
    assert (runs["documents_parsed"], runs["metadata_rederived"]) == (0, 3)
    assert one(warehouse, "SELECT DISTINCT metadata_version FROM documents") == [("a-newer-detector",)]
    assert document(warehouse, "乙/第三份.txt")[:3] == ("高淳区", "320118", 2023)
    report(raw, "乙/第四份.txt", "浦口区2023年法治政府建设年度报告", 9)
    assert run(raw, warehouse)["metadata_rederived"] == 0
