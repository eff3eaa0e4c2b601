"""``shufa inspect DIR`` reads a folder as a build would find it, says when a county is masked, and a build
whose reports all mask their county says why no county-year value came out. Run as the real command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
from builders import write_txt

REPO = Path(__file__).resolve().parents[1]


def shufa(*args, cwd: Path = REPO) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=cwd,
                            env=dict(os.environ), timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _records(result: subprocess.CompletedProcess) -> dict[str, dict]:
    return {r["file"]: r for r in map(json.loads, result.stdout.splitlines())}


def test_inspect_a_folder_finds_what_a_build_would(tmp_path):
    raw = tmp_path / "报告"
    (raw / "广西" / "柳城县").mkdir(parents=True)
    (raw / "浙江" / "无题").mkdir(parents=True)
    (raw / ".草稿").mkdir()
    write_txt(raw / "广西" / "柳城县" / "2023年报告.txt",
              ["柳城县2023年法治政府建设年度报告", "全年办理法律援助案件97件。"])
    write_txt(raw / "浙江" / "无题" / "年度总结.txt", ["2022年度工作情况", "全年开展普法宣传活动58场。"])
    (raw / "浙江" / "无题" / "manifest.csv").write_text(
        "file,county,county_code,year,report_type,issuer_role\n年度总结.txt,平阳县,330326,2022,,\n", encoding="utf-8")
    write_txt(raw / "××县2023年述法报告.txt", ["××县县长2023年度述法报告", "全年调解矛盾纠纷***件。"])
    (raw / "××县2023年述法报告.txt.meta.json").write_text('{"issuer_role": "县长"}', encoding="utf-8")
    (raw / ".草稿" / "未完成.txt").write_text("平阳县2024年法治政府建设年度报告", encoding="utf-8")
    (raw / ".隐藏.txt").write_text("柳城县", encoding="utf-8")
    (raw / "损坏.docx").write_bytes(b"PK\x03\x04" + "不是文档".encode())

    result = shufa("inspect", "--json", str(raw))
    assert result.returncode == 1  # the broken docx
    records = _records(result)
    shown = {str(Path(f).relative_to(raw)) for f in records}
    assert shown == {"广西/柳城县/2023年报告.txt", "浙江/无题/年度总结.txt", "××县2023年述法报告.txt", "损坏.docx"}
    good = records[str(raw / "广西" / "柳城县" / "2023年报告.txt")]
    assert (good["county"], good["county_status"], good["county_code"], good["year"]) == ("柳城县", "resolved", "450222", 2023)
    supplied = records[str(raw / "浙江" / "无题" / "年度总结.txt")]  # the manifest beside it is read, as in a build
    assert (supplied["county"], supplied["county_status"], supplied["county_code"]) == ("平阳县", "resolved", "330326")
    masked = records[str(raw / "××县2023年述法报告.txt")]
    assert (masked["county"], masked["county_status"], masked["county_code"], masked["year"]) == (None, "masked", None, 2023)
    broken = records[str(raw / "损坏.docx")]
    assert broken["error_kind"] == "corrupt_file" and broken["county_status"] is None
    assert all(list(r) == list(good) for r in records.values())  # every record has the same fields

    text = shufa("inspect", str(raw / "××县2023年述法报告.txt"), str(raw / "广西")).stdout.splitlines()
    assert len(text) == 2
    assert "county masked" in text[0] and "year 2023" in text[0]
    assert "柳城县 450222 (柳州市, 广西壮族自治区)" in text[1]
    assert not list(tmp_path.rglob("*.duckdb"))  # inspect touches no warehouse


def test_inspect_a_long_folder_shows_progress_on_stderr(tmp_path):
    counties = ["柳城县", "平阳县", "宁乡市", "柳江区"]
    for i in range(12):
        county = counties[i % 4]
        write_txt(tmp_path / f"{i:02d}-{county}.txt",
                  [f"{county}{2020 + i % 4}年法治政府建设年度报告", f"全年受理行政复议申请{20 + i}件。"])
    result = shufa("inspect", "--json", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 12 and all(json.loads(line)["county_status"] == "resolved" for line in lines)
    assert f"inspect: 12 files in {tmp_path}" in result.stderr
    assert re.search(r"inspect: 12/12 files read \([\d.]+/s, 0 failed\) in [\d.]+s", result.stderr), result.stderr
    short = shufa("inspect", str(tmp_path / "00-柳城县.txt"))
    assert short.returncode == 0 and short.stderr == ""  # one file: no progress


def test_a_build_of_masked_reports_says_why_it_has_no_county_year_values(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    write_txt(raw / "甲.txt", ["××县2023年法治政府建设年度报告", "全年办理法律援助案件64件。"])
    write_txt(raw / "乙.txt", ["XX县2022年法治政府建设年度报告", "全年受理行政复议申请18件。"])
    write_txt(raw / "丙.txt", ["**县县长2023年度述法报告", "全年组织执法人员培训320人次。"])

    inspected = shufa("inspect", "--json", str(raw))
    assert {r["county_status"] for r in _records(inspected).values()} == {"masked"}

    built = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert built.returncode == 0, built.stderr
    assert re.search(r"indicator_facts:\s+3\n", built.stdout)  # the figures were found ...
    assert re.search(r"indicator_values:\s+0\n", built.stdout)  # ... and none could be given a county
    note = "0 county-year values: all 3 documents have a masked county"
    assert note in built.stdout, built.stdout
    assert "meta.json" in built.stdout  # and what to do about it
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT county_status FROM documents").fetchall() == [("masked",)]

    again = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))  # skipped: the summary still says it
    assert again.returncode == 0 and "is up to date" in again.stdout and note in again.stdout


def test_the_note_names_every_reason():
    from pipelines.warehouse.summary import no_values_note

    assert no_values_note({"masked": 2, "unknown": 1}, 0, 0).startswith(
        "0 county-year values: of 3 documents, 2 have a masked county (")
    assert ", 1 names no county (" in no_values_note({"masked": 2, "unknown": 1}, 0, 0)
    assert no_values_note({"unknown": 1}, 0, 0).startswith("0 county-year values: the only document names no county")
    assert no_values_note({"no_facts": 2}, 0, 0).startswith("0 county-year values: all 2 documents hold no catalog figure")
    assert "sidecar" not in no_values_note({"no_facts": 2}, 0, 0)  # a sidecar would not help there
    assert no_values_note({}, 0, 4) == "0 county-year values: no document was ingested (4 file(s) failed, listed below)"
    assert no_values_note({"attributed": 5}, 12, 0) is None
    assert no_values_note({"attributed": 23, "masked": 1}, 594, 0).startswith(
        "1 of 24 documents gives no county-year value: 1 has a masked county")
