"""A build is skipped only when the published warehouse was built from the same files by the same code."""

from __future__ import annotations

import datetime as dt
import os

import dagster as dg
import duckdb
import pytest
from builders import write_txt

from pipelines import build_state
from pipelines.build import build
from pipelines.build_state import build_fingerprint, folder_fingerprint, up_to_date
from pipelines.defs.operations.automation import nightly_build
from pipelines.defs.resources import CorrectionsFile, Publication, RawCorpus


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("state")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告", "全年办理法律援助案件312件。"])
    assert build(raw, warehouse).success
    return raw, warehouse


def test_a_published_build_of_the_same_files_is_up_to_date(built):
    raw, warehouse = built
    current, finished_at = up_to_date(raw, warehouse)
    assert current and isinstance(finished_at, dt.datetime)


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: os.utime(raw / "a.txt", ns=(1, 1)),  # touched
        lambda raw: write_txt(raw / "b.txt", ["平阳县2023年法治政府建设年度报告"]),  # added
        lambda raw: (raw / "a.txt.meta.json").write_text('{"year": 2022}', encoding="utf-8"),  # a sidecar
        lambda raw: (raw / "a.txt").rename(raw / "moved.txt"),  # renamed
    ],
    ids=["touched", "added", "sidecar", "renamed"],
)
def test_any_change_to_the_folder_changes_the_fingerprint(tmp_path, change):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告"])
    before = folder_fingerprint(raw)
    change(raw)
    assert folder_fingerprint(raw) != before


def test_hidden_files_do_not_count(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告"])
    before = folder_fingerprint(raw)
    (raw / ".partial.txt.swp").write_bytes(b"x")
    assert folder_fingerprint(raw) == before


def test_a_code_change_makes_the_warehouse_stale(built, monkeypatch):
    raw, warehouse = built
    before = build_fingerprint(raw)
    monkeypatch.setattr(build_state, "code_version", lambda: "another version of the code")
    assert build_fingerprint(raw) != before
    assert up_to_date(raw, warehouse)[0] is False


def test_no_warehouse_or_one_without_fingerprints_is_not_up_to_date(built, tmp_path):
    raw, _ = built
    assert up_to_date(raw, tmp_path / "none.duckdb") == (False, None)
    with duckdb.connect(str(tmp_path / "old.duckdb")) as con:
        con.execute("CREATE TABLE ingest_runs (run_id VARCHAR, finished_at TIMESTAMP)")
        con.execute("INSERT INTO ingest_runs VALUES ('r', now())")
    assert up_to_date(raw, tmp_path / "old.duckdb") == (False, None)


def _tick(raw, warehouse):
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC),
        resources={"raw_corpus": RawCorpus(path=str(raw)), "publication": Publication(published_path=str(warehouse)),
                   "corrections_file": CorrectionsFile(path=str(raw.parent / "corrections.csv"))},
    )
    return nightly_build.evaluate_tick(context)


def test_the_nightly_schedule_skips_when_nothing_changed_and_runs_when_something_did(built, tmp_path):
    raw, warehouse = built
    skipped = _tick(raw, warehouse)
    assert not skipped.run_requests and "nothing changed" in skipped.skip_message
    assert len(_tick(raw, tmp_path / "never_built.duckdb").run_requests) == 1
    write_txt(raw / "later.txt", ["平阳县2023年法治政府建设年度报告", "全年办理法律援助案件80件。"])
    assert len(_tick(raw, warehouse).run_requests) == 1
