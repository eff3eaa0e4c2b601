"""PDF reports: text per page, lines rejoined into paragraphs, running headers dropped.

A PDF stores lines, not paragraphs, and Chinese has no spaces to hint where a broken line
continues. A line continues the paragraph above unless the line above stopped short of the
right margin, this line is indented, or it starts a numbered heading. Running headers and
footers are dropped: the first or last line of a page that, on most pages, sits at the same
height with the same text (figures may differ only where they count the pages), and a page
number ("第 3 页", "- 3 -") opening or closing a page. A body line that merely looks alike on
every page ("全年办理法律援助案件N件" with a different N) is kept. Ruled tables, found as
pdfplumber finds them, become cell blocks, and their text is kept out of the paragraphs.

Two engines: pypdfium2 (PDFium) parses the document and reads a page in a few milliseconds;
pdfplumber (on pdfminer) re-reads a page in tens to hundreds. A plain text page is read from
PDFium's text lines. A page with drawings (a ruled table, perhaps) is read as pdfplumber reads it
— its tables' cells, and its text lines outside them — but from PDFium's path objects and
characters, handed to pdfplumber's own table and text functions (pdf_tables.py); only a page
pdf_tables cannot be sure of (rotated, drawings inside a form, a decision within rounding of a
tolerance, ...) is read by pdfplumber itself. All produce the same line records, and everything
after that is shared.

Scans: given OCR options, a page whose text layer has fewer than MIN_CHARS_PER_PAGE characters
(page numbers aside) but which shows an image or drawings is rendered and OCR'd (ocr.py), each
page under its own time limit, at most ``max_pages`` pages a document (later ones are read as
they are, that is empty, and logged). OCR'd lines become the same line records, so running
headers and page numbers are dropped alike, and pages stay in order in a document that mixes
text pages and scans; an OCR'd page's paragraphs use the page's own margins and do not run on
into the next page. Their blocks carry a bbox and the recogniser's confidence.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ..errors import IngestError
from ..model import Location, RawBlock, ReadResult
from ..normalize import normalize_text
from ..sections import heading_level
from ..time_limit import TimeLimitExceeded, time_limit
from . import pdf_tables
from .ocr_options import OcrOptions

# A document with fewer visible characters than this is treated as having no text layer.
MIN_CHARS_PER_DOCUMENT = 20
# Given OCR options, a page with fewer text-layer characters than this (page numbers aside) that
# shows an image or drawings is OCR'd: a scan, perhaps with a page number or a scanner app's mark.
MIN_CHARS_PER_PAGE = 10
# The error kind of a PDF that was OCR'd and still has (almost) no text: a photo, a blank scan
# (told apart from no_text_layer: a PDF that was not OCR'd).
OCR_NO_TEXT_KIND = "ocr_no_text"
# A page with at least this many vector path objects may hold a ruled table: read as pdfplumber reads it.
MIN_PATHS_FOR_TABLES = 4
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–~\s]*\d{1,4}[-—–~\s]*|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+)$",
    re.IGNORECASE,
)


_log = logging.getLogger(__name__)
_ENDS_SENTENCE = re.compile(r"[。！？；：.!?;:」』”）)]$")


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    char_width: float
    # OCR'd lines only (see ocr.py): the line's bottom edge, the recogniser's confidence in it and
    # the number of characters it stands for (a block's confidence is their character-weighted mean)
    bottom: float | None = None
    confidence: float | None = None
    chars: int = 0


def _open(data: bytes) -> pdfplumber.PDF:
    """pdfplumber's view of a document PDFium has already opened (for pages pdf_tables cannot read)."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # forces the page tree to be read, where damage usually shows
        return pdf
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in str(cause).lower():
            raise IngestError("encrypted", "password-protected PDF") from exc
        raise IngestError("corrupt_file", f"PDF cannot be parsed: {cause!r}") from exc
    except PDFPasswordIncorrect as exc:
        raise IngestError("encrypted", "password-protected PDF") from exc
    except MemoryError:
        raise  # not damage: read_pdf reports it as out_of_memory
    except Exception as exc:  # pdfminer raises a zoo of types on damaged files
        raise IngestError("corrupt_file", f"PDF cannot be parsed: {type(exc).__name__}: {exc}") from exc


