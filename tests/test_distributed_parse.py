"""Parsing spread over an executor's processes (the parse job, defs/parse/jobs.py) builds exactly the
warehouse an in-process build does: on Dagster's multiprocess executor, and on a local Dask
cluster of two worker processes through dagster-dask."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import sample_without_tool_made

REPO = Path(__file__).resolve().parents[1]
# Columns that differ between any two builds: when, which run, and digests of the inputs' mtimes.
STAMPS = {"ingested_at", "retracted_at", "extracted_at", "detected_at", "started_at", "finished_at", "seconds",
          "run_id", "build_id", "built_at", "input_fingerprint"}


def shufa_build(raw: Path, warehouse: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--verbose", "--raw", str(raw), "--warehouse", str(warehouse)],
        capture_output=True, text=True, cwd=REPO, timeout=900, env={**os.environ, **env},
    )


def everything(warehouse: Path) -> dict[str, list]:
    """Every table and model of the warehouse, stamps aside, as sorted rows."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]).fetchall()
                if c not in STAMPS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"SELECT {quoted} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return sample_without_tool_made(tmp_path_factory.mktemp("corpus") / "raw")


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, corpus) -> dict[str, list]:
    warehouse = tmp_path_factory.mktemp("in_process") / "warehouse.duckdb"
    result = shufa_build(corpus, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    return everything(warehouse)


@pytest.mark.parametrize("executor", ["multiprocess", "dask"])
def test_a_build_parsed_on_another_executor_is_the_in_process_build(tmp_path, corpus, in_process, executor):
    warehouse = tmp_path / "warehouse.duckdb"
    result = shufa_build(corpus, warehouse, SHUFA_EXECUTOR=executor, SHUFA_WORKERS="2", SHUFA_PARSE_SHARDS="4")
    assert result.returncode == 0, result.stderr[-3000:]
    shards = re.findall(r"shard (\d)/4 on pid (\d+): (\d+) files to read, (\d+) documents in the store", result.stderr)
    assert sorted({s for s, *_ in shards}) == ["0", "1", "2", "3"]
    assert len({pid for _, pid, *_ in shards}) >= 2  # not all in one process
    documents = len(in_process["documents"])
    assert sum(int(n) for *_, n in shards) == documents
    # the build itself parsed nothing: every document came from the shards' batches
    assert re.search(rf"\b{documents} document\(s\) taken from the batch store", result.stderr)
    assert everything(warehouse) == in_process
    assert not list((tmp_path / "warehouse.batches").iterdir())  # the published warehouse holds them: pruned


def test_an_unknown_executor_is_refused_before_anything_runs(tmp_path, corpus):
    result = shufa_build(corpus, tmp_path / "warehouse.duckdb", SHUFA_EXECUTOR="spark")
    assert result.returncode != 0
    assert "SHUFA_EXECUTOR='spark': use one of in_process, multiprocess, dask" in result.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()
