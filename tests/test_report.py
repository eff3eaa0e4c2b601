"""``write_report``: county profiles as standalone HTML, built from a real warehouse of the sample corpus,
and opened in headless Chromium to see that the charts really draw."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from html import unescape
from pathlib import Path

import duckdb
import pytest
from builders import build_corpus
from PIL import Image

from pipelines.report import (AmbiguousCountyError, CountyWithoutDataError, UnknownCountyError, load_profile,
                              write_report)
from pipelines.report.profile import split_evidence
from pipelines.report.render import SERIES_COLOUR, fit_title, format_figure

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    return sample_warehouse


@pytest.fixture(scope="module")
def pingyang(warehouse, tmp_path_factory) -> Path:
    return write_report(warehouse, "平阳县", tmp_path_factory.mktemp("reports"))


def _document_text(con: duckdb.DuckDBPyConnection, doc_id: str) -> str:
    """The normalised text char_start/char_end index, rebuilt here independently of the report's SQL."""
    return "\n".join(t for (t,) in con.execute(
        "SELECT text FROM document_blocks WHERE doc_id = ? ORDER BY block_no", [doc_id]).fetchall())


# ---------------------------------------------------------------------------------------------
# which county

def test_report_by_name_is_named_code_dash_name(pingyang):
    assert pingyang.name == "330326-平阳县.html"
    assert pingyang.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_report_by_code_is_the_same_page(warehouse, pingyang, tmp_path):
    by_code = write_report(warehouse, "330326", tmp_path)
    assert by_code.name == pingyang.name
    assert by_code.read_bytes() == pingyang.read_bytes()


@pytest.mark.parametrize("key", ["柳江县", "450221", "柳江区", "广西壮族自治区柳州市柳江区"])
def test_a_former_name_or_code_with_reports_leads_to_the_present_county(warehouse, tmp_path, key):
    assert write_report(warehouse, key, tmp_path).name == "450206-柳江区.html"


def test_ambiguous_name_lists_every_candidate_with_its_code(warehouse, tmp_path):
    with pytest.raises(AmbiguousCountyError) as caught:
        write_report(warehouse, "通州区", tmp_path)
    message = str(caught.value)
    assert "110112" in message and "320612" in message and "北京市" in message and "南通市" in message
    assert {c.code for c in caught.value.candidates} == {"110112", "320612"}
    assert not list(tmp_path.iterdir())
    assert write_report(warehouse, "南通市通州区", tmp_path).name == "320612-通州区.html"


@pytest.mark.parametrize("key", ["不存在县", "999999", "乐清县"])
def test_unknown_county_is_a_clear_error(warehouse, tmp_path, key):
    # 乐清县: dim_county's lineage lists it as a former name of 平阳县 (a quirk of the 1980s division
    # list); with no report written under that name it must not silently resolve to 平阳县.
    with pytest.raises(UnknownCountyError, match=re.escape(key)):
        write_report(warehouse, key, tmp_path)


def test_a_county_without_reports_is_a_clear_error(warehouse, tmp_path):
    with pytest.raises(CountyWithoutDataError, match="110112"):
        write_report(warehouse, "北京市通州区", tmp_path)


def test_missing_warehouse_says_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="shufa build"):
        write_report(tmp_path / "nope.duckdb", "平阳县", tmp_path)


