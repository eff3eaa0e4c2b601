"""The web-page reader: saved county pages (.html) and single-file saves (.mht).

The pages come from ``html_pages``: the article inside a county site's chrome. What matters to
the pipeline is that only the article reaches the blocks (never the sidebar's other counties,
never the footer), with paragraphs and table cells where they were, and that pages that hold no
report say why.
"""

import socket
import time

import html_pages as pages
import pytest

from pipelines.ingest.corpus import ingest_file
from pipelines.ingest.document import parse_document
from pipelines.ingest.errors import IngestError
from pipelines.ingest.readers import html
from pipelines.ingest.readers.html import is_furniture, iso_date, read_html, read_mht

HEADLINE = "平阳县2023年法治政府建设年度报告"
REPORT_BLOCKS = [HEADLINE, *pages.REPORT_TEXT, "平阳县人民政府", "2024年1月12日"]
# Site furniture that must never become text: footer, tool bar, info line, scripts, styles, noscript.
NEVER = [
    *pages.OTHER_COUNTIES, pages.ICP, pages.SITE_CODE, "ICP", "公网安备", "联系电话", "访问者", "分辨率", "主办单位",
    "打印本页", "关闭窗口", "字体", "分享", "责任编辑", "林晓", "来源", "浏览次数", "发布时间", "当前位置", "上一篇",
    "下一篇", "相关文章", "相关链接", "网站首页", "政务公开", "document", "_hmt", "font-family", "JavaScript", "浏览器",
]


def texts(result):
    return [b.text.strip() for b in result.blocks]


def assert_clean(result):
    joined = "\n".join(b.text for b in result.blocks)
    leaked = [word for word in NEVER if word in joined]
    assert not leaked, f"site furniture in the blocks: {leaked}"


# --- the article, and nothing else ----------------------------------------------------------------

def test_gbk_page_keeps_the_article_and_drops_the_site():
    result = read_html(pages.gbk_report_page())
    assert texts(result) == REPORT_BLOCKS
    assert result.encoding == "gb18030"
    assert result.page_title == "平阳县2023年法治政府建设年度报告_平阳县人民政府"
    assert result.published == "2024-01-15"  # the PubDate meta
    assert result.format is None  # html, as the extension says
    assert [b.location.paragraph for b in result.blocks] == list(range(1, len(REPORT_BLOCKS) + 1))
    assert all(b.kind == "paragraph" and b.location.table is None for b in result.blocks)
    assert_clean(result)


def test_br_separated_lines_in_one_div_are_separate_paragraphs():
    blocks = texts(read_html(pages.gbk_report_page()))
    start = blocks.index(pages.BR_LINES[0])
    assert blocks[start:start + 3] == pages.BR_LINES


def test_utf8_table_of_figures_as_cells_with_grid_positions():
    result = read_html(pages.utf8_table_page())
    assert result.encoding == "utf-8"
    assert result.published == "2024-03-08"  # from 发布日期:2024年3月8日; the line itself is gone
    assert result.page_title == "海盐县2023年度法治政府建设工作报告-海盐县人民政府"
    paragraphs = [(b.location.paragraph, b.text.strip()) for b in result.blocks if b.kind == "paragraph"]
    assert paragraphs == list(enumerate(
        [pages.UTF8_TITLE, pages.UTF8_INTRO, "表1　2023年法治政府建设主要指标", *pages.UTF8_AFTER], start=1
    ))
    cells = [(b.location.table, b.location.row, b.location.col, b.text.strip())
             for b in result.blocks if b.kind == "table_cell"]
    assert cells == [
        # 指标 and 增幅 span two rows, 数量 two columns: each merged cell once, at its top-left
        (1, 1, 1, "指标"), (1, 1, 2, "数量（件）"), (1, 1, 4, "增幅"),
        (1, 2, 2, "2022年"), (1, 2, 3, "2023年"),
        (1, 3, 1, "行政复议案件"), (1, 3, 2, "48"), (1, 3, 3, "61"), (1, 3, 4, "27.1%"),
        (1, 4, 1, "行政诉讼案件"), (1, 4, 2, "35"), (1, 4, 3, "29"), (1, 4, 4, "-17.1%"),
        (1, 5, 1, "法律援助案件"), (1, 5, 2, "298"), (1, 5, 3, "356"), (1, 5, 4, "19.5%"),
        (1, 6, 1, "行政机关负责人出庭应诉率"), (1, 6, 3, "100%"),  # the &nbsp; cell is empty
    ]
    assert all(b.location.paragraph is None for b in result.blocks if b.kind == "table_cell")
    order = [b.kind for b in result.blocks]
    assert order.index("table_cell") == 3 and order[-1] == "paragraph"  # the table stands where it was
    assert_clean(result)


