"""Ruled tables and text lines of a PDF page from PDFium's objects, the way pdfplumber finds them.

pdfplumber finds a page's tables in the lines and rectangles pdfminer draws, and reads text from
pdfminer's characters; getting those costs pdfminer a re-interpretation of the whole page (about
170 ms, against PDFium's few). This module takes the same inputs from the page PDFium has already
parsed — its path objects and its characters — in the form pdfplumber's own objects have, and
hands them to pdfplumber's pure functions, so cells, tables and text lines come out as pdfplumber
makes them:

* shapes: each subpath of a path object is what pdfminer's ``paint_path`` makes of it: a line
  ("m l", "m l h"), a rectangle (a closed axis-aligned "m l l l h"), else a curve through the end
  points of its segments;
* edges: ``Page.edges`` — the lines, then each rectangle's top, bottom, left and right side, then
  the curves' segments — in pdfplumber's top-down coordinates (top = page height - y);
* tables: ``TableFinder`` with the default settings (the "lines" strategy): horizontal and
  vertical edges of at least 1 pt, merged (snap and join tolerance 3), kept from 3 pt, crossed
  (intersection tolerance 3) into cells, cells grouped into tables; ``Table`` extracts the cells;
* characters: pdfminer's ``LTChar`` box — from the origin, the advance width, the font's descent
  and size — for every character PDFium read from the content (not the spaces and line breaks it
  generates); text lines are pdfplumber's ``extract_text_lines`` of them.

:func:`read_page` is the only function that touches PDFium; it returns None where PDFium's view
of the page may not be pdfminer's: a rotated page or one whose media box does not start at 0,0,
drawings inside a form XObject, rotated, skewed or vertical text, a character without Unicode (or a
hyphen PDFium marked), several characters at one origin (a ligature PDFium split, ActualText), a
text object PDFium left out (the overprinted copy of fake bold). :func:`tables_and_lines` returns
None where a decision of pdfplumber's is too close to call — a measure within EPSILON of its
tolerance: PDFium works in single precision, pdfminer in double, so the two may fall on either side.
The caller then reads the page with pdfplumber itself.

What stays different: PDFium keeps font metrics in whole thousandths of an em, so where a PDF
gives fractional widths or descents, positions move by hundredths of a point; for the standard 14
fonts (not embedded) it uses its own fonts' descent, so characters sit a fraction of a point
higher or lower than pdfminer puts them. Text and cells do not change unless that moves a decision
across a tolerance.
"""

from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass
from operator import itemgetter
from types import SimpleNamespace

import pypdfium2.raw as pdfium_c
from pdfplumber import table as plumber_table
from pdfplumber import utils as plumber_utils

# pdfplumber's default TableSettings (lines strategy)
EDGE_MIN_LENGTH_PREFILTER = 1
SNAP_TOLERANCE = plumber_table.DEFAULT_SNAP_TOLERANCE
JOIN_TOLERANCE = plumber_table.DEFAULT_JOIN_TOLERANCE
EDGE_MIN_LENGTH = 3
INTERSECTION_TOLERANCE = 3
TEXT_TOLERANCE = plumber_utils.DEFAULT_X_TOLERANCE  # = DEFAULT_Y_TOLERANCE: words and lines
# PDFium keeps coordinates in single precision, pdfminer in double: a decision whose measure lies
# within this many points of its threshold may go either way, and is left to pdfplumber
EPSILON = 0.01

Point = tuple[float, float]
Op = tuple[str, Point]  # pdfminer's path operator ("m", "l", "c", "h") and its end point


@dataclass
class PageContent:
    """What pdfplumber would see of a page: its size, its painted subpaths (as pdfminer operators,
    PDF coordinates) and its characters (pdfplumber char dicts, top-down coordinates)."""

    width: float
    height: float
    subpaths: list[list[Op]]
    chars: list[dict]


# ------------------------------------------------------------------------------------------
# Pure geometry: subpaths -> shapes -> edges -> tables


def shape(ops: list[Op]) -> tuple[str, list[Point]] | None:
    """("line" | "rect" | "curve", points) of one subpath, as pdfminer's paint_path decides it;
    None for what it does not paint (a subpath not opened by "m")."""
    kinds = "".join(op for op, _ in ops)
    pts = [pt for _, pt in ops]
    if kinds[:1] != "m":
        return None
    if len(kinds) > 3 and kinds[-2:] == "lh" and pts[-2] == pts[0]:  # a redundant "l" before "h"
        kinds = kinds[:-2] + "h"
        pts.pop()
    if kinds in ("ml", "mlh"):
        return "line", pts[:2]
    if kinds in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            return "rect", [pts[0], pts[2]]
    return "curve", pts