def test_shufa_report_command_writes_the_page_and_refuses_ambiguity(warehouse, tmp_path):
    def shufa(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pipelines.cli", "report", *args, "--warehouse", str(warehouse),
                               "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=REPO, timeout=120)

    written = shufa("--county", "330326")
    assert written.returncode == 0, written.stderr
    page = Path(written.stdout.strip())
    assert page == tmp_path / "out" / "330326-平阳县.html" and "<svg" in page.read_text(encoding="utf-8")
    refused = shufa("--county", "通州区")
    assert refused.returncode == 2 and "110112" in refused.stderr and "320612" in refused.stderr


# ---------------------------------------------------------------------------------------------
# what the page holds

def test_page_has_every_value_of_the_county_with_its_evidence_span(warehouse, pingyang):
    page = pingyang.read_text("utf-8")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("""
            SELECT v.indicator_code, v.year, v.source_doc_id, f.char_start, f.char_end
            FROM indicator_values v
            JOIN indicator_value_candidates c USING (county_code, year, indicator_code)
            JOIN indicator_facts f ON f.doc_id = c.doc_id AND f.fact_no = c.fact_no
            WHERE v.county_code = '330326' AND c.candidate_rank = 1""").fetchall()
        texts = {doc: _document_text(con, doc) for doc in {r[2] for r in rows}}
    assert len(rows) > 50
    for code, year, doc_id, start, end in rows:
        entry = re.search(rf'<li id="ev-{code}-{year}">(.*?)</li>', page)
        assert entry, f"no evidence entry for {code} {year}"
        figure = texts[doc_id][start:end]
        assert f"<mark>{figure}</mark>" in unescape(entry.group(1)), (code, year, figure)
        assert f'href="#ev-{code}-{year}"' in page


def test_page_shows_known_figures_and_their_source_files(pingyang):
    page = unescape(pingyang.read_text("utf-8"))
    assert "平阳县 法治建设数据概览" in page
    assert "平阳县2023年法治政府建设年度报告.pdf" in page
    assert "县长2021年度述法报告.pdf" in page  # filed under 其他/, found by its text
    assert re.search(r"第\d+页，第\d+段", page)  # pdf locations, in the words a Chinese reader uses
    assert "合同(协议)合法性审查" in page


def test_every_internal_link_has_its_target(pingyang):
    page = pingyang.read_text("utf-8")
    targets = set(re.findall(r'id="([^"]+)"', page))
    links = re.findall(r'href="#([^"]+)"', page)
    assert links and set(links) <= targets, set(links) - targets


def test_page_is_standalone(pingyang):
    page = pingyang.read_text("utf-8")
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert set(re.findall(r"https?://[^\s\"')]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "Noto Sans CJK SC" in page and "WenQuanYi Zen Hei" in page  # CJK fonts named for the SVG text


def test_profile_has_trends_ranks_and_scorecard(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        profile = load_profile(con, "平阳县")
    assert profile.years == [2021, 2022, 2023]
    assert len(profile.documents) == 4
    assert [s.year for s in profile.scorecard] == [2021, 2022, 2023]
    assert all(1 <= s.score_rank <= s.n_scored for s in profile.scorecard)
    assert {r.year for r in profile.ranks} == {2021, 2022, 2023}


def test_values_show_qualifiers_bounds_and_masks(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        figure = next(f for f in load_profile(con, "平阳县").figures if f.unit == "件")
    plain = dataclasses.replace(figure, value=1200.0, lower=1200.0, upper=1200.0, qualifier=None, masked=False)
    assert format_figure(plain) == "1,200 件"
    assert format_figure(dataclasses.replace(plain, qualifier="at_least")) == "≥1,200 件"
    assert format_figure(dataclasses.replace(plain, value=None, lower=3.0, upper=5.0, qualifier="range")) == "3–5 件"
    assert format_figure(dataclasses.replace(plain, value=None, lower=100.0, upper=999.0, masked=True)) == "*** (100–999 件)"
    assert format_figure(dataclasses.replace(plain, value=99.5, unit="%")) == "99.5%"


def test_evidence_split_at_the_exact_span():
    block = "一是加强审核。全年审核合同111份,有效防范风险。"
    sentence = "全年审核合同111份,有效防范风险。"
    start = block.index("111份")
    assert split_evidence(sentence, block, start, start + 4) == ("全年审核合同", "111份", ",有效防范风险。")
    # a table cell: the evidence is the row, the span indexes the cell
    row = "法律援助案件 | 312 | 件"
    assert split_evidence(row, "312", 0, 3, col_no=2) == ("法律援助案件 | ", "312", " | 件")
    # evidence that is not in the block: the block itself is shown
    assert split_evidence("别的句子。", block, start, start + 4) == (block[:start], "111份", block[start + 4:])


# ---------------------------------------------------------------------------------------------
# in a real browser

def _chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (Debian package: chromium)")
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={user_data}", *args],
        capture_output=True, text=True, timeout=120,
    )


def test_chromium_dom_has_drawn_charts(pingyang, tmp_path):
    result = _chromium("--dump-dom", pingyang.as_uri(), user_data=tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    charts = re.findall(r'<svg class="chart chart-(\w+)".*?</svg>', dom, flags=re.S)
    kinds = set(charts)
    assert {"scorecard", "trend", "rank"} <= kinds
    series = re.findall(r'<path class="series" d="([^"]+)"', dom)
    assert len(series) >= 10
    for d in series:
        assert len(re.findall(r"[ML][\d.]+,[\d.]+", d)) >= 2, d


def test_chromium_screenshot_shows_the_charts(pingyang, tmp_path):
    png = tmp_path / "report.png"
    result = _chromium(f"--screenshot={png}", "--window-size=1200,2000", pingyang.as_uri(),
                       user_data=tmp_path / "profile")
    assert result.returncode == 0 and png.exists(), result.stderr[-2000:]
    with Image.open(png) as image:
        data = image.convert("RGB").tobytes()
    pixels = [data[i:i + 3] for i in range(0, len(data), 3)]
    series_rgb = tuple(int(SERIES_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    in_series_colour = sum(1 for p in pixels if all(abs(a - b) <= 40 for a, b in zip(p, series_rgb)))
    not_white = sum(1 for p in pixels if min(p) < 200)
    assert in_series_colour > 3000, in_series_colour  # chart lines and points, not a blank page
    assert not_white > 0.02 * len(pixels)


def test_a_cjk_font_is_installed_for_the_browser():
    if not CHROMIUM.exists() or shutil.which("fc-list") is None:
        pytest.skip("no chromium / fontconfig here")
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert families.strip(), "no Chinese font for Chromium: apt-get install -y fonts-wqy-zenhei"


# ---------------------------------------------------------------------------------------------
# peers: the province median, ranks within the province, comparable rank movement, the CSV

# Four counties the sample does not have: three in 浙江 (so a province median over several counties) and
# one alone in 安徽. 泰顺县 reports only in 2022, so in 2023 文成县 is 2nd of 3 after being 3rd of 4 - and
# no movement among the counties ranked both years.
PEER_CORPUS = {
    "苍南县/2022.txt": ["苍南县2022年法治政府建设年度报告", "全年办理法律援助案件320件。", "组织开展执法人员培训1200人次。"],
    "苍南县/2023.txt": ["苍南县2023年法治政府建设年度报告", "全年办理法律援助案件330件。", "组织开展执法人员培训1300人次。"],
    "文成县/2022.txt": ["文成县2022年法治政府建设年度报告", "全年办理法律援助案件150件。", "组织开展执法人员培训700人次。",
                        "行政机关负责人出庭应诉率达92%。", "全年收到行政复议申请30件。"],
    "文成县/2023.txt": ["文成县2023年法治政府建设年度报告", "全年办理法律援助案件260件。", "组织开展执法人员培训900人次。",
                        "行政机关负责人出庭应诉率达96%。", "全年收到行政复议申请45件。"],
    "泰顺县/2022.txt": ["泰顺县2022年法治政府建设年度报告", "全年办理法律援助案件200件。"],
    "黟县/2022.txt": ["黟县2022年法治政府建设年度报告", "全年办理法律援助案件90件。"],
    "黟县/2023.txt": ["黟县2023年法治政府建设年度报告", "全年办理法律援助案件100件。"],
}
WENCHENG, YIXIAN = "330328", "341023"
AID, TRAINING, RATE = "legal_aid_cases", "enforcement_training", "court_appearance_rate"


@pytest.fixture(scope="module")
def peers(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("peers"), PEER_CORPUS)


@pytest.fixture(scope="module")
def wencheng(peers):
    with duckdb.connect(str(peers), read_only=True) as con:
        return load_profile(con, WENCHENG)


@pytest.fixture(scope="module")
def wencheng_page(peers, tmp_path_factory) -> str:
    return write_report(peers, WENCHENG, tmp_path_factory.mktemp("peer-reports")).read_text("utf-8")


@pytest.mark.parametrize("indicator, year, median, n", [
    (AID, 2022, 200, 3),  # 320, 150, 200: the three 浙江 counties (this one included), not 安徽's 90
    (AID, 2023, 295, 2),  # 330 and 260: an even count takes the mean of the middle two
    (TRAINING, 2022, 950, 2),
    (RATE, 2023, 96, 1),  # no other county in the province reported it
])
def test_each_figure_has_its_province_median_and_count(wencheng, indicator, year, median, n):
    figure = next(f for f in wencheng.figures if (f.indicator_code, f.year) == (indicator, year))
    assert (figure.province_median, figure.province_n_values) == (median, n)


@pytest.mark.parametrize("year, rank, n_ranked, rank_change, n_ranked_both, province_rank, province_n", [
    (2022, 3, 4, None, None, 3, 3),  # no 2021 here: nothing to move from
    (2023, 2, 3, 0, 3, 2, 2),  # 3rd of 4 then 2nd of 3 only because 泰顺县 left: no movement
])
def test_ranks_are_comparable_across_years_and_placed_in_the_province(
        wencheng, year, rank, n_ranked, rank_change, n_ranked_both, province_rank, province_n):
    got = next(r for r in wencheng.ranks if (r.indicator_code, r.year) == (AID, year))
    assert (got.rank, got.n_ranked, got.rank_change, got.n_ranked_both, got.province_rank, got.province_n) == (
        rank, n_ranked, rank_change, n_ranked_both, province_rank, province_n)


def test_page_shows_medians_peer_ranks_and_comparable_movement(wencheng_page):
    page = unescape(wencheng_page)
    assert "省中位 200（3县）" in page and "省中位 295（2县）" in page
    assert "省内仅本县" in page  # the rate: a median over the county alone would only repeat its value
    assert "省内 3 / 3" in page and "省内 2 / 2" in page
    assert "两年均有排名的3个县中名次未变" in page  # 2023's tooltip: rank_change 0, not the naive +1
    assert "▲1" not in page


def test_rank_charts_plot_the_percentile_labelled_rank_of_n(wencheng_page):
    charts = re.findall(r'<svg class="chart chart-rank".*?</svg>', wencheng_page, flags=re.S)
    chart = next(c for c in charts if "<title>法律援助案件</title>" in c)
    assert ">3/4<" in chart and ">2/3<" in chart
    assert ">100%<" in chart and ">0%<" in chart  # a percentile axis, the same whatever n is
    assert "百分位 33%" in chart and "百分位 50%" in chart


def test_page_says_when_the_warehouse_was_built(peers, wencheng_page):
    with duckdb.connect(str(peers), read_only=True) as con:
        (finished,) = con.execute("SELECT max(finished_at) FROM ingest_runs").fetchone()
    beijing = finished + timedelta(hours=8)
    assert f"数据构建于<b>{beijing:%Y-%m-%d %H:%M}（北京时间）</b>" in wencheng_page


def _csv_of(page: str) -> tuple[str, bytes]:
    link = re.search(r'<a class="download" id="download" href="data:text/csv;charset=utf-8;base64,([^"]+)" '
                     r'download="([^"]+)"', page)
    assert link, "no CSV download link"
    return unescape(link.group(2)), base64.b64decode(link.group(1))


def test_the_table_downloads_as_csv_with_a_bom_for_excel(wencheng, wencheng_page):
    name, data = _csv_of(wencheng_page)
    assert name == "330328-文成县-数据.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))
    assert len(rows) == len(wencheng.figures) == 8
    aid_2023 = next(r for r in rows if r["指标代码"] == AID and r["年份"] == "2023")
    assert aid_2023["县级行政区"] == "文成县" and aid_2023["数值"] == "260"
    assert (aid_2023["省内中位数"], aid_2023["省内有数值县数"]) == ("295", "2")
    assert (aid_2023["排名"], aid_2023["参与排名县数"], aid_2023["排名变化（两年均有排名的县中）"]) == ("2", "3", "0")
    assert (aid_2023["省内排名"], aid_2023["省内参与排名县数"]) == ("2", "2")
    assert aid_2023["类别"] == "公共法律服务" and aid_2023["评价方向"] == "越高越好"
    assert aid_2023["原文"] == "全年办理法律援助案件260件。"
    neutral = next(r for r in rows if r["指标代码"] == "reconsideration_received" and r["年份"] == "2022")
    assert neutral["排名"] == "" and neutral["评价方向"] == "中性（不排名）"


def _visible_text(page: str) -> str:
    """What a reader sees: the page without its tags, style, the grey codes and the data: URI."""
    page = re.sub(r"<style>.*?</style>|<code class=\"code\">.*?</code>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_page_speaks_chinese(wencheng_page):
    text = _visible_text(wencheng_page)
    for label in ("综合得分", "指标趋势", "排名", "全部数据", "出处", "报告来源", "报告", "数据项", "数据构建于",
                  "公共法律服务", "行政复议", "越高越好", "中性（不排名）", "下载全部数据"):
        assert label in text, label
    english = set(re.findall(r"[A-Za-z]{3,}", text)) - {"shufa", "report", "text", "CSV", "txt"}
    assert not english, english  # category codes, polarity codes and English headings are gone
    assert '<code class="code">legal_service</code>' in wencheng_page  # the SQL code, small and grey


def test_a_county_alone_in_its_province_says_so(peers, tmp_path):
    page = unescape(write_report(peers, YIXIAN, tmp_path).read_text("utf-8"))
    assert "省内仅本县" in page and "省中位" not in page
    assert "省内 1 / 1" in page


def test_long_chart_titles_are_shortened_not_the_unit():
    assert fit_title("法律援助案件", 10) == "法律援助案件"
    assert fit_title("法律援助挽回经济损失(取得利益)", 10) == "法律援助挽回经济损…"