def test_old_table_layout_page():
    """Nested layout tables, <font> and &nbsp; indentation: read as text, not as table cells."""
    result = read_html(pages.old_layout_page())
    assert texts(result) == ["文成县2023年度法治政府建设情况报告", *pages.OLD_LAYOUT_LINES]
    assert all(b.kind == "paragraph" for b in result.blocks)
    assert result.published == "2024-02-06"
    assert result.page_title == "文成县人民政府门户网站"
    joined = "".join(texts(result))
    assert not any(word in joined for word in ("苍南县", "永嘉县", "泰顺县", "点击数", "版权所有", "ICP", "您现在的位置"))


def test_heading_tags_give_levels_but_numbered_headings_are_left_to_the_text():
    result = read_html(pages.headings_page())
    levels = {b.text.strip(): b.heading_level for b in result.blocks}
    assert levels["永嘉县2023年法治政府建设年度报告"] is None  # the headline: the pipeline marks it the title
    assert (levels["组织领导"], levels["学法用法"]) == (1, 2)  # <h2>, <h3>
    assert levels["一、依法行政"] is None  # numbered: sections.py levels it from its text
    doc = parse_document("a.html", pages.headings_page())
    section = {b.text: b.section_path for b in doc.blocks}
    assert section["县政府常务会议会前学法12次,组织领导干部法治专题讲座3场。"] == ("组织领导", "学法用法")
    assert section["全年清理行政规范性文件58件,废止7件,修改12件。"] == ("一、依法行政",)


def test_scripts_styles_frames_and_entities_never_become_text_and_nothing_is_fetched(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the reader tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    result = read_html(pages.hostile_page())
    joined = "\n".join(texts(result))
    assert texts(result)[0] == "泰顺县2023年法治政府建设年度报告"
    assert "全年组织领导干部旁听庭审活动4场" in joined and "提出修改意见152条" in joined
    for word in ("attacker", "secret", "脚本文字", "样式文字", "框架内容", "哈哈", "ENTITY", "]>"):
        assert word not in joined
    assert result.published is None  # no date anywhere, and none made up


# --- charsets ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("build", "encoding"),
    [
        (pages.gbk_report_page, "gb18030"),  # declares gb2312: read as its superset
        (pages.lying_page, "gb18030"),  # declares utf-8, is GBK: the declaration does not decode it
        (pages.undeclared_gbk_page, "gb18030"),  # declares nothing: detected
        (pages.utf8_declared_gbk, "utf-8"),  # declares gb2312, is UTF-8 (a site that moved)
        (lambda: b"\xef\xbb\xbf" + pages.utf8_declared_gbk(), "utf-8-sig"),  # a BOM outranks the meta
        (lambda: pages.utf8_declared_gbk().decode("utf-8").encode("utf-16"), "utf-16"),
    ],
)
def test_charsets(build, encoding):
    result = read_html(build())
    assert result.encoding == encoding
    assert texts(result) == REPORT_BLOCKS


def test_declared_charset_with_a_broken_byte_still_reads():
    data = pages.gbk_report_page()
    cut = data.index("全年共办理法律援助案件".encode("gbk"))
    result = read_html(data[:cut] + b"\xff" + data[cut:])
    assert result.encoding == "gb18030"
    assert any("法律援助案件356件" in t for t in texts(result))


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        (b'<meta charset="GBK">', "gb18030"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=gb2312' />", "gb18030"),
        (b'<?xml version="1.0" encoding="big5"?>', "big5"),  # XHTML: the XML declaration comes first
        (b'<meta charset=utf-8>', "utf-8"),
        (b'<meta charset="utf-16">', "utf-8"),  # a meta readable as ASCII cannot be UTF-16
        (b'<meta charset="iso-8859-1">', None),  # a CMS default, not a statement: detection decides
        (b'<meta charset="x-unknown-charset">', None),
        (b"<p>no declaration</p>", None),
    ],
)
def test_declared_charset(head, codec):
    page = head + b"<html><head></head>" if head.startswith(b"<?xml") else b"<html><head>" + head + b"</head>"
    assert html.declared_charset(page) == codec


