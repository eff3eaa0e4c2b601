"""pdf_tables: ruled tables and text lines found from PDFium's objects as pdfplumber finds them.

The pure geometry (subpaths -> shapes -> edges -> cells -> tables, characters -> cell text and lines)
is tested on hand-made input; the whole reader on PDFs built with reportlab, against pdfplumber's
own reading of the same pages (pdf._page_items, still the fallback).
"""

from __future__ import annotations

import pdfplumber
import pypdfium2 as pdfium
import pytest
from builders import FONT, PdfPage, write_pdf
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle

from pipelines.ingest.readers import pdf as pdf_reader
from pipelines.ingest.readers import pdf_tables
from pipelines.ingest.readers.pdf_tables import PageContent, page_edges, shape, table_cells, tables_and_lines

H = 800.0  # page height of the hand-made pages


def rect(x0, y0, x1, y1):
    """A subpath as PDFium's "re" reads back: m l l l, then h."""
    return [("m", (x0, y0)), ("l", (x1, y0)), ("l", (x1, y1)), ("l", (x0, y1)), ("h", (x0, y0))]


def line(x0, y0, x1, y1):
    return [("m", (x0, y0)), ("l", (x1, y1))]


def grid(x0, y0, cols, rows, w=50.0, h=20.0):
    """Subpaths ruling a cols x rows table with separate lines, top-left cell at (x0, y0) (PDF space)."""
    return [line(x0, y0 - r * h, x0 + cols * w, y0 - r * h) for r in range(rows + 1)] + [
        line(x0 + c * w, y0, x0 + c * w, y0 - rows * h) for c in range(cols + 1)
    ]


def char(text, x0, top, size=10.0, width=None):
    width = size if width is None else width
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "doctop": top,
            "width": width, "height": size, "size": size, "upright": True}


def word(text, x0, top, size=10.0):
    return [char(t, x0 + i * size, top, size) for i, t in enumerate(text)]


@pytest.mark.parametrize(
    "ops, kind",
    [
        (line(0, 0, 10, 0), "line"),
        (line(0, 0, 10, 0) + [("h", (0, 0))], "line"),  # "m l h"
        (line(0, 0, 10, 7), "line"),  # a slanted line is a line too
        (rect(0, 0, 10, 5), "rect"),
        (rect(0, 0, 10, 5)[:4] + [("l", (0, 0))], "rect"),  # "m l l l l" back to the start
        (rect(0, 0, 10, 5)[:4] + [("l", (0, 0)), ("h", (0, 0))], "rect"),  # a redundant "l" before "h"
        (rect(0, 0, 10, 5)[:4], "curve"),  # three sides
        ([("m", (0, 0)), ("l", (5, 5)), ("l", (10, 0)), ("l", (5, -5)), ("h", (0, 0))], "curve"),  # a diamond
        ([("m", (0, 0)), ("c", (10, 10)), ("h", (0, 0))], "curve"),
        ([("l", (0, 0)), ("l", (10, 0))], None),  # not opened by "m": pdfminer paints nothing
    ],
)
def test_subpaths_are_classified_as_pdfminer_does(ops, kind):
    found = shape(ops)
    assert (found and found[0]) == kind


