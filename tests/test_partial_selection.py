"""Materializing part of the asset graph, as a data engineer does from the UI or `dagster asset
materialize --select`: a selection with both ends of the run (warehouse_draft … published_warehouse)
rebuilds its assets on a draft of the published warehouse and publishes it after the audit; a selection
without them is refused before any step runs, naming what to add, and writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def published(sample_warehouse, tmp_path) -> Path:
    path = tmp_path / "warehouse" / "warehouse.duckdb"
    path.parent.mkdir()
    shutil.copyfile(sample_warehouse, path)
    return path


def materialize(published: Path, selection: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SHUFA_RAW": str(REPO / "data" / "raw"), "SHUFA_WAREHOUSE": str(published),
           "DAGSTER_HOME": str(tmp_path / "dagster_home")}
    (tmp_path / "dagster_home").mkdir(exist_ok=True)
    dagster = Path(sys.executable).with_name("dagster")
    return subprocess.run([str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", selection],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=600)


def test_a_selection_without_the_draft_is_refused_and_writes_nothing(published, tmp_path):
    before = published.read_bytes()
    done = materialize(published, "yoy_trends", tmp_path)
    assert done.returncode != 0
    assert "without warehouse_draft and published_warehouse" in done.stdout + done.stderr
    assert published.read_bytes() == before
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb"]  # no draft left behind


def test_a_selection_with_both_ends_rebuilds_on_a_draft_and_publishes(published, tmp_path):
    with duckdb.connect(str(published)) as con:  # make the published mart visibly stale
        expected = con.execute("SELECT count(*) FROM yoy_trends").fetchone()[0]
        con.execute("DELETE FROM yoy_trends")
    done = materialize(published, "warehouse_draft,yoy_trends,published_warehouse", tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM yoy_trends").fetchone()[0] == expected > 0
    # no draft left behind (the build lock's file stays, as after every build)
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb", "warehouse.duckdb.lock"]