# --- single-file saves ----------------------------------------------------------------------------

@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
def test_mht_reads_like_the_page_it_holds(transfer):
    result = read_mht(pages.mht_report(transfer))
    assert result.format == "mht"
    assert result.encoding == "gb18030"  # the part's charset=gb2312
    assert texts(result) == REPORT_BLOCKS
    assert result.page_title == "平阳县2023年法治政府建设年度报告_平阳县人民政府"
    assert result.published == "2024-01-15"
    assert_clean(result)


def test_chrome_mhtml_picks_the_snapshot_page_not_a_frame():
    result = read_mht(pages.mht_chrome(pages.utf8_table_page()))
    assert result.format == "mht" and result.encoding == "utf-8"
    assert texts(result)[:2] == [pages.UTF8_TITLE, pages.UTF8_INTRO]
    assert sum(b.kind == "table_cell" for b in result.blocks) == 19
    assert not any("广告" in t for t in texts(result))


def test_mht_saved_under_an_html_name_is_read_as_mht():
    result = read_html(pages.mht_report())
    assert result.format == "mht" and texts(result) == REPORT_BLOCKS


# --- pages that are not a report ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("build", "kind", "words"),
    [
        (pages.nav_only_page, html.NO_ARTICLE_KIND, ["no article text", "平阳县人民政府门户网站"]),
        (pages.column_listing_page, html.NO_ARTICLE_KIND, ["list of", "links"]),
        (pages.images_only_page, html.NO_ARTICLE_KIND, ["4 image", "scanned"]),
        (pages.styled_error_page, html.ERROR_PAGE_KIND, ["error page", "页面不存在"]),
        (pages.nginx_404_page, html.ERROR_PAGE_KIND, ["error page", "404 Not Found"]),
        (pages.error_body_page, html.ERROR_PAGE_KIND, ["error page", "您要访问的页面不存在"]),
        (pages.attachment_only_page, html.ATTACHMENT_ONLY_KIND, ["attachment", pages.ATTACHMENT_NAME, "download"]),
        (pages.docx_link_only_page, html.ATTACHMENT_ONLY_KIND, ["attachment", "平阳县2023年述法报告.docx"]),
        # a bare page the extractor finds nothing in: the link is looked for in the whole page
        (lambda: '<html><body><p>附件：<a href="/files/P0201.pdf">点击下载</a></p></body></html>'.encode(),
         html.ATTACHMENT_ONLY_KIND, ["点击下载 (P0201.pdf)"]),
        (pages.script_only_page, "no_text", ["no text"]),
        (pages.empty_page, "no_text", ["no text"]),
        (lambda: b"  \r\n\t", "no_text", ["empty"]),
        (pages.binary_garbage, html.NOT_A_PAGE_KIND, ["binary"]),
        (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", html.NOT_A_PAGE_KIND, ["PDF", ".pdf"]),
        (lambda: b"PK\x03\x04" + bytes(100), html.NOT_A_PAGE_KIND, ["zip"]),
        (lambda: ("全年共办理法律援助案件356件。" * 20).encode("gbk"), html.NOT_A_PAGE_KIND, ["no HTML markup"]),
        (lambda: b"<html><p>" + pages.binary_garbage(4000).replace(b"\x00", b" "), "unreadable_encoding", ["decode"]),
        (lambda: b"<html><body>" + b"<div>" * 300 + "<p>正文</p>".encode() + b"</div>" * 300 + b"</body></html>",
         "corrupt_file", ["limit", "depth"]),
    ],
)
def test_pages_without_a_report_say_why(build, kind, words):
    with pytest.raises(IngestError) as err:
        read_html(build())
    assert err.value.kind == kind
    for word in words:
        assert word in err.value.reason


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (b"this is not a MIME message at all", "corrupt_file", ["not a MIME message"]),
        (pages.gbk_report_page(), "corrupt_file", ["not a MIME message", "rename it to .html"]),
        (pages.mht_without_html(), "corrupt_file", ["no text/html part", "image/jpeg"]),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=zzz\r\n\r\nno parts", "corrupt_file",
         ["boundary"]),
        (pages.binary_garbage(), "corrupt_file", ["not a MIME message"]),
        (b"", "no_text", ["empty"]),
        (pages.mht(pages.attachment_only_page(), "gb2312"), html.ATTACHMENT_ONLY_KIND, [pages.ATTACHMENT_NAME]),
    ],
)
def test_bad_mht(data, kind, words):
    with pytest.raises(IngestError) as err:
        read_mht(data)
    assert err.value.kind == kind
    for word in words:
        assert word in err.value.reason


