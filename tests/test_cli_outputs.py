"""What analysts get out of shufa, run as the real command: CSV that Excel/WPS on Chinese Windows opens (a
BOM), an xlsx workbook, JSON that keeps ``/`` and Chinese as written, one boolean convention (true/false)
across ``query --format table|csv|json`` and ``export --format csv``, the indicator catalog, ``--version``."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path
from xml.etree import ElementTree

import pytest
from builders import write_txt

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO.parent / "shared" / "spec" / "indicators.tsv"
BOM = b"\xef\xbb\xbf"
XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def shufa(*args, cwd: Path = REPO) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=cwd,
                            env=dict(os.environ), timeout=600)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """Two counties over two years, in a subfolder (so source_path holds a ``/``), one figure masked (so
    indicator_values.masked is true somewhere and false elsewhere)."""
    root = tmp_path_factory.mktemp("outputs")
    raw = root / "raw" / "广西"
    raw.mkdir(parents=True)
    for county, year, aid, disputes in (("柳城县", 2022, "86", "1,204"), ("柳城县", 2023, "97", "***"),
                                        ("平阳县", 2022, "143", "2,310"), ("平阳县", 2023, "151", "2,487")):
        write_txt(raw / f"{county}{year}年报告.txt", [
            f"{county}{year}年法治政府建设年度报告",
            "一、健全公共法律服务体系",
            f"全年办理法律援助案件{aid}件,比上年有所增加。",
            f"各级调解组织调解矛盾纠纷{disputes}件,调解成功率保持较高水平。",
        ])
    path = root / "warehouse.duckdb"
    built = shufa("build", "--raw", str(root / "raw"), "--warehouse", str(path))
    assert built.returncode == 0, built.stderr
    return path


def _query(warehouse: Path, sql: str, fmt: str) -> str:
    result = shufa("query", sql, "--format", fmt, "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_exported_csv_has_a_bom_and_the_same_cells_as_query_csv(warehouse, tmp_path):
    out = tmp_path / "导出"
    result = shufa("export", str(out), "--format", "csv", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    data = (out / "indicator_values.csv").read_bytes()
    assert data.startswith(BOM) and not data[3:].startswith(BOM)  # exactly one BOM, then UTF-8
    text = data[3:].decode("utf-8")
    assert "全年办理法律援助案件143件" in text  # the evidence, in Chinese
    # byte for byte what `shufa query --format csv` prints for the same table, minus the BOM
    printed = _query(warehouse, "SELECT * FROM indicator_values", "csv")
    assert not printed.encode("utf-8").startswith(BOM)  # stdout carries no BOM
    assert printed.splitlines()[0] == text.splitlines()[0]
    assert sorted(printed.splitlines()) == sorted(text.splitlines())
    # every table file of the export has its BOM
    assert all(p.read_bytes().startswith(BOM) for p in out.glob("*.csv"))
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_booleans_look_the_same_in_every_output(warehouse, tmp_path):
    sql = ("SELECT year, indicator_code, masked, from_own_report FROM indicator_values "
           "WHERE county_code = '450222' AND indicator_code = 'disputes_mediated' ORDER BY year")
    rows = list(csv.DictReader(io.StringIO(_query(warehouse, sql, "csv"))))
    assert [(r["year"], r["masked"], r["from_own_report"]) for r in rows] == [("2022", "false", "true"),
                                                                             ("2023", "true", "true")]
    as_json = json.loads(_query(warehouse, sql, "json"))
    assert [(r["year"], r["masked"]) for r in as_json] == [(2022, False), (2023, True)]
    assert '"masked": true' in _query(warehouse, sql, "json")
    table = _query(warehouse, sql, "table")
    assert re.search(r"│\s*2023\s*│\s*disputes_mediated\s*│\s*true\s*│\s*true\s*│", table), table
    assert "True" not in table and "TRUE" not in table

    out = tmp_path / "csv"
    assert shufa("export", str(out), "--format", "csv", "--warehouse", str(warehouse)).returncode == 0
    exported = list(csv.DictReader(io.StringIO((out / "indicator_values.csv").read_text("utf-8-sig"))))
    masked = {(r["county_code"], r["year"], r["indicator_code"]): r["masked"] for r in exported}
    assert masked[("450222", "2023", "disputes_mediated")] == "true"
    assert masked[("450222", "2022", "disputes_mediated")] == "false"
    assert {r["masked"] for r in exported} == {"true", "false"}
    assert {r["value"] for r in exported if r["masked"] == "true"} == {""}  # NULL is an empty cell


def test_query_json_keeps_slashes_and_chinese_as_written(warehouse):
    sql = ("SELECT source_path, evidence, value FROM indicator_values "
           "WHERE county_code = '330326' AND year = 2023 AND indicator_code = 'legal_aid_cases'")
    out = _query(warehouse, sql, "json")
    assert "\\/" not in out and "\\u" not in out
    assert '"source_path": "广西/平阳县2023年报告.txt"' in out
    (row,) = json.loads(out)
    assert row == {"source_path": "广西/平阳县2023年报告.txt", "value": 151.0,
                   "evidence": "全年办理法律援助案件151件,比上年有所增加。"}


def test_query_json_of_nothing_and_of_an_error(warehouse):
    assert json.loads(_query(warehouse, "SELECT * FROM dim_indicator WHERE false", "json")) == []
    assert _query(warehouse, "SELECT code FROM dim_indicator WHERE false", "csv") == "code\n"
    failed = shufa("query", "SELECT '平阳县'::INTEGER", "--format", "json", "--warehouse", str(warehouse))
    assert failed.returncode == 1 and failed.stdout == "" and failed.stderr.startswith("shufa query: ")


def _sheets(workbook: Path) -> dict[str, ElementTree.Element]:
    """Sheet name -> its worksheet XML, read with zipfile (no spreadsheet library needed)."""
    with zipfile.ZipFile(workbook) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        return {s.get("name"): ElementTree.fromstring(z.read("xl/" + targets[s.get(f"{{{XLSX_NS['r']}}}id")]))
                for s in book.find("m:sheets", XLSX_NS)}


def _cells(sheet: ElementTree.Element, row: int) -> list[tuple[str | None, str]]:
    """(type, text) of each cell of ROW (1-based)."""
    found = sheet.find(f"m:sheetData/m:row[@r='{row}']", XLSX_NS)
    return [(c.get("t"), "".join(c.itertext())) for c in found]


def test_export_xlsx_is_one_workbook_with_a_sheet_per_table(warehouse, tmp_path):
    out = tmp_path / "表格"
    csvs = tmp_path / "csv"
    result = shufa("export", str(out), "--format", "xlsx", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["shufa.xlsx"]
    assert shufa("export", str(csvs), "--format", "csv", "--warehouse", str(warehouse)).returncode == 0
    sheets = _sheets(out / "shufa.xlsx")
    assert set(sheets) == {p.stem for p in csvs.glob("*.csv")}  # the tables of a csv export, one sheet each
    values = sheets["indicator_values"]
    exported = list(csv.reader(io.StringIO((csvs / "indicator_values.csv").read_text("utf-8-sig"))))
    assert [text for _, text in _cells(values, 1)] == exported[0]  # the header row
    assert len(values.findall("m:sheetData/m:row", XLSX_NS)) == len(exported)  # every row
    pane = values.find("m:sheetViews/m:sheetView/m:pane", XLSX_NS)
    assert pane.get("state") == "frozen" and pane.get("ySplit") == "1"
    assert values.find("m:autoFilter", XLSX_NS) is not None
    types = {t for row in range(2, len(exported) + 1) for t, _ in _cells(values, row)}
    assert "b" in types  # booleans are Excel booleans, numbers numbers (type None), text inline strings
    evidence = [text for row in range(2, len(exported) + 1) for _, text in _cells(values, row)]
    assert "各级调解组织调解矛盾纠纷2,487件,调解成功率保持较高水平。" in evidence
    again = shufa("export", str(out), "--format", "xlsx", "--warehouse", str(warehouse))
    assert again.returncode == 0 and [p.name for p in out.iterdir()] == ["shufa.xlsx"]  # replaced in place


def test_xlsx_sheets_overflow_and_names_stay_valid(tmp_path):
    """A table longer than a sheet continues on <name>_2; names Excel would refuse are made valid."""
    from pipelines.export import SheetTable, sheet_name, write_xlsx

    rows = [(i, f"第{i}件", i % 2 == 0) for i in range(7)]
    sheets = write_xlsx(tmp_path / "w.xlsx", [SheetTable("案件", ["no", "名称", "偶数"], iter(rows)),
                                              SheetTable("空表", ["列"], iter(()))], max_rows=3)
    assert sheets == {"案件": ["案件", "案件_2", "案件_3", "案件_4"], "空表": ["空表"]}
    parsed = _sheets(tmp_path / "w.xlsx")
    assert [text for _, text in _cells(parsed["案件_2"], 1)] == ["no", "名称", "偶数"]  # each part has the header
    assert _cells(parsed["案件_4"], 2) == [(None, "6"), ("inlineStr", "第6件"), ("b", "1")]
    taken: set[str] = set()
    assert sheet_name("a/b:c" + "长" * 40, 1, taken) == "a_b_c" + "长" * 26
    assert sheet_name("A/B:C" + "长" * 40, 1, taken) == "A_B_C" + "长" * 24 + "~2"  # unique regardless of case


def test_indicators_lists_the_catalog(tmp_path):
    if not SPEC.is_file():
        pytest.skip("../shared/spec/indicators.tsv is not present in this checkout")
    with SPEC.open(encoding="utf-8", newline="") as handle:
        spec = [(r["code"], r["name_zh"], r["unit"], r["polarity"], r["category"])
                for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    result = shufa("indicators", "--format", "csv", cwd=tmp_path)  # needs no warehouse
    assert result.returncode == 0, result.stderr
    listed = list(csv.reader(io.StringIO(result.stdout)))
    assert listed[0] == ["code", "name_zh", "unit", "polarity", "category"]
    assert sorted(tuple(r) for r in listed[1:]) == sorted(spec)
    as_json = json.loads(shufa("indicators", "--format", "json").stdout)
    by_code = {r["code"]: r for r in as_json}
    assert by_code["law_study_sessions"]["name_zh"] == "会前学法/专题学法次数"
    assert {r["code"] for r in as_json} == {s[0] for s in spec}
    table = shufa("indicators").stdout
    assert re.search(r"│\s+code\s+│\s+name_zh\s+│", table), table  # DuckDB's box, as `shufa query` prints
    assert all(code in table for code, *_ in spec) and "法治建设专题会议" in table


def test_version_names_the_package_and_the_extractor():
    from pipelines.extract.extract import extraction_version

    result = shufa("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"shufa {version('shufa')} (extractor {extraction_version()})\n"
