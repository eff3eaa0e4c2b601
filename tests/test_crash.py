"""A build killed part-way (while parsing, while building models, while publishing) leaves the
published warehouse as it was, and the next build completes with nothing lost or duplicated."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import sample_without_tool_made

REPO = Path(__file__).resolve().parents[1]
# What must come out the same as a clean build's (timestamps and run ids aside).
COMPARE = {
    "documents": "SELECT doc_id, path, status, county_code, year FROM documents",
    "document_blocks": "SELECT doc_id, block_no, text FROM document_blocks",
    "indicator_facts": "SELECT doc_id, fact_no, indicator_code, value, fact_year FROM indicator_facts",
    "quantities": "SELECT doc_id, quantity_no, text FROM quantities",
    "indicator_values": "SELECT county_code, year, indicator_code, value, masked FROM indicator_values",
    "county_scorecard": "SELECT county_code, year, score FROM county_scorecard",
}


def shufa_build(raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse", str(warehouse)],
                          capture_output=True, text=True, cwd=REPO, timeout=600)


def contents(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in COMPARE.items()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """The sample corpus but its OCR'd scan and LibreOffice .doc: the kills need many builds, not those readers."""
    return sample_without_tool_made(tmp_path_factory.mktemp("sample") / "raw")


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sample) -> dict:
    """A clean, uninterrupted build of that corpus."""
    root = tmp_path_factory.mktemp("reference")
    assert shufa_build(sample, root / "warehouse.duckdb").returncode == 0
    return contents(root / "warehouse.duckdb")


def kill_when(raw: Path, warehouse: Path, marker: str) -> bool:
    """Start a verbose build and SIGKILL it (and its worker processes) when ``marker`` shows in its log."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "build", "--verbose", "--raw", str(raw), "--warehouse", str(warehouse)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True,
    )
    killed = False
    for line in process.stderr:
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            killed = True
            break
    process.wait(timeout=120)
    return killed


@pytest.mark.parametrize(
    "marker",
    [
        "read 1/",  # parsing the new reports (progress line)
        "building model county_rankings",  # building the SQL models
        "auditing the draft",  # auditing, before publishing
        "publishing to",  # at the atomic replace itself
    ],
)
def test_killed_build_leaves_the_published_warehouse_and_the_next_build_completes(tmp_path, sample, reference, marker):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    shutil.copytree(sample, raw)
    held_back = raw.parent / "held_back"
    shutil.move(raw / "柳城县", held_back)  # yesterday's corpus lacks one county
    assert shufa_build(raw, warehouse).returncode == 0
    yesterday = digest(warehouse)

    shutil.move(held_back, raw / "柳城县")  # tonight three reports arrive
    assert kill_when(raw, warehouse, marker), f"the build ended before {marker!r} was seen"
    after_kill = digest(warehouse)
    if after_kill != yesterday:  # the kill landed after the atomic replace: then the new warehouse is whole
        assert marker in ("auditing the draft", "publishing to")
        assert contents(warehouse) == reference

    result = shufa_build(raw, warehouse)
    assert result.returncode == 0, result.stderr
    assert contents(warehouse) == reference  # nothing lost, nothing duplicated
    assert not list(tmp_path.glob("warehouse.draft*"))