def test_a_short_real_article_is_not_mistaken_for_an_empty_page():
    lines = ["全年共办理法律援助案件356件，同比增长12%。", "受理行政复议申请26件，审结24件，纠错率7.7%。"]
    assert sum(map(len, lines)) < 2 * html.MIN_ARTICLE_CHARS
    page = pages.gov_page(pages.article_html("平阳县法律援助工作简报", pages.paragraphs_html(lines)),
                          title="平阳县法律援助工作简报_平阳县人民政府")
    assert texts(read_html(page.encode("gbk"))) == ["平阳县法律援助工作简报", *lines]


def test_huge_page_reads_in_a_few_seconds():
    data = pages.huge_page()
    assert len(data) >= 5 * 1024 * 1024
    read_html(pages.gbk_report_page())  # imports and caches warm, as in a running pipeline
    cpu = time.process_time()
    result = read_html(data)
    cpu = time.process_time() - cpu
    assert cpu < 8, f"{cpu:.1f} s of CPU for a 5 MB page"  # ~2.5 s here; CPU time, as the machine may be busy
    assert result.blocks[0].text == HEADLINE
    assert sum(b.kind == "paragraph" for b in result.blocks) > 40_000
    assert max(b.location.table or 0 for b in result.blocks) > 200
    assert result.blocks[-1].text.startswith("第") and result.blocks[-1].location.paragraph > 40_000


# --- the pieces -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("打印本页　关闭窗口", True),
        ("【打印本页】【关闭窗口】", True),
        ("【字体：大 中 小】", True),
        ("分享到：微信 微博", True),
        ("责任编辑：林晓", True),
        ("来源：平阳县司法局", True),
        ("信息来源：县司法局", True),
        ("发布时间：2024-01-15 09:30　来源：平阳县司法局　浏览次数：1286", True),
        ("日期：2024/01/15", True),
        ("当前位置：首页 > 政务公开 > 法治政府建设", True),
        ("上一篇：文成县法治宣传教育工作情况通报", True),
        ("相关文章", True),
        ("浙ICP备05012345号-1　网站标识码：3303260001", True),
        ("您是本站第1024316位访问者", True),
        ("版权所有：平阳县人民政府办公室", True),
        ("共9条　首页 上一页 1 下一页 尾页", True),
        ("全年共办理法律援助案件356件，同比增长12%，为群众挽回经济损失420余万元。", False),
        ("一、主要举措和成效", False),
        ("来源于群众的意见建议全部按期办结。", False),
        ("时间紧、任务重，全县上下齐心协力完成了年度目标。", False),
        ("大", True),
        ("大力推进法治乡村建设，创建民主法治示范村12个。", False),
        ("公开征求意见渠道包括" + "网站、" * 40 + "联系电话：0577-63712345", False),  # long: prose
    ],
)
def test_furniture_lines(line, furniture):
    assert is_furniture(line) is furniture


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-01-15 09:30", "2024-01-15"),
        ("2024-01-15-09:30:15", "2024-01-15"),
        ("2024年1月5日", "2024-01-05"),
        ("2024/01/15", "2024-01-15"),
        ("２０２４年１月１５日", "2024-01-15"),
        ("20240115", "2024-01-15"),
        ("2024-02-03T08:00:00+08:00", "2024-02-03"),
        ("2024-13-01", None),
        ("昨天", None),
    ],
)
def test_iso_date(text, iso):
    assert iso_date(text) == iso


