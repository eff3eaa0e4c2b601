"""The analyst's loop through the real CLI, as the README documents it: `shufa review` writes the worklist,
the analyst fills in review.csv's action column, `shufa correct import` checks and appends the rows,
`shufa build --corrections` applies them, and the corrected figure is the county-year's value."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]


def shufa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "SHUFA_AUTHOR": "测试员"}, timeout=900)


@pytest.fixture
def warehouse(sample_warehouse, tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_warehouse, path)
    return path


def test_review_fill_in_import_build(warehouse, tmp_path):
    out, corrections = tmp_path / "review", tmp_path / "corrections.csv"
    reviewed = shufa("review", "--out", out, "--warehouse", warehouse)
    assert reviewed.returncode == 0, reviewed.stderr
    assert "figure(s) to review" in reviewed.stdout and (out / "review.html").is_file()

    with (out / "review.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    extracted = [r for r in rows if r["reasons"] != "lost_indicator" and r["value"]]
    first, second = extracted[0], next(r for r in extracted[1:] if r["doc_id"] != extracted[0]["doc_id"]
                                       or r["char_start"] != extracted[0]["char_start"])
    first.update(action="set", value="4321", note="核对原文")
    second.update(action="reject")
    with (out / "review.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)

    imported = shufa("correct", "import", out / "review.csv", "--corrections", corrections, "--warehouse", warehouse)
    assert imported.returncode == 0, imported.stderr
    assert "2 correction(s) added" in imported.stdout
    with corrections.open(encoding="utf-8-sig", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["action"], r["author"]) for r in written] == [("set", "测试员"), ("reject", "测试员")]

    built = shufa("build", "--warehouse", warehouse, "--corrections", corrections)
    assert built.returncode == 0, built.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        value, source, author, note = con.execute(
            "SELECT value, source, correction_author, correction_note FROM indicator_values "
            "WHERE county_code = $c AND year = $y AND indicator_code = $i",
            {"c": first["county_code"], "y": int(first["year"]), "i": first["indicator_code"]}).fetchone()
        statuses = con.execute("SELECT action, status FROM indicator_corrections ORDER BY action").fetchall()
    assert (value, source, author, note) == (4321.0, "corrected", "测试员", "核对原文")
    assert statuses == [("reject", "applied"), ("set", "applied")]

    again = shufa("review", "--out", out, "--warehouse", warehouse)
    assert again.returncode == 0, again.stderr
    with (out / "review.csv").open(encoding="utf-8-sig", newline="") as handle:
        keys = {(r["doc_id"], r["char_start"]) for r in csv.DictReader(handle) if r["reasons"] != "lost_indicator"}
    assert (first["doc_id"], first["char_start"]) not in keys


def test_a_correction_that_does_not_fit_is_refused_and_nothing_is_written(warehouse, tmp_path):
    corrections = tmp_path / "corrections.csv"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        doc_id, char_start = con.execute("SELECT doc_id, char_start FROM indicator_facts LIMIT 1").fetchone()
    wrong_position = shufa("correct", "reject", doc_id, char_start + 1, "legal_aid_cases",
                           "--corrections", corrections, "--warehouse", warehouse)
    unknown_indicator = shufa("correct", "set", doc_id, char_start, "no_such_indicator", "5",
                              "--corrections", corrections, "--warehouse", warehouse)
    for refused in (wrong_position, unknown_indicator):
        assert refused.returncode == 1 and refused.stderr.startswith("shufa correct: "), refused.stderr
    assert "no_such_indicator" in unknown_indicator.stderr
    assert not corrections.exists() or len(corrections.read_text("utf-8-sig").splitlines()) <= 1