def _box(kind: str, x0: float, y0: float, x1: float, y1: float, height: float) -> dict:
    """A pdfplumber object's box: PDF coordinates (x0, y0, x1, y1) and top-down ones."""
    return {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "top": height - y1, "bottom": height - y0, "doctop": height - y1}


def page_edges(subpaths: list[list[Op]], height: float) -> list[dict]:
    """pdfplumber's ``Page.edges`` of these subpaths (PDF coordinates in, top-down out)."""
    lines, rects, curves = [], [], []
    for ops in subpaths:
        found = shape(ops)
        if found is None:
            continue
        kind, pts = found
        xs, ys = [x for x, _ in pts], [y for _, y in pts]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        obj = _box(kind, x0, y0, x1, y1, height)
        obj["pts"] = [(x, height - y) for x, y in pts]
        {"line": lines, "rect": rects, "curve": curves}[kind].append(obj)
    edges = [plumber_utils.line_to_edge(line) for line in lines]
    for rect in rects:
        edges += plumber_utils.rect_to_edges(rect)
    for curve in curves:
        edges += plumber_utils.curve_to_edges(curve)
    return edges


def _near(a: float, b: float) -> bool:
    return abs(a - b) < EPSILON


def _close_pairs(values: list[float], gap: float) -> bool:
    """Whether two of the values lie about ``gap`` apart (gap 0: nearly but not exactly equal)."""
    xs = sorted(set(values))
    if not gap:
        return any(b - a < EPSILON for a, b in zip(xs, xs[1:]))
    for i, a in enumerate(xs):
        j = bisect.bisect_left(xs, a + gap - EPSILON, i + 1)
        if j < len(xs) and xs[j] < a + gap + EPSILON:
            return True
    return False


def _edge_ties(edges: list[dict], snapped: list[dict], merged: list[dict]) -> bool:
    """Whether a decision of TableFinder on these edges (prefiltered; snapped; merged and filtered)
    is too close to call: a length at a minimum, positions at the snap tolerance or left nearly (not
    exactly) equal by snapping, a gap at the join tolerance, a crossing at the intersection tolerance."""
    def length(e: dict) -> float:
        return e["height"] if e["orientation"] == "v" else e["width"]

    def position(e: dict) -> float:
        return e["x0"] if e["orientation"] == "v" else e["top"]

    if any(_near(length(e), EDGE_MIN_LENGTH_PREFILTER) for e in edges):
        return True
    if any(_near(length(e), EDGE_MIN_LENGTH) for e in merged):
        return True
    for orientation, start, end in (("v", "top", "bottom"), ("h", "x0", "x1")):
        if _close_pairs([position(e) for e in edges if e["orientation"] == orientation], SNAP_TOLERANCE):
            return True
        if _close_pairs([position(e) for e in snapped if e["orientation"] == orientation], 0):
            return True
        lines: dict[float, list[dict]] = {}
        for e in snapped:
            if e["orientation"] == orientation:
                lines.setdefault(position(e), []).append(e)
        for line in lines.values():  # edges on one line joined where their gap is within tolerance
            if any(_near(b[start] - a[end], JOIN_TOLERANCE) for a in line for b in line):
                return True
    t = INTERSECTION_TOLERANCE
    return any(
        _near(v["top"], h["top"] + t) or _near(v["bottom"], h["top"] - t)
        or _near(v["x0"], h["x0"] - t) or _near(v["x0"], h["x1"] + t)
        for v in merged if v["orientation"] == "v"
        for h in merged if h["orientation"] == "h"
    )


def table_cells(edges: list[dict]) -> list[list[tuple[float, float, float, float]]] | None:
    """The cells (x0, top, x1, bottom) of each table the edges rule, as pdfplumber's TableFinder
    finds them with its default settings, tables in its order; None when that is too close to call."""
    filter_edges = plumber_utils.filter_edges
    edges = filter_edges(edges, "v", min_length=EDGE_MIN_LENGTH_PREFILTER) + filter_edges(
        edges, "h", min_length=EDGE_MIN_LENGTH_PREFILTER
    )
    if not edges:
        return []
    merged = plumber_table.merge_edges(edges, SNAP_TOLERANCE, SNAP_TOLERANCE, JOIN_TOLERANCE, JOIN_TOLERANCE)
    merged = filter_edges(merged, min_length=EDGE_MIN_LENGTH)
    if _edge_ties(edges, plumber_table.snap_edges(edges, SNAP_TOLERANCE, SNAP_TOLERANCE), merged):
        return None
    intersections = plumber_table.edges_to_intersections(merged, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    return plumber_table.cells_to_tables(plumber_table.intersections_to_cells(intersections))


def _centre(c: dict) -> Point:
    return (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2


def _inside(c: dict, bbox: tuple) -> bool:
    """Table.extract's test: the character's centre in the half-open box."""
    x, y = _centre(c)
    return bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]


def outside(bboxes: list[tuple]):
    """A filter keeping the characters whose centre is in none of the (closed) boxes (the text
    pdf.py reads around tables)."""
    def keep(c: dict) -> bool:
        x, y = _centre(c)
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in bboxes)

    return keep