def test_edges_come_as_pdfplumber_orders_them():
    """Lines first, then each rectangle's top, bottom, left and right side, then curves; top-down."""
    curve = [("m", (0, 100)), ("l", (0, 150)), ("l", (30, 150))]
    edges = page_edges([rect(10, 700, 60, 720), curve, line(0, 50, 100, 50)], H)
    got = [(e["object_type"], e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges]
    assert got == [
        ("line", "h", 0, 750, 100, 750),
        ("rect_edge", "h", 10, 80, 60, 80),
        ("rect_edge", "h", 10, 100, 60, 100),
        ("rect_edge", "v", 10, 80, 10, 100),
        ("rect_edge", "v", 60, 80, 60, 100),
        ("curve_edge", "v", 0, 650, 0, 700),
        ("curve_edge", "h", 0, 650, 30, 650),
    ]


FOUR_CELLS = [(100, 100, 150, 120), (100, 120, 150, 140), (150, 100, 200, 120), (150, 120, 200, 140)]


@pytest.mark.parametrize(
    "subpaths, expected",
    [
        (grid(100, 700, 2, 2), [FOUR_CELLS]),
        # a table of one rectangle per cell, as tests/builders.py draws them
        ([rect(100 + c * 50, 680 - r * 20, 150 + c * 50, 700 - r * 20) for r in range(2) for c in range(2)], [FOUR_CELLS]),
        ([rect(100, 600, 200, 700)], []),  # one box: one cell, no table
        (grid(100, 700, 1, 2) + grid(100, 400, 2, 1), [  # two tables, top first
            [(100, 100, 150, 120), (100, 120, 150, 140)],
            [(100, 400, 150, 420), (150, 400, 200, 420)],
        ]),
        # rules 2 pt apart are snapped onto one line (their average)
        (grid(100, 700, 2, 1)[:1] + [line(100, 698, 200, 698)] + grid(100, 700, 2, 1)[1:],
         [[(100, 101, 150, 120), (150, 101, 200, 120)]]),
        ([line(0, 500, 100, 500)] * 4, []),  # drawings that rule nothing
    ],
)
def test_cells_and_tables_from_edges(subpaths, expected):
    found = table_cells(page_edges(subpaths, H))
    assert [sorted(cells) for cells in found] == [sorted(cells) for cells in expected]


@pytest.mark.parametrize(
    "subpaths",
    [
        grid(100, 700, 2, 2) + [line(203, 700, 203, 660)],  # two rules exactly the snap tolerance apart
        grid(100, 700, 2, 2) + [line(100, 650, 100, 647)],  # a rule exactly the minimum length
        # a gap of exactly the join tolerance in the top rule
        [line(100, 700, 150, 700), line(153, 700, 200, 700)] + grid(100, 700, 2, 2)[1:],
    ],
)
def test_edges_too_close_to_call_are_left_to_pdfplumber(subpaths):
    assert table_cells(page_edges(subpaths, H)) is None


def _page(subpaths, chars):
    return PageContent(600.0, H, subpaths, chars)


def test_cell_text_and_lines_outside_tables():
    chars = word("表上的一行", 100, 80) + word("指标", 105, 105) + word("数值", 155, 105) + word("415", 155, 125)
    chars += [char(" ", 185, 125, width=2.5)] + word("件", 187.5, 125) + word("表下的一行", 100, 160)
    tables, lines = tables_and_lines(_page(grid(100, 700, 2, 2), chars))
    assert [t.extract() for t in tables] == [[["指标", "数值"], ["", "415 件"]]]
    assert tables[0].bbox == (100, 100, 200, 140)
    assert [(line["text"], line["x0"], line["top"]) for line in lines] == [
        ("表上的一行", 100, 80), ("表下的一行", 100, 160)
    ]


@pytest.mark.parametrize(
    "chars",
    [
        word("表", 100, 80) + word("外", 113, 80),  # a gap of exactly the x tolerance: one word or two?
        word("上标", 100, 80) + word("正文", 120, 83),  # tops exactly the y tolerance apart
        word("跨", 145, 105),  # a character centred on a cell's side
    ],
)
def test_text_too_close_to_call_is_left_to_pdfplumber(chars):
    assert tables_and_lines(_page(grid(100, 700, 2, 2), chars)) is None


# ---------------------------------------------------------------------------------------------
# The reader on real PDFs: PDFium's reading equals pdfplumber's


def _ruled_canvas(path):
    """Pages with tables drawn as the sample generator (platypus GRID, merged and multi-line cells),
    as thin filled bars (as Word draws borders), inside a rounded frame, and one page without a table."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for page in range(3):
        c.setFont(FONT, 9)
        c.drawCentredString(width / 2, height - 15 * mm, "某县法治政府建设年度报告")
        c.setFont(FONT, 12)
        c.drawString(25 * mm, height - 30 * mm, "一、加强组织领导")
        c.drawString(25 * mm + 24, height - 38 * mm, "全年召开委员会会议3次,领导干部累计学法42小时。")
        if page == 0:
            rows = [["类别", "2022年", ""], ["", "件数", "占比"], ["行政复议", "19", "12.5 %"], ["多行\n单元格", "3", "1%"]]
            table = Table(rows, colWidths=[60 * mm, 40 * mm, 40 * mm], rowHeights=[22, 22, 22, 36])
            table.setStyle(TableStyle([
                ("FONT", (0, 0), (-1, -1), FONT, 11), ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("SPAN", (1, 0), (2, 0)), ("SPAN", (0, 0), (0, 1)), ("BACKGROUND", (0, 0), (-1, 1), colors.Color(0.9, 0.9, 0.9)),
            ]))
            table.wrapOn(c, width, height)
            table.drawOn(c, 25 * mm, height - 100 * mm)
        elif page == 1:
            c.roundRect(20 * mm, height - 110 * mm, 170 * mm, 60 * mm, 8)
            for r in range(4):
                c.rect(25 * mm, height - 60 * mm - r * 24 - 0.25, 135 * mm, 0.5, stroke=0, fill=1)
            for k in range(4):
                c.rect(25 * mm + k * 45 * mm - 0.25, height - 60 * mm - 72, 0.5, 72, stroke=0, fill=1)
            c.setFont(FONT, 11)
            rows = [["指标", "数值", "单位"], ["法律援助案件", "415", "件"], ["Legal aid", "1 236", "件"]]
            for r, row in enumerate(rows):
                for k, value in enumerate(row):
                    c.drawString(25 * mm + k * 45 * mm + 4, height - 60 * mm - (r + 1) * 24 + 8, value)
        else:
            for i in range(6):  # a bar chart: drawings, no table
                c.rect(30 * mm + i * 20 * mm, 300, 10 * mm, 20 + i * 15, fill=1)
        c.setFont(FONT, 10)
        c.drawCentredString(width / 2, 12 * mm, f"- {page + 1} -")
        c.showPage()
    c.save()
    return path


def _pdfs(tmp_path):
    report = write_pdf(
        tmp_path / "report.pdf",
        [
            PdfPage(lines=["  一、法律援助", "  全年办理法律援助案件312件。"], table=[["指标", "数值", "单位"], ["法律援助案件", "415", "件"]]),
            PdfPage(lines=["  二、人民调解", "  调解成功率98.7%。"], table=[["指标", "数值"], ["调解纠纷", "2,480"], ["成功率", "98.7%"]]),
        ],
        running_header="某县法治政府建设年度报告", page_numbers=True,
    )
    return [report, _ruled_canvas(tmp_path / "ruled.pdf")]


def test_pages_with_drawings_read_from_pdfium_as_pdfplumber_reads_them(tmp_path):
    compared = 0
    for path in _pdfs(tmp_path):
        document = pdfium.PdfDocument(path)
        with pdfplumber.open(path) as plumber:
            for index in range(len(document)):
                page = document[index]
                if not pdf_reader._has_drawings(page):
                    continue
                fast = pdf_reader._drawn_page_items(page, index + 1, [0])
                slow = pdf_reader._page_items(plumber.pages[index], index + 1, [0])
                assert fast is not None, f"{path.name} page {index + 1} fell back"
                assert [top for top, _ in fast] == pytest.approx([top for top, _ in slow], abs=1e-3)
                for (_, mine), (_, theirs) in zip(fast, slow):
                    if isinstance(theirs, list):
                        assert mine == theirs  # table cells
                    else:
                        assert (mine.text, mine.page) == (theirs.text, theirs.page)
                        assert (mine.x0, mine.x1, mine.char_width) == pytest.approx(
                            (theirs.x0, theirs.x1, theirs.char_width), abs=1e-3
                        )
                compared += 1
        document.close()
    assert compared == 5


def test_read_pdf_blocks_equal_pdfplumbers(tmp_path, monkeypatch):
    for path in _pdfs(tmp_path):
        data = path.read_bytes()
        fast = pdf_reader.read_pdf(data)
        with monkeypatch.context() as m:
            m.setattr(pdf_reader, "_drawn_page_items", lambda *args: None)  # every page to pdfplumber
            slow = pdf_reader.read_pdf(data)
        assert fast.blocks == slow.blocks and fast.pages == slow.pages
        assert any(b.kind == "table_cell" for b in fast.blocks)


def _table_page(path, before_table=None, **page):
    """One page: a line of text and a small ruled table; ``before_table`` draws on the canvas first."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if page.get("rotate"):
        c.setPageRotation(90)
    if before_table:
        before_table(c)
    c.setFont(FONT, 12)
    c.drawString(70, 760, "全年开展普法活动58场次。")
    draw = c.rect
    if page.get("in_form"):
        c.beginForm("table")
        c.setFont(FONT, 12)
    for r in range(2):
        for k in range(2):
            draw(70 + k * 120, 700 - r * 24, 120, 24)
            c.drawString(74 + k * 120, 708 - r * 24, ["指标", "数值", "案件", "415"][2 * r + k])
    if page.get("in_form"):
        c.endForm()
        c.doForm("table")
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize(
    "name, page",
    [
        ("rotated", {"rotate": True}),
        ("form", {"in_form": True}),
        ("bold", {"before_table": lambda c: (c.setFont(FONT, 14), c.drawString(70, 780, "三、加粗"),
                                             c.drawString(70.3, 780, "三、加粗"))}),
        ("turned_text", {"before_table": lambda c: (c.saveState(), c.translate(500, 300), c.rotate(90),
                                                    c.setFont(FONT, 10), c.drawString(0, 0, "竖排文字"), c.restoreState())}),
    ],
)
def test_pages_pdfium_cannot_read_for_sure_go_to_pdfplumber(tmp_path, monkeypatch, name, page):
    """A rotated page, a table inside a form XObject, text overprinted as fake bold (PDFium drops
    the copy, pdfminer keeps it), turned text: read_page declines, and pdfplumber reads the page."""
    path = _table_page(tmp_path / f"{name}.pdf", **page)
    document = pdfium.PdfDocument(path)
    assert pdf_reader._has_drawings(document[0]) and pdf_tables.read_page(document[0]) is None
    document.close()
    read = []
    slow = pdf_reader._page_items
    monkeypatch.setattr(pdf_reader, "_page_items", lambda *args: read.append(1) or slow(*args))
    blocks = pdf_reader.read_pdf(path.read_bytes()).blocks
    assert read == [1]
    assert sorted(b.text for b in blocks if b.kind == "table_cell") == sorted(["指标", "数值", "案件", "415"])
