"""Corrections through real builds of the sample corpus: every action, stale and unreadable lines,
the review worklist's top rows corrected to the truth file, and corrections surviving --full
rebuilds and a re-extraction of every document."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.build import build
from pipelines.corrections.corrections_file import Correction, append_correction
from pipelines.corrections.validate import CorrectionRefused, checked
from pipelines.corrections.worklist import worklist

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
TODAY = "2026-12-01"


@pytest.fixture
def warehouse(sample_warehouse, tmp_path) -> Path:
    """A private copy of the sample warehouse, so each test's builds are incremental and its own."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_warehouse, path)
    return path


def query(path: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def rebuild(warehouse: Path, corrections: Path, full: bool = False) -> None:
    summary = build(RAW, warehouse, corrections=corrections, full_refresh=full)
    assert summary.success, summary.failure


def decide(warehouse: Path, corrections: Path, *rows: Correction) -> list[Correction]:
    """Check each correction against the warehouse as `shufa correct` does, and append it."""
    written = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for row in rows:
            written.append(checked(con, row))
            append_correction(corrections, written[-1])
    return written


def fact(warehouse: Path, where: str) -> tuple:
    return query(warehouse, f"SELECT doc_id, char_start, indicator_code, value FROM indicator_facts WHERE {where} "
                            "ORDER BY doc_id, char_start LIMIT 1")[0]


def test_every_action_is_applied_and_reflected(warehouse, tmp_path):
    corrections = tmp_path / "corrections.csv"
    confirm = fact(warehouse, "needs_review")
    reject = fact(warehouse, f"needs_review AND doc_id || char_start <> '{confirm[0]}{confirm[1]}'")
    wrong = fact(warehouse, "NOT needs_review AND indicator_code = 'legal_aid_cases'")
    missed = query(warehouse, "SELECT doc_id, char_start, text FROM quantities WHERE indicator_code IS NULL "
                              "AND regexp_matches(text, '^[0-9]+件$') ORDER BY doc_id, char_start LIMIT 1")[0]
    decide(warehouse, corrections,
           Correction(confirm[0], confirm[1], confirm[2], "confirm", None, "checked the page", "李四", TODAY),
           Correction(reject[0], reject[1], reject[2], "reject", None, "a subtotal", "李四", TODAY),
           Correction(wrong[0], wrong[1], wrong[2], "set", wrong[3] + 1000, "typo in the OCR", "李四", TODAY),
           Correction(missed[0], missed[1], "reconsideration_received", "add", 7, "missed", "李四", TODAY))
    with corrections.open("a", encoding="utf-8", newline="") as handle:  # typed by hand
        handle.write(f"{wrong[0]},{wrong[1]},{wrong[2]},reject,,,李四,{TODAY},999万\r\n")  # not the figure there
        handle.write(f"{wrong[0]},{wrong[1]},{wrong[2]},maybe,,,李四,{TODAY},\r\n")  # no such action
    rebuild(warehouse, corrections)

    statuses = query(warehouse, "SELECT line_no, action, status FROM indicator_corrections ORDER BY line_no")
    assert statuses == [(2, "confirm", "applied"), (3, "reject", "applied"), (4, "set", "applied"),
                        (5, "add", "applied"), (6, "reject", "stale"), (7, "maybe", "invalid")]
    assert query(warehouse, "SELECT line_no FROM stale_corrections") == [(6,)]
    facts = {(d, c, i): (v, s, a, by) for d, c, i, v, s, a, by in query(
        warehouse, "SELECT doc_id, char_start, indicator_code, value, source, correction_action, correction_author "
                   "FROM stg_facts")}
    assert facts[confirm[:3]] == (confirm[3], "extracted", "confirm", "李四")
    assert reject[:3] not in facts
    assert facts[wrong[:3]] == (wrong[3] + 1000, "corrected", "set", "李四")
    assert facts[(missed[0], missed[1], "reconsideration_received")][:2] == (7, "corrected")
    value = query(warehouse, "SELECT v.value, v.source, v.correction_note FROM indicator_values AS v "
                             "JOIN stg_facts AS f USING (county_code, year, indicator_code) "
                             "WHERE f.doc_id = $d AND f.char_start = $c AND f.indicator_code = $i",
                  {"d": wrong[0], "c": wrong[1], "i": wrong[2]})
    assert value == [(wrong[3] + 1000, "corrected", "typo in the OCR")]

    from pipelines.report.profile import load_profile
    from pipelines.report.render import values_table

    county = query(warehouse, "SELECT county_code FROM stg_documents WHERE doc_id = $d", {"d": wrong[0]})[0][0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        profile = load_profile(con, county)
    corrected = [f for f in profile.figures if f.source == "corrected"]
    assert wrong[3] + 1000 in {f.value for f in corrected}
    assert "corrected by 李四: typo in the OCR" in values_table(profile)


def test_checked_refuses_keys_that_do_not_fit(warehouse):
    doc_id, char_start, code, _ = fact(warehouse, "true")
    cases = [
        (Correction("0" * 16, char_start, code, "confirm", None, "", "a", TODAY), "no document"),
        (Correction(doc_id, char_start + 1, code, "set", 1, "", "a", TODAY), "nearest"),
        (Correction(doc_id, char_start, "no_such_thing", "set", 1, "", "a", TODAY), "not in the indicator catalog"),
        (Correction(doc_id, char_start, "legal_aid_fees_waived" if code != "legal_aid_fees_waived" else "legal_aid_cases",
                    "reject", None, "", "a", TODAY), "nothing to reject"),
        (Correction(doc_id, 10**7, code, "add", 1, "", "a", TODAY), "outside"),
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for correction, message in cases:
            with pytest.raises(CorrectionRefused, match=message):
                checked(con, correction)


def _truth() -> dict[tuple[str, str, int], float]:
    with (REPO / "data" / "sample_truth.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["file"], r["indicator_code"], int(r["fact_year"])): float(r["value"]) if r["value"] else None
                for r in csv.DictReader(handle)}


def test_top_of_the_worklist_corrected_to_the_truth_survives_full_and_reextraction(warehouse, tmp_path):
    """The issue's measure: the worklist's top 20 rows, decided against the truth file, take the
    warehouse's facts to the truth's values; a --full rebuild and a re-extraction keep them applied."""
    truth = _truth()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        top = worklist(con)[:20]
    assert len(top) == 20 and all(r["doc_id"] and r["figure"] for r in top)
    decisions, expected = [], {}
    for r in top:
        true_value = truth.get((r["path"], r["indicator_code"], r["year"]))
        if true_value is None:
            action, value = "reject", None
        elif true_value == r["value"]:
            action, value = "confirm", None
        else:
            action, value = "set", true_value
        decisions.append(Correction(r["doc_id"], r["char_start"], r["indicator_code"], action, value,
                                    "against the truth file", "test", TODAY))
        expected[(r["doc_id"], r["char_start"], r["indicator_code"])] = true_value
    corrections = tmp_path / "corrections.csv"
    decide(warehouse, corrections, *decisions)
    assert {d.action for d in decisions} >= {"confirm"}

    def facts_now() -> dict:
        rows = query(warehouse, "SELECT doc_id, char_start, indicator_code, value FROM stg_facts")
        found = {(d, c, i): v for d, c, i, v in rows}
        return {key: found.get(key) for key in expected}

    rebuild(warehouse, corrections)
    assert facts_now() == expected
    keys = {(r["doc_id"], r["char_start"], r["indicator_code"]) for r in top}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        left = {(r["doc_id"], r["char_start"], r["indicator_code"]) for r in worklist(con)
                if r["reasons"] != ["lost_indicator"]}  # a lost row points at last year's figure, reviewed or not
        assert not keys & left

    rebuild(warehouse, corrections, full=True)
    assert facts_now() == expected
    with duckdb.connect(str(warehouse)) as con:  # as after an extractor change: every document extracted again
        con.execute("UPDATE extractions SET extractor_version = 'an older extractor'")
    rebuild(warehouse, corrections)
    assert query(warehouse, "SELECT count(*) FROM extractions WHERE extractor_version = 'an older extractor'") == [(0,)]
    assert facts_now() == expected
    assert query(warehouse, "SELECT DISTINCT status FROM indicator_corrections") == [("applied",)]


def test_a_changed_corrections_file_rebuilds_models_without_parsing(warehouse, tmp_path):
    from pipelines.build_state import up_to_date

    corrections = tmp_path / "corrections.csv"
    rebuild(warehouse, corrections)
    assert up_to_date(RAW, warehouse, corrections)[0]
    doc_id, char_start, code, _ = fact(warehouse, "true")
    decide(warehouse, corrections, Correction(doc_id, char_start, code, "reject", None, "", "王五", TODAY))
    assert not up_to_date(RAW, warehouse, corrections)[0]
    rebuild(warehouse, corrections)
    run = query(warehouse, "SELECT documents_parsed FROM ingest_runs ORDER BY started_at DESC LIMIT 1")
    assert run == [(0,)]
    assert query(warehouse, "SELECT status FROM indicator_corrections") == [("applied",)]
    assert up_to_date(RAW, warehouse, corrections)[0]


def test_a_rate_its_own_counts_contradict_is_on_the_worklist(warehouse, tmp_path):
    """Settled disputes corrected to a tenth: the stated success rate no longer fits its counts, so the
    rate (not reviewed itself) is flagged, with the rate the counts imply."""
    county, year, doc_id, char_start, settled, mediated = query(warehouse, """
        SELECT n.county_code, n.year, n.source_doc_id, n.source_char_start, n.value, d.value
        FROM indicator_values AS n
        JOIN indicator_values AS d USING (county_code, year)
        JOIN indicator_values AS r USING (county_code, year)
        WHERE n.indicator_code = 'mediation_success_count' AND d.indicator_code = 'disputes_mediated'
          AND r.indicator_code = 'mediation_success_rate'
        ORDER BY 1, 2 LIMIT 1""")[0]

    def flagged() -> list[dict]:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return [r for r in worklist(con, county, year) if r["indicator_code"] == "mediation_success_rate"
                    and "rate_contradicts_counts" in r["reasons"]]

    assert flagged() == []
    corrections = tmp_path / "corrections.csv"
    decide(warehouse, corrections, Correction(doc_id, char_start, "mediation_success_count", "set",
                                              round(settled / 10), "a digit lost", "test", TODAY))
    rebuild(warehouse, corrections)
    [row] = flagged()
    implied = round(100 * round(settled / 10) / mediated, 1)
    assert f"mediation_success_count / disputes_mediated = {implied}%" in row["reason_text"]
