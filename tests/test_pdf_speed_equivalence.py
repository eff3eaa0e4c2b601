"""The PDF reader's faster forms give what their plain forms give, on PDFs built here.

Each faster form in pdf.py / pdf_tables.py (raw PDFium calls instead of pypdfium2's wrappers, str
methods instead of a loop over a line's characters) is compared with the plain form it replaced,
page by page, on pages chosen to reach its corners: whitespace inside and around lines, drawings
just under and at the path count that makes a page "drawn", paths in a form and in a form in a form.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from builders import FONT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from pipelines.ingest.readers import pdf as pdf_reader
from pipelines.ingest.readers import pdf_tables

LEFT = 25 * mm
_, HEIGHT = A4

LINES = [
    "春天的河边有一排柳树，风吹过来，树枝轻轻摆动。",
    "  小镇的图书馆每周六开放，借书的人排成一队。",
    "第 3 页",
    "  面包店 早上 七点 开门，\u3000门口放着两张长椅。",
    "Version 2.5 of the plan, 共 12 项。",
    "   ",
    "一、关于修路的几点想法",
]


def _text(c: canvas.Canvas) -> None:
    c.setFont(FONT, 12)
    y = HEIGHT - 30 * mm
    for line in LINES:
        c.drawString(LEFT, y, line)
        y -= 20


def _rules(c: canvas.Canvas, count: int) -> None:
    for i in range(count):
        c.line(LEFT, 200 + 10 * i, LEFT + 300, 200 + 10 * i)


def _table(c: canvas.Canvas) -> None:
    c.setFont(FONT, 10)
    for row, cells in enumerate([["城市", "公园"], ["河流", "山丘"]]):
        for col, value in enumerate(cells):
            x, y = LEFT + col * 120, 300 - row * 24
            c.rect(x, y, 120, 24)
            c.drawString(x + 6, y + 8, value)


def _in_form(c: canvas.Canvas, name: str, rules: int) -> None:
    c.beginForm(name)
    _rules(c, rules)
    c.endForm()


def _nested_form(c: canvas.Canvas) -> None:
    """Paths two forms deep: the plain walk (max_depth=2) does not see them."""
    _in_form(c, "inner", 6)
    c.beginForm("outer")
    c.doForm("inner")
    c.endForm()
    c.doForm("outer")


PAGES = {
    "text only": _text,
    "three rules": lambda c: (_text(c), _rules(c, pdf_reader.MIN_PATHS_FOR_TABLES - 1)),
    "four rules": lambda c: (_text(c), _rules(c, pdf_reader.MIN_PATHS_FOR_TABLES)),
    "ruled table": lambda c: (_text(c), _table(c)),
    "rules in a form": lambda c: (_text(c), _in_form(c, "rules", 5), c.doForm("rules")),
    "rules two forms deep": lambda c: (_text(c), _nested_form(c)),
    "blank": lambda c: None,
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """name -> pypdfium2 page of one PDF holding every page of PAGES."""
    path = tmp_path_factory.mktemp("speed") / "pages.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for draw in PAGES.values():
        draw(c)
        c.showPage()
    c.save()
    document = pdfium.PdfDocument(path.read_bytes())
    yield {name: document[index] for index, name in enumerate(PAGES)}
    document.close()


# ------------------------------------------------------------------------------------------
# The plain forms


def plain_has_drawings(page) -> bool:
    """_has_drawings through pypdfium2's object walk."""
    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _ in paths) >= pdf_reader.MIN_PATHS_FOR_TABLES


def plain_pdfium_lines(page, page_no: int):
    """_pdfium_lines with a loop over each line's characters and pypdfium2's get_charbox."""
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    items, start = [], 0
    for raw_line in text.splitlines(keepends=True):
        body = raw_line.rstrip("\r\n")
        visible = [start + i for i, ch in enumerate(body) if ch.strip()]
        if visible:
            left, _, _, first_top = textpage.get_charbox(visible[0])
            _, _, right, last_top = textpage.get_charbox(visible[-1])
            top = page.get_height() - max(first_top, last_top)
            items.append((top, pdf_reader._Line(page_no, body.strip(), left, right, top,
                                                (right - left) / len(visible))))
        start += len(raw_line)
    textpage.close()
    return items


def _typed(address: int, kind):
    return ctypes.cast(address, kind)


def plain_read_page(page, monkeypatch):
    """read_page with _chars calling pypdfium2's typed bindings instead of the by-address ones."""
    double = ctypes.POINTER(ctypes.c_double)
    with monkeypatch.context() as patch:
        patch.setattr(pdf_tables, "_has_unicode_map_error", lambda textpage, index: (
            pdfium_c.FPDFText_HasUnicodeMapError(_typed(textpage, pdfium_c.FPDF_TEXTPAGE), index)))
        patch.setattr(pdf_tables, "_char_origin", lambda textpage, index, x, y: pdfium_c.FPDFText_GetCharOrigin(
            _typed(textpage, pdfium_c.FPDF_TEXTPAGE), index, _typed(x, double), _typed(y, double)))
        return pdf_tables.read_page(page)


CASES = [
    ("_has_drawings", lambda page, _: pdf_reader._has_drawings(page), lambda page, _: plain_has_drawings(page)),
    ("_pdfium_lines", lambda page, _: pdf_reader._pdfium_lines(page, 1), lambda page, _: plain_pdfium_lines(page, 1)),
    ("read_page", lambda page, _: pdf_tables.read_page(page), plain_read_page),
]


@pytest.mark.parametrize("page_name", list(PAGES))
@pytest.mark.parametrize("name, fast, plain", CASES, ids=[case[0] for case in CASES])
def test_faster_form_gives_what_the_plain_form_gives(pages, monkeypatch, page_name, name, fast, plain):
    assert fast(pages[page_name], monkeypatch) == plain(pages[page_name], monkeypatch)


def test_the_pages_reach_both_sides_of_each_decision(pages):
    """The cases above are only worth something if the pages differ where the faster forms differ."""
    drawn = {name for name, page in pages.items() if pdf_reader._has_drawings(page)}
    assert drawn == {"four rules", "ruled table", "rules in a form"}
    assert pdf_tables.read_page(pages["ruled table"]).chars  # characters were read, not None
    texts = [line.text for _, line in pdf_reader._pdfium_lines(pages["text only"], 1)]
    assert "面包店 早上 七点 开门，\u3000门口放着两张长椅。" in texts and "第 3 页" in texts
