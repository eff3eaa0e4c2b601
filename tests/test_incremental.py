"""Nightly behaviour: only changed files are read, figures are retracted not lost, runs are idempotent."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest
from builders import write_txt

from pipelines.build import build
from pipelines.ingest.incremental import FileStat, Previous, plan_run, read_files, stat_files

STABLE_TABLES = ["documents", "document_files", "document_blocks", "ingest_errors", "quantities", "indicator_facts",
                 "indicator_values", "yoy_trends", "county_rankings", "county_scorecard", "coverage_matrix"]


def report(raw: Path, name: str, county: str, year: int, aid: int) -> Path:
    return write_txt(raw / name, [f"{county}{year}年法治政府建设年度报告", f"全年办理法律援助案件{aid}件。", "调解成功率达98%。"])


def last_run(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT 1")
        return dict(zip([d[0] for d in cursor.description], cursor.fetchone()))


def query(warehouse: Path, sql: str):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in STABLE_TABLES}


@pytest.mark.parametrize(
    ("current", "previous", "full", "unchanged", "failed_unchanged", "to_read", "removed"),
    [
        ([FileStat("a.txt", 10, 1)], Previous({"a.txt": ("d1", 10, 1)}), False, {"a.txt": "d1"}, set(), [], set()),
        ([FileStat("a.txt", 10, 2)], Previous({"a.txt": ("d1", 10, 1)}), False, {}, set(), ["a.txt"], set()),  # touched
        ([FileStat("a.txt", 11, 1)], Previous({"a.txt": ("d1", 10, 1)}), False, {}, set(), ["a.txt"], set()),
        ([FileStat("a.txt", 10, 1)], Previous({"a.txt": ("d1", 10, 1)}), True, {}, set(), ["a.txt"], set()),  # --full
        ([FileStat("b.txt", 5, 1)], Previous({}, {"b.txt": (5, 1)}), False, {}, {"b.txt"}, [], set()),  # failed, unchanged
        ([FileStat("b.txt", 6, 1)], Previous({}, {"b.txt": (5, 1)}), False, {}, set(), ["b.txt"], set()),  # failed, changed
        ([], Previous({"a.txt": ("d1", 10, 1)}, {"b.txt": (5, 1)}), False, {}, set(), [], {"a.txt", "b.txt"}),
        # an unchanged file that failed for its content stays failed; a transient failure is retried
        ([FileStat("b.txt", 5, 1)], Previous({}, {"b.txt": (5, 1, "corrupt_file")}), False, {}, {"b.txt"}, [], set()),
        ([FileStat("b.txt", 5, 1)], Previous({}, {"b.txt": (5, 1, "timeout")}), False, {}, set(), ["b.txt"], set()),
        ([FileStat("b.txt", 5, 1)], Previous({}, {"b.txt": (5, 1, "read_failed")}), False, {}, set(), ["b.txt"], set()),
    ],
)
def test_plan(current, previous, full, unchanged, failed_unchanged, to_read, removed):
    plan = plan_run(current, previous, full)
    assert (plan.unchanged, plan.failed_unchanged, [f.path for f in plan.to_read], plan.removed) == (
        unchanged, failed_unchanged, to_read, removed)


def test_nightly_lifecycle(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    report(raw, "a.txt", "柳城县", 2023, 100)
    report(raw, "b.txt", "平阳县", 2023, 200)
    report(raw, "c.txt", "宁乡市", 2023, 300)
    (raw / "bad.txt").write_bytes(b"")
    assert build(raw, wh).success
    first = last_run(wh)
    assert (first["new_files"], first["documents_parsed"], first["failed_files"], first["facts_added"]) == (3, 3, 1, 6)

    # nothing changed: nothing read, nothing written but the run's row
    before = snapshot(wh)
    assert build(raw, wh).success
    run = last_run(wh)
    assert (run["unchanged_files"], run["documents_parsed"], run["failed_files"], run["facts_added"]) == (3, 0, 1, 0)
    assert snapshot(wh) == before  # idempotent: the same figure is never stored twice

    # a renamed file is not parsed again; its document stays current
    (raw / "c.txt").rename(raw / "c_renamed.txt")
    assert build(raw, wh).success
    run = last_run(wh)
    assert (run["moved_files"], run["documents_parsed"], run["documents_retracted"]) == (1, 0, 0)

    # a changed file replaces its figures; the old ones are retracted, kept as history
    time.sleep(0.01)
    report(raw, "a.txt", "柳城县", 2023, 150)
    assert build(raw, wh).success
    run = last_run(wh)
    assert (run["changed_files"], run["documents_parsed"], run["documents_retracted"], run["facts_added"], run["facts_retracted"]) == (1, 1, 1, 2, 2)
    assert query(wh, "SELECT value FROM indicator_values WHERE county_code = '450222' AND indicator_code = 'legal_aid_cases'") == [(150,)]
    assert query(wh, "SELECT count(*) FROM indicator_facts JOIN documents USING (doc_id) WHERE status = 'retracted'") == [(2,)]

    # a removed file's figures are retracted with a time, not silently lost
    (raw / "b.txt").unlink()
    assert build(raw, wh).success
    run = last_run(wh)
    assert (run["removed_files"], run["documents_retracted"], run["facts_retracted"]) == (1, 1, 2)
    assert query(wh, "SELECT count(*) FROM indicator_values WHERE county_code = '330326'") == [(0,)]
    assert query(wh, "SELECT status, retracted_at IS NOT NULL FROM documents WHERE path = 'b.txt'") == [("retracted", True)]

    # the failed file is retried only once it changes
    report(raw, "bad.txt", "通州区", 2023, 50)
    (raw / "bad.txt").write_text("南通市通州区2023年法治政府建设年度报告\n全年办理法律援助案件50件。", encoding="utf-8")
    assert build(raw, wh).success
    assert query(wh, "SELECT count(*) FROM ingest_errors") == [(0,)]
    assert query(wh, "SELECT value FROM indicator_values WHERE county_code = '320612'") == [(50,)]


def test_extractor_change_reextracts_from_stored_blocks(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    report(raw, "a.txt", "柳城县", 2023, 100)
    assert build(raw, wh).success
    with duckdb.connect(str(wh)) as con:  # as if the documents were extracted by an older extractor
        con.execute("UPDATE extractions SET extractor_version = 'older'")
        con.execute("DELETE FROM indicator_facts")
    assert build(raw, wh).success
    run = last_run(wh)
    assert (run["unchanged_files"], run["documents_parsed"], run["facts_added"]) == (1, 0, 2)  # no file read, facts back
    assert query(wh, "SELECT count(*) FROM indicator_facts") == [(2,)]
    assert query(wh, "SELECT DISTINCT extractor_version <> 'older' FROM extractions") == [(True,)]


def test_a_hanging_document_times_out_and_the_others_are_read(tmp_path):
    from slow_reader import sometimes_hangs

    raw = tmp_path / "raw"
    raw.mkdir()
    report(raw, "good.txt", "柳城县", 2023, 100)
    report(raw, "slow.txt", "平阳县", 2023, 200)
    started = time.perf_counter()
    result = read_files(raw, stat_files(raw), {}, timeout_s=8, workers=2, reader=sometimes_hangs)
    assert time.perf_counter() - started < 60
    assert [d.path for d in result.documents] == ["good.txt"]
    assert [(f.path, f.error_kind) for f in result.failures] == [("slow.txt", "timeout")]


def test_a_file_written_while_it_is_read_is_deferred_not_published_half_known(tmp_path):
    from slow_reader import appends_first

    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "growing.txt", ["江宁区2023年法治政府建设年度报告", "全年办理法律援助案件5件。"])
    write_txt(raw / "steady.txt", ["溧水区2023年法治政府建设年度报告", "全年办理法律援助案件6件。"])
    result = read_files(raw, stat_files(raw), {}, workers=1, reader=appends_first)
    assert [d.path for d in result.documents] == ["steady.txt"]
    assert [(f.path, f.error_kind) for f in result.failures] == [("growing.txt", "file_changing")]
    assert "read again on the next run" in result.failures[0].reason


def test_identical_bytes_under_two_extensions_are_judged_by_each_reader(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "副本.txt", ["江宁区2023年法治政府建设年度报告", "全年办理法律援助案件5件。"])
    (raw / "副本.doc").write_bytes((raw / "副本.txt").read_bytes())
    (raw / "副本2.txt").write_bytes((raw / "副本.txt").read_bytes())
    result = read_files(raw, stat_files(raw), {}, workers=1)
    assert [d.path for d in result.documents] == ["副本.txt"]
    assert result.files == {"副本.txt": result.documents[0].doc_id, "副本2.txt": result.documents[0].doc_id}
    assert [(f.path, f.error_kind) for f in result.failures] == [("副本.doc", "unsupported_format")]


def test_known_content_under_an_unreadable_extension_is_still_refused(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "副本.txt", ["江宁区2023年法治政府建设年度报告", "全年办理法律援助案件5件。"])
    (raw / "副本.doc").write_bytes((raw / "副本.txt").read_bytes())
    first = read_files(raw, stat_files(raw), {}, workers=1)
    known = {d.doc_id: d.parsed.format for d in first.documents}
    again = read_files(raw, stat_files(raw), known, workers=1)  # as after `touch 副本.doc 副本.txt`
    assert again.files == {"副本.txt": first.documents[0].doc_id}
    assert [(f.path, f.error_kind) for f in again.failures] == [("副本.doc", "unsupported_format")]