def _text_ties(chars: list[dict]) -> bool:
    """Whether pdfplumber's reading of these characters into lines and words is too close to call:
    tops about the y tolerance apart (lines clustered, the interline test), a gap between
    characters about the x tolerance (words split), characters nearly at one x (their order)."""
    tops = sorted({c["top"] for c in chars})
    if any(_near(b - a, TEXT_TOLERANCE) for a, b in zip(tops, tops[1:])):
        return True
    for line in plumber_utils.cluster_objects(chars, itemgetter("top"), TEXT_TOLERANCE):
        if _close_pairs([c["top"] for c in line], TEXT_TOLERANCE):
            return True
        before = None
        for c in sorted(line, key=itemgetter("x0")):
            if c["text"].isspace():
                before = None
                continue
            if before and _near(c["x0"] - before["x1"], TEXT_TOLERANCE):
                return True
            if before and _near(c["x0"], before["x0"]) and c["text"] != before["text"]:
                return True
            before = c
    return False


def _cell_ties(table: plumber_table.Table) -> bool:
    """Whether Table.extract's reading of a table is too close to call: a character centred about
    on a cell's side, or a cell's text (see _text_ties)."""
    xs = sorted({x for cell in table.cells for x in (cell[0], cell[2])})
    ys = sorted({y for cell in table.cells for y in (cell[1], cell[3])})
    centred = [(_centre(c), c) for c in table.page.chars]
    for (x, y), _ in centred:
        i, j = bisect.bisect_left(xs, x - EPSILON), bisect.bisect_left(ys, y - EPSILON)
        if (i < len(xs) and xs[i] < x + EPSILON) or (j < len(ys) and ys[j] < y + EPSILON):
            return True
    for x0, top, x1, bottom in table.cells:  # a cell's characters, as Table.extract takes them
        if _text_ties([c for (x, y), c in centred if x0 <= x < x1 and top <= y < bottom]):
            return True
    return False


def tables_and_lines(content: PageContent) -> tuple[list[plumber_table.Table], list[dict]] | None:
    """The page's tables (``bbox``, ``extract()``) and its text lines outside them (pdfplumber's
    ``extract_text_lines(return_chars=True)`` of the characters centred outside every table), as
    pdfplumber finds them; None when one of its decisions is too close to call: PDFium's single
    precision may not decide it as pdfminer's double precision does."""
    cell_groups = table_cells(page_edges(content.subpaths, content.height))
    if cell_groups is None:
        return None
    found = []
    for cells in cell_groups:
        table = plumber_table.Table(None, cells)
        # Table.extract reads its page's chars, keeping those centred in a row: a row lies within
        # the table, so it is given those centred in the table (or about), to test fewer
        x0, top, x1, bottom = table.bbox
        near = (x0 - EPSILON, top - EPSILON, x1 + EPSILON, bottom + EPSILON)
        table.page = SimpleNamespace(chars=[c for c in content.chars if _inside(c, near)])
        if _cell_ties(table):
            return None
        found.append(table)
    chars = list(filter(outside([t.bbox for t in found]), content.chars)) if found else content.chars
    if _text_ties(chars):
        return None
    textmap = plumber_utils.chars_to_textmap(chars, layout_bbox=(0, 0, content.width, content.height),
                                             layout_width=content.width, layout_height=content.height)
    lines = textmap.extract_text_lines(strip=True, return_chars=True)
    if any(_near(line["top"], t.bbox[1]) for line in lines for t in found):
        return None  # which comes first on the page is too close to call
    return found, lines


# ------------------------------------------------------------------------------------------
# Reading PDFium


def _address(pointer) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


def page_objects(holder, is_form: bool = False, depth: int = 0):
    """(depth, object, type) of every page object, forms' contents included."""
    count = pdfium_c.FPDFFormObj_CountObjects if is_form else pdfium_c.FPDFPage_CountObjects
    get = pdfium_c.FPDFFormObj_GetObject if is_form else pdfium_c.FPDFPage_GetObject
    for index in range(count(holder)):
        obj = get(holder, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        yield depth, obj, kind
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from page_objects(obj, True, depth + 1)


def _subpaths(obj) -> list[list[Op]] | None:
    """A path object's subpaths as pdfminer's operators with PDF-space end points; None for a
    segment PDFium cannot name."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[Op]] = []
    bezier = 0  # control points of the Bézier segment being read
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            subpaths.append([("m", point)])
            continue
        if not subpaths or kind not in (pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO):
            return None
        ops = subpaths[-1]
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier = (bezier + 1) % 3
            if bezier:  # a control point
                continue
            ops.append(("c", point))
        closes = pdfium_c.FPDFPathSegment_GetClose(segment)
        if kind == pdfium_c.FPDF_SEGMENT_LINETO:
            # PDFium turns "h" into a line back to the start carrying the close flag (or the flag
            # alone when the path is already back): pdfminer keeps the "h"
            if closes and point == ops[0][1]:
                ops.append(("h", point))
                continue
            ops.append(("l", point))
        if closes:
            ops.append(("h", ops[0][1]))
    return subpaths


def _by_address(function, restype, *argtypes):
    """A PDFium function called with plain addresses (ints) for its pointers: pypdfium2's binding
    checks and converts typed pointers on every call, a cost _chars pays several times a character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(function))


