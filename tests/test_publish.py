"""Write–audit–publish, for real: readers never block a build or see half a warehouse; a failed
audit leaves the published warehouse as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from builders import write_txt

REPO = Path(__file__).resolve().parents[1]
COUNTS = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM indicator_values)"

HOLDING_READER = f"""
import duckdb, json, sys, time
con = duckdb.connect(sys.argv[1], read_only=True)
print("ready", flush=True)
seen = set()
deadline = time.time() + float(sys.argv[2])
while time.time() < deadline:
    seen.add(con.execute({COUNTS!r}).fetchone())
    time.sleep(0.05)
print(json.dumps(sorted(seen)), flush=True)
"""

FRESH_READER = f"""
import duckdb, json, sys, time
seen, errors = set(), []
deadline = time.time() + float(sys.argv[2])
while time.time() < deadline:
    try:
        with duckdb.connect(sys.argv[1], read_only=True) as con:
            seen.add(con.execute({COUNTS!r}).fetchone())
    except Exception as exc:
        errors.append(repr(exc))
    time.sleep(0.05)
print(json.dumps({{"seen": sorted(seen), "errors": errors[:3]}}), flush=True)
"""


def shufa(*args, env=None):
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, timeout=600)


def report(raw: Path, county: str, year: int, aid: int) -> None:
    write_txt(raw / f"{county}{year}.txt", [f"{county}{year}年法治政府建设年度报告", f"全年办理法律援助案件{aid}件。"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readers_do_not_block_a_build_and_never_see_half_a_warehouse(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    report(raw, "柳城县", 2022, 100)
    report(raw, "平阳县", 2022, 150)
    assert shufa("build", "--raw", str(raw), "--warehouse", str(warehouse)).returncode == 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute(COUNTS).fetchone()

    holder = subprocess.Popen([sys.executable, "-c", HOLDING_READER, str(warehouse), "25"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"  # an analyst's connection is open from here on
    fresh = subprocess.Popen([sys.executable, "-c", FRESH_READER, str(warehouse), "25"], stdout=subprocess.PIPE, text=True)
    report(raw, "宁乡市", 2022, 200)
    started = time.time()
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr  # the open read-only connection did not stop the build
    assert time.time() - started < 25, "the build must finish while the readers still read"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = con.execute(COUNTS).fetchone()
    assert after[0] == before[0] + 1

    held, _ = holder.communicate(timeout=60)
    assert [tuple(c) for c in json.loads(held)] == [before]  # the open connection kept one consistent snapshot
    fresh_out = json.loads(fresh.communicate(timeout=60)[0])
    assert {tuple(c) for c in fresh_out["seen"]} <= {before, after}  # every new connection saw a whole warehouse
    assert fresh_out["errors"] == []
    assert not list(tmp_path.glob("warehouse.draft*"))


def test_a_failed_audit_leaves_yesterdays_warehouse_published(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    report(raw, "柳城县", 2022, 100)
    assert shufa("build", "--raw", str(raw), "--warehouse", str(warehouse)).returncode == 0
    published = digest(warehouse)

    project = tmp_path / "dbt_like_sql"
    shutil.copytree(REPO / "dbt_like_sql", project)
    (project / "tests" / "no_county_reports_200_cases.sql").write_text(
        "-- A test planted to fail: no county may report 200 legal aid cases.\n-- asset: indicator_values\n"
        "SELECT * FROM indicator_values WHERE indicator_code = 'legal_aid_cases' AND value = 200\n",
        encoding="utf-8",
    )
    report(raw, "平阳县", 2022, 200)
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse), env={"SHUFA_MODELS_DIR": str(project)})
    assert result.returncode == 1
    assert "audit failed" in result.stderr and "no_county_reports_200_cases" in result.stderr
    assert digest(warehouse) == published  # yesterday's warehouse, untouched
    drafts = list(tmp_path.glob("warehouse.draft-*.duckdb"))
    assert len(drafts) == 1 and str(drafts[0]) in result.stderr  # the failed draft is kept for inspection, and named
