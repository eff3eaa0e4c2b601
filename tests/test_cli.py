"""End to end: the installed ``shufa`` command, run as a subprocess on a corpus of real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import DocxTable, PdfPage, write_docx, write_pdf, write_scanned_pdf, write_txt

SHUFA = [sys.executable, "-m", "pipelines.cli"]
REPO = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([*SHUFA, *args], capture_output=True, text=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    (raw / "柳城县").mkdir()
    write_docx(
        raw / "柳城县" / "2023年报告.docx",
        [("Title", "柳城县2023年法治政府建设年度报告"), ("Heading 1", "一、推进依法行政"), "全年收到行政复议申请26件。",
         DocxTable([["指标", "数值"], ["法律援助案件", "312件"]])],
    )
    write_pdf(
        raw / "柳城县" / "2022年报告.pdf",
        [PdfPage(lines=["柳城县2022年法治政府建设年度报告", "  一、加强组织领导", "  召开常务会议学法12次。"]),
         PdfPage(lines=["  二、强化执法监督", "  评查行政执法案卷240卷。"])],
        running_header="柳城县法治政府建设", page_numbers=True,
    )
    write_txt(raw / "gb.txt", ["宁乡市市长2021年度述法报告", "一、履职情况", "全年开展普法活动36场。"], encoding="gb18030", newline="\r\n")
    write_txt(raw / "copy_of_gb.txt", ["宁乡市市长2021年度述法报告", "一、履职情况", "全年开展普法活动36场。"], encoding="gb18030", newline="\r\n")
    write_txt(raw / "masked.txt", ["**县2022年法治政府建设年度报告", "全年调解矛盾纠纷***件。"])
    (raw / "empty.txt").write_bytes(b"")
    (raw / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (raw / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    write_scanned_pdf(raw / "scan.pdf")
    write_pdf(raw / "locked.pdf", [PdfPage(lines=["柳城县2021年法治政府建设年度报告"])], encrypt_password="pw")
    (raw / ".hidden.txt").write_text("ignored", encoding="utf-8")
    return raw


EXPECTED_ERRORS = {
    "broken.docx": "corrupt_file",
    "empty.txt": "empty_file",
    "locked.pdf": "encrypted",
    "notes.xlsx": "unsupported_format",
    "scan.pdf": "ocr_no_text",  # a scan of bars: OCR reads nothing
}


def _tables(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("documents", "document_files", "document_blocks", "ingest_errors", "admin_divisions",
                      "quantities", "indicator_facts", "indicator_catalog")
        }


def test_build_end_to_end(corpus, tmp_path):
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = run("build", "--raw", str(corpus), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert re.search(r"documents ingested:\s+4\n", result.stdout)
    assert re.search(r"files failed:\s+5\n", result.stdout)

    with duckdb.connect(str(warehouse), read_only=True) as con:
        docs = {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT path, format, county, county_code, county_status, year, report_type, issuer_role, blocks FROM documents"
            ).fetchall()
        }
        errors = dict(con.execute("SELECT path, error_kind FROM ingest_errors").fetchall())
        files = con.execute("SELECT count(*), count(DISTINCT doc_id) FROM document_files").fetchone()
        cell = con.execute(
            "SELECT b.table_no, b.row_no, b.col_no, b.section_path FROM document_blocks b JOIN documents d USING (doc_id) "
            "WHERE d.format = 'docx' AND b.text = '312件'"
        ).fetchone()
        pdf_pages = con.execute("SELECT max(page) FROM document_blocks b JOIN documents d USING (doc_id) WHERE d.format='pdf'").fetchone()
        admin = con.execute("SELECT count(*) FROM admin_divisions WHERE name = '柳城县'").fetchone()
        facts = con.execute(
            "SELECT d.path, f.indicator_code, f.value, f.masked, f.fact_year, f.evidence FROM indicator_facts f "
            "JOIN documents d USING (doc_id) ORDER BY ALL"
        ).fetchall()
        indicators = con.execute("SELECT count(*) FROM indicator_catalog").fetchone()[0]
        reasons = con.execute(
            "SELECT f.rule, f.cue, f.topic_scope, f.needs_review, f.confidence < 0.9 FROM indicator_facts f "
            "JOIN documents d USING (doc_id) WHERE d.path = 'copy_of_gb.txt' AND f.indicator_code = 'publicity_events'"
        ).fetchone()
        values_review = con.execute("SELECT count(*) FROM indicator_values WHERE needs_review IS NULL").fetchone()[0]

    assert errors == EXPECTED_ERRORS
    assert docs["柳城县/2023年报告.docx"][:6] == ("docx", "柳城县", "450222", "resolved", 2023, "法治政府建设年度报告")
    assert docs["柳城县/2022年报告.pdf"][:5] == ("pdf", "柳城县", "450222", "resolved", 2022)
    assert docs["copy_of_gb.txt"][:7] == ("txt", "宁乡市", "430182", "resolved", 2021, "述法报告", "市长")
    assert "gb.txt" not in docs  # same content as copy_of_gb.txt: stored once, under the first path
    assert docs["masked.txt"][1:4] == (None, None, "masked")
    assert files == (5, 4)  # five report files hold four distinct documents
    assert cell == (1, 2, 2, ["一、推进依法行政"])
    assert pdf_pages == (2,)
    assert admin[0] >= 1
    assert indicators >= 52
    by_doc = {(path, code): (value, masked, year) for path, code, value, masked, year, _ in facts}
    assert by_doc[("柳城县/2023年报告.docx", "reconsideration_received")] == (26, False, 2023)
    assert by_doc[("柳城县/2023年报告.docx", "legal_aid_cases")] == (312, False, 2023)  # from the table row
    assert by_doc[("柳城县/2022年报告.pdf", "case_files_reviewed")] == (240, False, 2022)
    assert by_doc[("copy_of_gb.txt", "publicity_events")] == (36, False, 2021)
    # why each fact was taken is in the warehouse, and needs_review follows confidence
    rule, cue, scope, needs_review, low = reasons
    assert (rule, cue, scope) == ("cue", "普法活动", "none") and needs_review == low
    assert values_review == 0
    assert by_doc[("masked.txt", "disputes_mediated")] == (None, True, 2022)
    assert "quantities:" in result.stdout and "indicator_facts:" in result.stdout
    # the masked report's figures reach no county-year value, and the summary says so
    assert "1 of 4 documents gives no county-year value: 1 has a masked county" in result.stdout


def test_rebuild_changes_nothing(corpus, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    assert run("build", "--raw", str(corpus), "--warehouse", str(warehouse)).returncode == 0
    first = _tables(warehouse)
    again = run("build", "--raw", str(corpus), "--warehouse", str(warehouse))
    assert again.returncode == 0, again.stderr
    assert "is up to date" in again.stdout and "last build:" in again.stdout  # skipped without a Dagster run
    assert _tables(warehouse) == first
    full = run("build", "--full", "--raw", str(corpus), "--warehouse", str(warehouse))
    assert full.returncode == 0, full.stderr
    assert "is up to date" not in full.stdout and "this run:" in full.stdout
    assert _tables(warehouse) == first


def test_environment_variables_set_the_defaults(corpus, tmp_path):
    warehouse = tmp_path / "env.duckdb"
    result = run("build", env={"SHUFA_RAW": str(corpus), "SHUFA_WAREHOUSE": str(warehouse)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert warehouse.exists()


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    result = run("build", "--raw", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


def test_inspect_json(corpus, tmp_path):
    result = run("inspect", "--json", str(corpus / "柳城县" / "2023年报告.docx"), str(corpus / "scan.pdf"))
    assert result.returncode == 1  # one file cannot be ingested
    good, bad = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(good) == {"file", "format", "county", "county_status", "county_code", "city", "province", "year",
                         "report_type", "issuer_role", "blocks", "chars", "error_kind", "error"}
    assert (good["county_code"], good["city"], good["province"], good["year"]) == ("450222", "柳州市", "广西壮族自治区", 2023)
    assert good["county_status"] == "resolved"
    assert good["error_kind"] is None and good["blocks"] > 0
    assert bad["error_kind"] == "ocr_no_text" and bad["county"] is None and bad["county_status"] is None
    masked = json.loads(run("inspect", "--json", str(corpus / "masked.txt")).stdout)
    assert (masked["county"], masked["county_status"]) == (None, "masked")  # as documents.county_status has it
    assert not list(tmp_path.glob("*.duckdb"))


def test_text_prints_normalised_text(corpus):
    result = run("text", str(corpus / "gb.txt"))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["宁乡市市长2021年度述法报告", "一、履职情况", "全年开展普法活动36场。"]
    blocks = run("text", "--blocks", str(corpus / "gb.txt")).stdout
    assert "[2 paragraph para=3] 一、履职情况" in blocks


def test_extract_json(corpus):
    result = run("extract", "--json", str(corpus / "copy_of_gb.txt"), str(corpus / "masked.txt"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(set(r) == {"file", "county", "county_code", "year", "indicator", "value", "lower", "upper", "unit",
                          "qualifier", "masked", "fact_year", "char_start", "char_end", "evidence", "confidence",
                          "needs_review", "rule", "cue", "topic_scope"} for r in rows)
    events = next(r for r in rows if r["indicator"] == "publicity_events")
    assert (events["value"], events["unit"], events["county_code"], events["year"]) == (36, "场", "430182", 2021)
    text = run("text", str(corpus / "copy_of_gb.txt")).stdout
    assert text[events["char_start"] : events["char_end"]] == "36场"
    masked = next(r for r in rows if r["indicator"] == "disputes_mediated")
    assert (masked["value"], masked["lower"], masked["upper"], masked["masked"]) == (None, 100, 999, True)


def test_extract_explain_says_why_for_every_figure(tmp_path):
    report = write_txt(tmp_path / "explain.txt", [
        "柳城县2023年法治政府建设年度报告",
        "全年办理公证事项1,520件,其中国内公证1,190件。每个村配备法律顾问1名。组织执法人员培训4场次,参训180人次。",
    ])
    result = run("extract", "--explain", str(report))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "county 柳城县 (450222), year 2023" in out
    assert "→ notarizations = 1520.0 件 (2023): rule cue, cue “公证”" in out
    assert "✗ not taken: breakdown_of_total: notarizations" in out
    assert "✗ not taken: per_unit: legal_advisors" in out
    assert "→ enforcement_training = 180.0 人次 (2023): rule carried_noun" in out and "needs review" in out
    rows = [json.loads(line) for line in run("extract", "--explain", "--json", str(report)).stdout.splitlines()]
    assert [r["text"] for r in rows] == ["1,520件", "1,190件", "1名", "4场次", "180人次"]
    taken = {r["text"]: r["facts"] for r in rows}
    assert taken["1,520件"][0]["rule"] == "cue" and taken["1,190件"] == []
    assert rows[1]["verdict"] == "not taken: breakdown_of_total: notarizations"


def test_extract_reports_unreadable_files(corpus):
    result = run("extract", str(corpus / "scan.pdf"))
    assert result.returncode == 1 and "ocr_no_text" in result.stderr


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("shufa")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout
