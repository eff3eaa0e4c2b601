"""One build at a time per warehouse, shown with real processes racing for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import write_txt

from pipelines.defs.resources import Publication
from pipelines.warehouse.build_lock import BuildLock, BuildLocked, lock_path

REPO = Path(__file__).resolve().parents[1]
HOLDER = """
import sys, time
from pathlib import Path
from pipelines.warehouse.build_lock import BuildLock
BuildLock(Path(sys.argv[1])).acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def shufa(*args):
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", *args], cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "SHUFA_WORKERS": "1"})


def hold(warehouse: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(warehouse), str(seconds)], cwd=REPO, text=True,
                              stdout=subprocess.PIPE)
    assert holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    for county, aid in (("江宁区", 31), ("溧水区", 17)):
        write_txt(folder / f"{county}2023.txt", [f"南京市{county}2023年法治政府建设年度报告", f"全年办理法律援助案件{aid}件。"])
    return folder


def test_a_second_build_is_refused_with_its_reason_and_touches_nothing(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    holder = hold(warehouse, 60)
    try:
        build = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
        out, err = build.communicate(timeout=300)
    finally:
        holder.kill()
    assert build.returncode == 75, (out, err)
    assert "another build of this warehouse is running" in err and "--wait" in err, err
    assert "Traceback" not in err
    assert not warehouse.exists()


def test_wait_queues_behind_the_running_build(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    holder = hold(warehouse, 600)
    build = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse), "--wait")
    try:
        first = build.stderr.readline()  # the queued build says whom it waits for, however slow it was to start
    finally:
        holder.kill()  # the holder ends only after that: no race on timing
    out, err = build.communicate(timeout=300)
    assert "waiting for the build holding" in first, first + err
    assert build.returncode == 0, err
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_two_builds_started_together_leave_one_good_warehouse(raw, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    builds = [shufa("build", "--raw", str(raw), "--warehouse", str(warehouse)) for _ in range(2)]
    results = [(b.wait(timeout=300), b.stderr.read()) for b in builds]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 75]), results  # the second finished after the first, or was refused
    assert not any("Traceback" in err for _, err in results)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone() == (2, 2)
        assert con.execute("SELECT count(*) FROM indicator_values").fetchone()[0] >= 2


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    holder = hold(warehouse, 60)
    with pytest.raises(BuildLocked, match="pid"):
        BuildLock(warehouse).acquire()
    holder.kill()
    holder.wait()
    lock = BuildLock(warehouse)
    lock.acquire()  # kill -9 left no stale lock
    lock.release()
    assert lock_path(warehouse).exists()


def test_publish_refuses_a_missing_or_empty_draft(tmp_path):
    published = tmp_path / "w.duckdb"
    with duckdb.connect(str(published)) as con:
        con.execute("CREATE TABLE documents AS SELECT 1 AS doc_id")
    before = published.read_bytes()
    publication = Publication(published_path=str(published))
    with pytest.raises(FileNotFoundError, match="left as it was"):
        publication.publish()
    assert not publication.draft.exists()  # not created by the refusal
    duckdb.connect(str(publication.draft)).close()  # a draft with no tables
    with pytest.raises(RuntimeError, match="no documents table"):
        publication.publish()
    assert published.read_bytes() == before