@pytest.mark.parametrize(
    ("extra_meta", "info", "published"),
    [
        ('<meta name="PubDate" content="2024-01-15 09:30">', "发布时间：2023-12-28", "2024-01-15"),  # meta first
        ("", "发布时间：2023-12-28 10:00", "2023-12-28"),
        ("", "日期：2024年2月1日　来源：县司法局", "2024-02-01"),
        ('<meta name="publishdate" content="2024-02-01">', None, "2024-02-01"),
        ('<meta property="article:published_time" content="2024-02-03T08:00:00+08:00">', None, "2024-02-03"),
        ("", None, None),  # the sidebar's dates are not the article's
    ],
)
def test_published_date_sources(extra_meta, info, published):
    body = pages.paragraphs_html(pages.REPORT_TEXT)
    page = pages.gov_page(pages.article_html(HEADLINE, body, info=info), extra_meta=extra_meta)
    result = read_html(page.encode("gbk"))
    assert result.published == published
    assert texts(result) == [HEADLINE, *pages.REPORT_TEXT]


def test_layout_table_inside_the_article_is_read_as_text():
    body = "<table><tr><td>" + pages.paragraphs_html(pages.REPORT_TEXT) + "</td></tr></table>"
    result = read_html(pages.gov_page(pages.article_html(HEADLINE, body)).encode("gbk"))
    assert texts(result) == [HEADLINE, *pages.REPORT_TEXT]
    assert all(b.kind == "paragraph" for b in result.blocks)


# --- through the pipeline -------------------------------------------------------------------------

def test_parse_document_normalises_and_finds_sections():
    doc = parse_document("报告.html", pages.gbk_report_page())
    assert doc.format == "html" and doc.encoding == "gb18030"
    assert doc.page_title == "平阳县2023年法治政府建设年度报告_平阳县人民政府" and doc.published == "2024-01-15"
    assert doc.blocks[0].kind == "title" and doc.blocks[0].text == HEADLINE
    aid = next(b for b in doc.blocks if "法律援助案件356件" in b.text)
    assert aid.text == "全年共办理法律援助案件356件,同比增长12%,为群众挽回经济损失420余万元。"  # NFKC
    assert aid.section_path == ("一、主要举措和成效", "(三)强化法律服务保障")
    assert not any(county in doc.text for county in pages.OTHER_COUNTIES)
    assert parse_document("报告.mht", pages.mht_report()).format == "mht"
    with pytest.raises(IngestError) as err:
        parse_document("报告.htm", pages.attachment_only_page())
    assert err.value.kind == html.ATTACHMENT_ONLY_KIND and pages.ATTACHMENT_NAME in err.value.reason


@pytest.mark.parametrize(
    ("title", "pubdate", "year", "year_source"),
    [
        ("关于2023年度法治政府建设情况的报告_平阳县人民政府", "2024-01-15 09:30", 2023, "title"),
        # no year anywhere in the text: an annual report published in January covers the year before
        ("关于法治政府建设工作情况的报告_平阳县人民政府", "2024-01-15 09:30", 2023, "published"),
        ("关于法治政府建设工作情况的报告_平阳县人民政府", "2024-06-20 16:00", 2024, "published"),
    ],
)
def test_ingest_file_takes_county_from_the_page_title_and_year_from_the_date(tmp_path, title, pubdate, year, year_source):
    folder = tmp_path / "某县"
    folder.mkdir()
    path = pages.write(folder / "报告.htm", pages.metadata_page(title, pubdate))
    outcome = ingest_file(path, "某县/报告.htm")
    meta = outcome.metadata
    assert outcome.parsed.page_title == title
    assert (meta.county, meta.county_code, meta.county_source) == ("平阳县", "330326", "text")
    assert (meta.year, meta.year_source) == (year, year_source)
    assert meta.report_type == "法治政府建设年度报告"
    assert "平阳县" not in outcome.parsed.text  # the body says only 我县: the county came from the page title
    assert not any(county in outcome.parsed.text for county in pages.OTHER_COUNTIES)