# FPDFText_GetTextObject answering the object's address (an int, None for a generated
# character): pypdfium2's own binding answers a typed pointer, which takes longer to compare
_text_object_address = _by_address(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_has_unicode_map_error = _by_address(pdfium_c.FPDFText_HasUnicodeMapError, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_char_origin = _by_address(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int,
                           ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


def _chars(textpage, height: float, text_objects: set[int]) -> list[dict] | None:
    """pdfplumber's char dicts of the page's characters, in PDFium's order; None if PDFium's
    characters may not be pdfminer's (see the module docstring)."""
    raw = textpage.raw
    raw_address = _address(raw)
    text = textpage.get_text_range()  # one call for every character's Unicode, not one each
    if len(text) != pdfium_c.FPDFText_CountChars(raw):
        return None  # a character PDFium keeps out of its text (a control code, a marked hyphen)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    x_address, y_address = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
    value = ctypes.c_float()
    matrix = pdfium_c.FS_MATRIX()
    is_generated = pdfium_c.FPDFText_IsGenerated
    fonts: dict[int, tuple] = {}  # text object -> (font, its address, size, descent, a, d)
    widths: dict[tuple, float] = {}  # (font, character, size) -> advance width
    chars: list[dict] = []
    last = None  # (text object, origin) of the previous character
    for index, character in enumerate(text):
        obj = _text_object_address(raw_address, index)
        if not obj or (character == " " and is_generated(raw, index)):
            continue  # a line break or space PDFium generated (between text objects, or in a TJ gap)
        if character < " " or _has_unicode_map_error(raw_address, index):
            return None  # a character without Unicode
        if obj not in fonts:
            pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                return None  # rotated, skewed or mirrored text
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
            size = pdfium_c.FPDFText_GetFontSize(raw, index)
            if not font or not pdfium_c.FPDFFont_GetDescent(font, size, value):
                return None
            fonts[obj] = (font, _address(font), size, value.value, matrix.a, matrix.d)
        font, font_address, size, descent, a, d = fonts[obj]
        _char_origin(raw_address, index, x_address, y_address)
        x, y = origin_x.value, origin_y.value
        if last and last[0] == obj and (y != last[2] or x == last[1]):
            # a text object's characters off its line (vertical writing), or several at one origin
            # (a ligature split, ActualText)
            return None
        last = (obj, x, y)
        width = widths.get(width_key := (font_address, character, size))
        if width is None:
            if not pdfium_c.FPDFFont_GetGlyphWidth(font, ord(character), size, value):
                return None
            width = widths[width_key] = value.value
        # pdfminer's LTChar: advance by font size wide, font size high, bottom at the descent
        x1 = x + a * width
        y0 = y + d * descent
        top, bottom = height - (y0 + d * size), height - y0
        chars.append({"text": character, "x0": x, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
                      "width": x1 - x, "height": bottom - top, "size": bottom - top, "upright": True})
    if set(fonts) != text_objects:
        return None  # PDFium left out a text object pdfminer reads (a duplicate, an empty one)
    return chars


def read_page(page) -> PageContent | None:
    """The page as pdfplumber would see it, read from PDFium (``page``: a pypdfium2 PdfPage);
    None when that may not be what pdfplumber sees (see the module docstring)."""
    left, bottom, right, top = page.get_mediabox()
    if page.get_rotation() or left or bottom or right <= 0 or top <= 0:
        return None
    height = top - bottom
    subpaths: list[list[Op]] = []
    text_objects: set[int] = set()
    bounds = [ctypes.c_float() for _ in range(4)]
    for depth, obj, kind in page_objects(page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            found = _subpaths(obj) if depth == 0 else None  # a form's own matrix is not read
            if found is None:
                return None
            subpaths += found
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            pdfium_c.FPDFPageObj_GetBounds(obj, *bounds)
            if bounds[2].value - bounds[0].value >= 0.01:  # PDFium skips narrower text objects
                text_objects.add(_address(obj))
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height, text_objects)
    finally:
        textpage.close()
    if chars is None:
        return None
    return PageContent(right - left, height, subpaths, chars)
