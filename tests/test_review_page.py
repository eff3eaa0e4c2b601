"""The review files: review.csv opens in Excel and re-reads to the same cells; review.html groups, marks and escapes."""

from __future__ import annotations

import csv
import re

import pytest

from pipelines.corrections.corrections_file import COLUMNS, read_corrections
from pipelines.corrections.review_page import (
    REVIEW_COLUMNS, figure_position, highlight_evidence, write_review_csv, write_review_html,
)

DOC = "0123456789abcdef"


def worklist_row(**change) -> dict:
    row = {
        "rank": 1, "priority": 9.5, "reasons": ["needs_review", "yoy_jump"], "reason_text": "较上年增长 310%",
        "county": "平阳县", "county_code": "330326", "province": "浙江省", "year": 2023,
        "indicator_code": "legal_aid_cases", "indicator_name": "法律援助案件", "unit": "件", "value": 356.0,
        "figure": "356件", "doc_id": DOC, "char_start": 118,
        "evidence": "全年共办理法律援助案件356件，同比增长12%。", "context_before": "全年共办理法律援助案件",
        "path": "data/raw/浙江/平阳县2023年述法报告.pdf", "source": "extracted",
    }
    return {**row, **change}


def read_back(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------------------------------
# review.csv

def test_the_csv_has_a_bom_crlf_and_the_corrections_columns_first(tmp_path):
    path = tmp_path / "review.csv"
    write_review_csv([worklist_row(), worklist_row(rank=2)], path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 3 and raw.count(b"\n") == 3
    header = raw[3:].split(b"\r\n")[0].decode("utf-8").split(",")
    assert header == REVIEW_COLUMNS
    assert header[:9] == COLUMNS == ["doc_id", "char_start", "indicator_code", "action", "value", "note", "author",
                                     "date", "figure"]
    assert header[9:] == ["rank", "reasons", "reason_text", "county", "county_code", "year", "indicator_name",
                          "unit", "evidence", "path"]


def test_the_csv_rereads_to_the_same_cells(tmp_path):
    path = tmp_path / "review.csv"
    row = worklist_row(evidence='他说："受理案件12件，办结12件"，\n另有一行。', reason_text="比率与数量不符, 需核对")
    write_review_csv([row], path)
    [back] = read_back(path)
    assert back == {
        "doc_id": DOC, "char_start": "118", "indicator_code": "legal_aid_cases", "action": "", "value": "356",
        "note": "", "author": "", "date": "", "figure": "356件", "rank": "1", "reasons": "needs_review;yoy_jump",
        "reason_text": "比率与数量不符, 需核对", "county": "平阳县", "county_code": "330326", "year": "2023",
        "indicator_name": "法律援助案件", "unit": "件", "evidence": '他说："受理案件12件，办结12件"，\n另有一行。',
        "path": "data/raw/浙江/平阳县2023年述法报告.pdf",
    }


@pytest.mark.parametrize(("value", "written"), [
    (356.0, "356"),
    (356, "356"),
    (98.6, "98.6"),
    (105258.0, "105258"),
    (0.0, "0"),
    (None, ""),
])
def test_the_value_is_written_as_an_analyst_would_type_it(tmp_path, value, written):
    path = tmp_path / "review.csv"
    write_review_csv([worklist_row(value=value)], path)
    assert read_back(path)[0]["value"] == written


@pytest.mark.parametrize("missing", ["county", "county_code", "year", "doc_id", "char_start", "path"])
def test_none_is_an_empty_cell(tmp_path, missing):
    path = tmp_path / "review.csv"
    write_review_csv([worklist_row(**{missing: None})], path)
    assert read_back(path)[0][missing] == ""


def test_a_filled_in_review_csv_is_a_corrections_file(tmp_path):
    path = tmp_path / "review.csv"
    write_review_csv([worklist_row()], path)
    text = path.read_text(encoding="utf-8-sig")
    filled = text.replace(f"{DOC},118,legal_aid_cases,,356,,,,", f"{DOC},118,legal_aid_cases,confirm,356,,王分析,2026-11-30,")
    assert filled != text
    path.write_text(filled, encoding="utf-8-sig", newline="")
    corrections, problems = read_corrections(path)
    assert problems == []
    assert [(c.action, c.value, c.figure) for c in corrections] == [("confirm", 356.0, "356件")]


def test_an_empty_worklist_is_a_header_only_csv(tmp_path):
    path = tmp_path / "review.csv"
    write_review_csv([], path)
    assert read_back(path) == []
    assert path.read_bytes() == ("\ufeff" + ",".join(REVIEW_COLUMNS) + "\r\n").encode("utf-8")


# --------------------------------------------------------------------------------------------------
# the figure in its sentence

@pytest.mark.parametrize(("evidence", "figure", "context_before", "expected"), [
    ("受理案件12件，办结12件", "12件", "全年受理案件12件，办结", 10),  # the second 12件
    ("受理案件12件，办结12件", "12件", "全年受理案件", 4),  # the first
    ("受理案件12件，办结12件", "12件", "", 4),  # no context: the first
    ("受理案件12件，办结12件", "12件", "与上文无关", 4),  # context matches neither: the first
    ("调解纠纷111件", "11", "调解纠纷1", 5),  # overlapping occurrences
    ("全年办理法律援助案件356件", "365件", "法律援助案件", None),  # figure not in the sentence
    ("全年办理法律援助案件356件", "", "法律援助案件", None),
    ("", "356件", "法律援助案件", None),
])
def test_the_figure_is_found_by_what_precedes_it(evidence, figure, context_before, expected):
    assert figure_position(evidence, figure, context_before) == expected


@pytest.mark.parametrize(("evidence", "figure", "context_before", "expected"), [
    ("受理案件12件，办结12件", "12件", "……办结", "受理案件12件，办结<mark>12件</mark>"),
    ("受理案件12件，办结12件", "12件", "受理案件", "受理案件<mark>12件</mark>，办结12件"),
    ("复议<b>5</b>件", "5", "<b>", "复议&lt;b&gt;<mark>5</mark>&lt;/b&gt;件"),
    ("全年办理法律援助案件356件", "365件", "", "全年办理法律援助案件356件"),
])
def test_the_evidence_marks_one_figure(evidence, figure, context_before, expected):
    assert highlight_evidence(evidence, figure, context_before) == expected


# --------------------------------------------------------------------------------------------------
# review.html

def render(tmp_path, rows, title="2023年述法报告复核清单", generated_at="2026-11-30 09:00") -> str:
    path = tmp_path / "out" / "review.html"
    write_review_html(rows, path, title, generated_at)
    return path.read_text(encoding="utf-8")


def test_the_page_is_standalone_and_says_how_to_act(tmp_path):
    page = render(tmp_path, [worklist_row(), worklist_row(rank=2)])
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert not re.search(r"<script|<link|@import|url\(|https?://", page)
    assert "2023年述法报告复核清单" in page and "2026-11-30 09:00" in page
    assert "共 2 条" in page
    assert "在 review.csv 的 action 列填写 confirm / reject / set / add" in page
    assert "shufa correct import review.csv" in page
    assert "$" not in page  # every placeholder filled


def test_a_row_shows_its_figure_reasons_and_key(tmp_path):
    page = render(tmp_path, [worklist_row(reasons=["ocr", "rate_contradicts_counts", "lost_indicator", "new_code"])])
    assert "法律援助案件" in page and "legal_aid_cases" in page and "356件" in page
    assert "全年共办理法律援助案件<mark>356件</mark>，同比增长12%。" in page
    for label in ("OCR识别", "比率与数量不符", "上年有今年无", "new_code"):
        assert re.search(rf'<span class="badge [a-z_]+"[^>]*>{label}</span>', page)
    assert "较上年增长 310%" in page
    assert "data/raw/浙江/平阳县2023年述法报告.pdf" in page
    assert "shufa correct confirm|reject|set" in page
    assert f'<code class="key">{DOC} 118 legal_aid_cases</code>' in page


@pytest.mark.parametrize(("code", "label"), [
    ("needs_review", "置信度低"), ("ocr", "OCR识别"), ("conflict", "来源不一致"), ("yoy_jump", "同比异常"),
    ("outlier", "偏离同类"), ("rate_contradicts_counts", "比率与数量不符"), ("masked", "数值被遮盖"),
    ("lost_indicator", "上年有今年无"),
])
def test_each_reason_has_its_chinese_label(tmp_path, code, label):
    page = render(tmp_path, [worklist_row(reasons=[code])])
    assert f'<span class="badge {code}" title="{code}">{label}</span>' in page


def test_rows_are_grouped_by_county_in_order_of_first_appearance(tmp_path):
    rows = [
        worklist_row(rank=1, county="柳江区", county_code="450206", indicator_name="行政复议案件"),
        worklist_row(rank=2, county="平阳县", county_code="330326", indicator_name="法律援助案件"),
        worklist_row(rank=3, county=None, county_code=None, indicator_name="人民调解案件"),
        worklist_row(rank=4, county="柳江区", county_code="450206", indicator_name="行政诉讼案件"),
        worklist_row(rank=5, county="朝阳区", county_code="110105", indicator_name="普法活动"),
        worklist_row(rank=6, county="朝阳区", county_code="220104", indicator_name="公证案件"),  # another 朝阳区
    ]
    page = render(tmp_path, rows)
    headings = re.findall(r"<h2>(.*?) <small>", page)
    assert headings == ["柳江区 (450206)", "平阳县 (330326)", "未知县区", "朝阳区 (110105)", "朝阳区 (220104)"]
    sections = page.split("<section")[1:]
    assert [re.findall(r'<td>([^<]*)<br><span class="code">', s) for s in sections] == [
        ["行政复议案件", "行政诉讼案件"], ["法律援助案件"], ["人民调解案件"], ["普法活动"], ["公证案件"]]


def test_everything_is_escaped(tmp_path):
    page = render(tmp_path, [worklist_row(
        evidence="办理<script>alert('x')</script>案件356件", county='平阳县"><img src=x>',
        indicator_name="<b>案件</b>", reason_text="a & b", path="<p>.pdf", reasons=['"><script>'],
    )], title="<i>复核</i>", generated_at="<now>")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;案件<mark>356件</mark>" in page
    assert "平阳县&quot;&gt;&lt;img src=x&gt;" in page
    assert "a &amp; b" in page and "&lt;p&gt;.pdf" in page and "&lt;now&gt;" in page


@pytest.mark.parametrize(("change", "shows", "hides"), [
    ({"value": None}, "—", "356件<br>"),
    ({"value": 98.6, "unit": "%", "figure": "98.6%"}, "98.6%", "98.6.0"),
    ({"source": "corrected"}, "已更正", None),
    ({"doc_id": None, "char_start": None, "reasons": ["lost_indicator"], "evidence": "", "figure": ""},
     "无原文位置", '<code class="key">'),
    ({"figure": "365件"}, "全年共办理法律援助案件356件，同比增长12%。", "<mark>"),  # figure not in sentence
])
def test_row_variants(tmp_path, change, shows, hides):
    page = render(tmp_path, [worklist_row(**change)])
    assert shows in page
    if hides:
        assert hides not in page


def test_an_empty_worklist_says_there_is_nothing_to_review(tmp_path):
    page = render(tmp_path, [])
    assert "没有需要复核的数字" in page and "Nothing to review" in page
    assert "共 0 条" in page
    assert "<table" not in page and "<section" not in page


def test_the_module_is_pure():
    """No warehouse, no Dagster: importing it must not pull them in (a fresh interpreter, as the CLI has)."""
    import subprocess
    import sys

    code = ("import sys, pipelines.corrections.review_page; "
            "print(sorted(m for m in ('duckdb', 'dagster') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