def _page_items(page, page_no: int, table_counter: list[int]) -> list[tuple[float, object]]:
    """(top, item) pairs for one page read by pdfplumber: _Line objects and lists of table-cell RawBlocks."""
    tables = page.find_tables()
    text_page = page.filter(pdf_tables.outside([t.bbox for t in tables])) if tables else page
    return _items(tables, text_page.extract_text_lines(return_chars=True), page_no, table_counter)


def _drawn_page_items(page, page_no: int, table_counter: list[int]) -> list[tuple[float, object]] | None:
    """_page_items of a PDFium page, from PDFium's paths and characters (pdf_tables.py); None when
    pdf_tables cannot be sure pdfplumber would read the page the same way."""
    content = pdf_tables.read_page(page)
    found = None if content is None else pdf_tables.tables_and_lines(content)
    if found is None:
        return None
    tables, lines = found
    return _items(tables, lines, page_no, table_counter)


def _items(tables, lines: list[dict], page_no: int, table_counter: list[int]) -> list[tuple[float, object]]:
    """(top, item) pairs of a page's pdfplumber tables and its text lines outside them, in page order."""
    items: list[tuple[float, object]] = []
    for table in tables:
        table_counter[0] += 1
        cells: list[RawBlock] = []
        for row_no, row in enumerate(table.extract(), start=1):
            for col_no, cell in enumerate(row, start=1):
                if cell and cell.strip():
                    cells.append(
                        RawBlock(
                            text=cell,
                            location=Location(page=page_no, table=table_counter[0], row=row_no, col=col_no),
                            kind="table_cell",
                        )
                    )
        items.append((table.bbox[1], cells))
    for line in lines:
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        width = sorted(c["x1"] - c["x0"] for c in chars)[len(chars) // 2]
        items.append((line["top"], _Line(page_no, line["text"], line["x0"], line["x1"], line["top"], width)))
    items.sort(key=lambda pair: pair[0])
    return items


def _running_lines(pages: list[list[_Line]]) -> set[int]:
    """ids of the page-edge lines that are running headers/footers (see the module docstring).

    Only the first and last line of a page are candidates. Candidates on the same edge with the
    same text once digits are folded form a group; it is a running line when, on at least half
    the pages (and two), its lines sit at one height and each of its numbers is either the same
    on every page or the page number plus a constant ("第 3 页", "2022年报告 - 3 -").
    """
    if len(pages) < 2:
        return set()
    needed = max(2, len(pages) / 2)
    running: set[int] = set()
    for edge in (0, -1):
        groups: dict[str, list[_Line]] = {}
        for lines in pages:
            if lines:
                groups.setdefault(_fold_digits(lines[edge].text), []).append(lines[edge])
        for group in groups.values():
            middle = sorted(line.top for line in group)[len(group) // 2]
            placed = [line for line in group if abs(line.top - middle) <= 2 * line.char_width]
            if len(placed) >= needed and _only_page_numbers_differ(placed):
                running.update(id(line) for line in placed)
    return running


def _only_page_numbers_differ(lines: list[_Line]) -> bool:
    """True when the lines' numbers are, position by position, constant or page number + constant."""
    numbers = [[int(n) for n in re.findall(r"\d+", normalize_text(line.text))] for line in lines]
    if len({len(ns) for ns in numbers}) != 1:
        return False
    for column in zip(*numbers):
        offsets = {n - line.page for n, line in zip(column, lines)}
        if len(set(column)) > 1 and len(offsets) > 1:
            return False
    return True


def _fold_digits(text: str) -> str:
    return re.sub(r"\d+", "#", normalize_text(text))


def _join_lines(lines: list[_Line], left: float, right: float, paragraph_no: Counter[int]) -> list[RawBlock]:
    """Rejoin lines into paragraphs (see the module docstring for the rule).

    ``left``/``right`` are the text column's margins; ``paragraph_no`` counts paragraphs
    per page across calls (a table splits the running text into several calls).
    """
    blocks: list[RawBlock] = []
    for group in _paragraphs(lines, left, right):
        page = group[0].page
        paragraph_no[page] += 1
        text = "".join(line.text for line in group)
        blocks.append(RawBlock(text=text, location=Location(page=page, paragraph=paragraph_no[page])))
    return blocks


def _paragraphs(lines: list[_Line], left: float, right: float) -> list[list[_Line]]:
    """The lines grouped into paragraphs, in order: a line continues the paragraph above unless it
    is indented or a numbered heading, or the line above stopped short of the right margin at the
    end of a sentence or of a heading (the rule of the module docstring; OCR'd pages use it too)."""
    groups: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        above = current[-1] if current else None
        starts_new = (
            above is None
            or line.x0 > left + 1.5 * line.char_width  # indented first line
            or heading_level(normalize_text(line.text)) is not None
            # the line above stopped short of the margin at the end of a sentence (a line with
            # digits or Latin letters is narrower without ending anything)
            or (above.x1 < right - 2 * above.char_width and _ENDS_SENTENCE.search(above.text.rstrip()))
            or (above.x1 < right - 2 * above.char_width and heading_level(normalize_text(above.text)) is not None)
        )
        if starts_new and current:
            groups.append(current)
            current = []
        current.append(line)
    if current:
        groups.append(current)
    return groups


def _open_pdfium(data: bytes) -> pdfium.PdfDocument:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("corrupt_file", "does not start with a PDF header (%PDF)")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise IngestError("encrypted", "password-protected PDF") from exc
        raise IngestError("corrupt_file", f"PDF cannot be parsed: {exc}") from exc


def _pdfium_lines(page, page_no: int) -> list[tuple[float, _Line]]:
    """(top, line) for every text line of a page, from PDFium's text and two character boxes per line.

    PDFium already breaks the page's text into lines. A line's extent comes from its first and last
    visible characters, its character width is the line's width over its visible characters: two
    calls per line instead of one per character, which had made this the slowest part of reading.
    Where those characters are is found with str methods (strip, split), not a loop over the line.
    """
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    height = page.get_height()
    charbox = _CharBoxes(textpage)
    items: list[tuple[float, _Line]] = []
    start = 0
    for raw_line in text.splitlines(keepends=True):
        body = raw_line.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            left, first_top = charbox.left_top(start + len(body) - len(body.lstrip()))
            right, last_top = charbox.right_top(start + len(body.rstrip()) - 1)
            visible = len("".join(stripped.split()))
            top = height - max(first_top, last_top)
            items.append((top, _Line(page_no, stripped, left, right, top, (right - left) / visible)))
        start += len(raw_line)
    textpage.close()
    return items


class _CharBoxes:
    """PdfTextPage.get_charbox's box of a character (PDFium's FPDFText_GetCharBox), into ctypes
    doubles made once per page rather than four new ones a call."""

    def __init__(self, textpage):
        self._raw = textpage.raw
        self._left, self._right, self._bottom, self._top = (ctypes.c_double() for _ in range(4))

    def _read(self, index: int) -> None:
        if not pdfium_c.FPDFText_GetCharBox(self._raw, index, self._left, self._right, self._bottom, self._top):
            raise pdfium.PdfiumError("Failed to get charbox.")

    def left_top(self, index: int) -> tuple[float, float]:
        self._read(index)
        return self._left.value, self._top.value

    def right_top(self, index: int) -> tuple[float, float]:
        self._read(index)
        return self._right.value, self._top.value


def _has_drawings(page) -> bool:
    """Whether the page holds at least MIN_PATHS_FOR_TABLES path objects, on the page itself or in
    a form on it (not a form in a form). Walked with PDFium's own calls and stopped at the last path
    needed: pypdfium2's get_objects wraps every object in a Python object first."""
    paths = (kind for depth, _, kind in pdf_tables.page_objects(page.raw)
             if depth <= 1 and kind == pdfium_c.FPDF_PAGEOBJ_PATH)
    return sum(1 for _ in itertools.islice(paths, MIN_PATHS_FOR_TABLES)) == MIN_PATHS_FOR_TABLES


def _has_graphics(page) -> bool:
    """Whether the page shows an image or vector drawing (a scan, or text turned into outlines)."""
    kinds = [pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING]
    return next(iter(page.get_objects(filter=kinds, max_depth=3)), None) is not None


def _text_chars(items: list[tuple[float, object]]) -> int:
    """Visible characters of a page's items, page-number lines aside."""
    count = 0
    for _, item in items:
        if isinstance(item, _Line):
            if not _PAGE_NUMBER.match(normalize_text(item.text)):
                count += len("".join(item.text.split()))
        else:
            count += sum(len("".join(cell.text.split())) for cell in item)
    return count


def _ocr_items(page, page_no: int, options: OcrOptions) -> list[tuple[float, _Line]]:
    """(top, line) for the lines OCR finds on the page, within the page's own time allowance."""
    from . import ocr

    try:
        with time_limit(options.page_s):
            image, scale = ocr.render_page(page)
            lines = ocr.ocr_page(image, scale)
    except TimeLimitExceeded as exc:
        raise IngestError(
            "timeout", f"OCR of page {page_no} took longer than {options.page_s:g} s (SHUFA_OCR_PAGE_S)"
        ) from exc
    except (IngestError, MemoryError):
        raise
    except ImportError as exc:
        raise IngestError(
            "read_failed", f"page {page_no} needs OCR but the OCR engine cannot be loaded ({exc}); SHUFA_OCR=off skips OCR"
        ) from exc
    except Exception as exc:  # the engine's failure, not the file's damage
        raise IngestError("read_failed", f"OCR of page {page_no} failed: {type(exc).__name__}: {exc}") from exc
    return [(line.top, line) for line in ocr.to_text_lines(lines, page_no)]


def read_pdf(data: bytes, ocr: OcrOptions | None = None) -> ReadResult:
    """Blocks of a PDF; with ``ocr``, pages without a text layer are OCR'd (see the module doc).
    A MemoryError (a worker's memory ceiling, see worker_limits) is an ``out_of_memory`` IngestError,
    so one huge file is recorded instead of ending the run."""
    try:
        return _read_pdf(data, ocr)
    except MemoryError as exc:
        raise IngestError("out_of_memory", f"ran out of memory while parsing the PDF ({type(exc).__name__}: {exc})") from exc


def _read_pdf(data: bytes, ocr: OcrOptions | None = None) -> ReadResult:
    document = _open_pdfium(data)
    plumber = None
    ocr_pages: set[int] = set()  # page numbers read by OCR
    skipped: list[int] = []  # pages that needed OCR past ocr.max_pages
    try:
        table_counter = [0]
        pages_items: list[list[tuple[float, object]]] = []
        for index in range(len(document)):
            page = document[index]
            if _has_drawings(page):  # a ruled table, perhaps: found as pdfplumber finds it
                items = _drawn_page_items(page, index + 1, table_counter)
                if items is None:  # a page pdf_tables cannot read for sure: pdfplumber reads it
                    plumber = plumber or _open(data)
                    items = _page_items(plumber.pages[index], index + 1, table_counter)
            else:
                items = _pdfium_lines(page, index + 1)
            if ocr is not None and _text_chars(items) < MIN_CHARS_PER_PAGE and _has_graphics(page):
                if len(ocr_pages) < ocr.max_pages:
                    items = _ocr_items(page, index + 1, ocr)
                    ocr_pages.add(index + 1)
                else:
                    skipped.append(index + 1)
            pages_items.append(items)
            page.close()
        page_count = len(document)
    except (IngestError, MemoryError, TimeLimitExceeded):
        raise
    except Exception as exc:
        raise IngestError("corrupt_file", f"PDF page cannot be read: {type(exc).__name__}: {exc}") from exc
    finally:
        document.close()
        if plumber is not None:
            plumber.close()
    if skipped:
        _log.warning(
            "%d page(s) without a text layer not OCR'd (pages %s): OCR stops at %d pages a document (SHUFA_OCR_MAX_PAGES)",
            len(skipped), _page_list(skipped), ocr.max_pages,
        )
    visible_chars = sum(
        len("".join(item.text.split())) if isinstance(item, _Line) else sum(len(c.text) for c in item)
        for items in pages_items
        for _, item in items
    )
    if visible_chars < MIN_CHARS_PER_DOCUMENT:
        raise _no_text(page_count, visible_chars, ocr, ocr_pages, skipped)

    page_lines = [[item for _, item in items if isinstance(item, _Line)] for items in pages_items]
    running = _running_lines(page_lines)
    edges = {id(line) for lines in page_lines for line in lines[:1] + lines[-1:]}

    def is_body(line: _Line) -> bool:
        return id(line) not in running and not (id(line) in edges and _PAGE_NUMBER.match(normalize_text(line.text)))

    body = [line for lines in page_lines for line in lines if is_body(line) and line.page not in ocr_pages]
    left = min((line.x0 for line in body), default=0.0)
    right = max((line.x1 for line in body), default=0.0)
    paragraph_no: Counter[int] = Counter()
    blocks: list[RawBlock] = []
    pending: list[_Line] = []
    for page_no, items in enumerate(pages_items, start=1):
        if page_no in ocr_pages:  # a scan: its own margins, its paragraphs end with the page
            from .ocr import join_ocr_lines

            blocks.extend(_join_lines(pending, left, right, paragraph_no))
            pending = []
            blocks.extend(join_ocr_lines([line for _, line in items if is_body(line)], paragraph_no))
            continue
        for _, item in items:
            if isinstance(item, _Line):
                if is_body(item):
                    pending.append(item)
            else:  # a table interrupts the running text
                blocks.extend(_join_lines(pending, left, right, paragraph_no))
                pending = []
                blocks.extend(item)
    blocks.extend(_join_lines(pending, left, right, paragraph_no))
    return ReadResult(blocks=blocks, pages=page_count, ocr_pages=len(ocr_pages))


def _no_text(page_count: int, chars: int, ocr: OcrOptions | None, ocr_pages: set[int], skipped: list[int]) -> IngestError:
    """Why a PDF with (almost) no text has none, as an IngestError."""
    found = f"{page_count} page(s) but only {chars} characters of text"
    if ocr_pages:
        return IngestError(
            OCR_NO_TEXT_KIND,
            f"{found}: OCR found no readable text on the {len(ocr_pages)} page(s) without a text layer"
            " (a photo, a blank or an illegible scan?)",
        )
    if ocr is None:
        return IngestError("no_text_layer", f"{found}: a scanned PDF needs OCR, which is off (SHUFA_OCR=off)")
    if skipped:
        return IngestError(
            "no_text_layer", f"{found}: its scanned pages were not OCR'd, OCR is limited to {ocr.max_pages} pages (SHUFA_OCR_MAX_PAGES)"
        )
    return IngestError("no_text_layer", f"{found}, and no page shows an image or drawing to OCR")


def _page_list(pages: list[int]) -> str:
    return ", ".join(map(str, pages[:10])) + (", …" if len(pages) > 10 else "")
