"""A composed report as a scanned document: an image-only PDF, to be read by OCR.

The document's lines are drawn black on white with a CJK TrueType font on A4 pages at 200 dpi
(11 pt body text, 31 px high, 17 px apart: two pages for a 述法报告; RapidOCR reads figures
such as 94.7% and 1545.28万元 exactly, though its angle classifier, when on, turns a few long
lines upside down and loses them), made bilevel as an office scanner's text mode does, and
written one image per page, Flate-compressed,
into a small PDF with no text, no fonts and no dates.  Equal input, font file, Pillow/FreeType
and zlib give equal bytes; another FreeType may draw a glyph a pixel differently, which is why
generate.py records scans in ``.tool-made.json`` (see ``scan_source`` / ``scan_made_with``).
"""

from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache
from pathlib import Path

from .generate import Document, wrap_cjk
from .tool_made import ToolMissing

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian/Ubuntu: fonts-wqy-zenhei
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",  # Fedora
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)

# Everything that decides where a line goes; part of the source hash of a scan, so changing it
# remakes the bundled scan.
LAYOUT = {
    "version": 1,
    "dpi": 200,
    "page_mm": [210, 297],
    "margins_cm": {"left": 2.0, "right": 2.0, "top": 2.0, "bottom": 2.1},
    "title_pt": 16, "title_leading": 1.6,
    "body_pt": 11, "leading": 1.55,  # 31 px glyphs, 17 px between lines
    "footer_pt": 10.5, "footer_from_bottom_cm": 1.3,
    "heading_stroke_px": 1,  # h1 drawn a little heavier, as 黑体 headings print
    "table_pt": 11, "table_row_pt": 24,
}


class FontMissing(ToolMissing):
    pass


@lru_cache(maxsize=1)
def font_path() -> Path:
    for p in FONT_CANDIDATES:
        if Path(p).is_file():
            return Path(p)
    raise FontMissing("a CJK TrueType font is needed to draw the scan: apt-get install fonts-wqy-zenhei")


@lru_cache(maxsize=8)
def _font(px: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path()), size=px, index=0)


def scan_source(doc: Document) -> dict:
    """What a scan is drawn from: the document's blocks and the layout (font by name only)."""
    return {
        "layout": LAYOUT,
        "font": font_path().name,
        "title": doc.title,
        "blocks": [[b.kind, b.text, b.head, b.rows] for b in doc.blocks],
    }


def scan_made_with() -> str:
    import PIL
    from PIL import features

    digest = hashlib.sha256(font_path().read_bytes()).hexdigest()[:16]
    return (f"Pillow {PIL.__version__}, FreeType {features.version('freetype2')}, "
            f"zlib {zlib.ZLIB_RUNTIME_VERSION}, {font_path().name} sha256:{digest}")


def _px(pt: float, dpi: int) -> int:
    return round(pt * dpi / 72)


def page_images(doc: Document) -> list:
    """The pages as bilevel PIL images (mode "1")."""
    from PIL import Image, ImageDraw

    L = LAYOUT
    dpi = L["dpi"]
    cm = dpi / 2.54
    width, height = round(L["page_mm"][0] / 25.4 * dpi), round(L["page_mm"][1] / 25.4 * dpi)
    m = L["margins_cm"]
    left, right = round(m["left"] * cm), width - round(m["right"] * cm)
    top, bottom = round(m["top"] * cm), height - round(m["bottom"] * cm)
    frame = right - left
    body_px, title_px = _px(L["body_pt"], dpi), _px(L["title_pt"], dpi)
    body_lead, title_lead = round(body_px * L["leading"]), round(title_px * L["title_leading"])
    body, title = _font(body_px), _font(title_px)

    # (kind, text, x, font, leading, stroke) lines, or ("table", rows, ...)
    lines: list[tuple] = []

    def para(text: str, font, lead: int, align: str = "left", stroke: int = 0,
             indent_chars: int = 2) -> None:
        size = font.size
        indent = size * indent_chars if align == "left" else 0
        for i, line in enumerate(wrap_cjk(text, frame, size, indent, measure=font.getlength)):
            w = font.getlength(line)
            x = {"left": left + (indent if i == 0 else 0), "center": left + (frame - w) / 2,
                 "right": right - w}[align]
            lines.append(("line", line, round(x), font, lead, stroke))

    for b in doc.blocks:
        if b.kind == "blank":
            lines.append(("space", "", 0, body, body_lead // 2, 0))
        elif b.kind == "title":
            para(b.text, title, title_lead, align="center")
            lines.append(("space", "", 0, body, body_lead // 2, 0))
        elif b.kind == "h1":
            para(b.text, body, body_lead, stroke=L["heading_stroke_px"])
        elif b.kind in ("h2", "p", "marker"):
            para(b.text, body, body_lead)
        elif b.kind == "caption":
            para(b.text, body, body_lead, align="center")
        elif b.kind == "sign":
            para(b.text, body, body_lead, align="right")
        elif b.kind == "table":
            row_h = _px(L["table_row_pt"], dpi)
            lines.append(("table", b.rows, left, _font(_px(L["table_pt"], dpi)),
                          row_h * len(b.rows) + body_lead // 2, 0))

    pages: list = []
    draw = img = None
    y = bottom  # forces a first page

    def new_page():
        nonlocal img, draw, y
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        pages.append(img)
        y = top

    for kind, text, x, font, lead, stroke in lines:
        if y + lead > bottom:
            if kind == "space":
                continue
            new_page()
        if kind == "line":
            draw.text((x, y + (lead - font.size) // 2), text, font=font, fill=0,
                      stroke_width=stroke, stroke_fill=0)
        elif kind == "table":
            _draw_table(draw, text, left, y, frame, font, _px(L["table_row_pt"], dpi))
        y += lead

    foot = _font(_px(L["footer_pt"], dpi))
    foot_y = height - round(L["footer_from_bottom_cm"] * cm) - foot.size
    out = []
    for n, page in enumerate(pages, start=1):
        d = ImageDraw.Draw(page)
        label = f"- {n} -"
        d.text(((width - foot.getlength(label)) / 2, foot_y), label, font=foot, fill=0)
        out.append(page.convert("1", dither=Image.Dither.NONE))
    return out


def _draw_table(draw, rows, left, y, frame, font, row_h) -> None:
    cols = [0.55, 0.25, 0.20]
    xs = [left]
    for c in cols:
        xs.append(xs[-1] + round(frame * c))
    for i, row in enumerate(rows):
        top = y + i * row_h
        for j, text in enumerate(row):
            w = font.getlength(text)
            x = xs[j] + (xs[j + 1] - xs[j] - w) / 2 if (i == 0 or j > 0) else xs[j] + font.size // 2
            draw.text((round(x), top + (row_h - font.size) // 2), text, font=font, fill=0)
    bottom = y + len(rows) * row_h
    for i in range(len(rows) + 1):
        draw.line([(xs[0], y + i * row_h), (xs[-1], y + i * row_h)], fill=0, width=2)
    for x in xs:
        draw.line([(x, y), (x, bottom)], fill=0, width=2)


def image_pdf(pages: list, dpi: int) -> bytes:
    """A PDF holding each bilevel image as one page: no text, fonts, metadata or dates."""
    objs: list[bytes] = []

    def obj(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    obj(b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(b"")  # the page tree, filled in below
    kids = []
    for i, page in enumerate(pages):
        w, h = page.size
        data = zlib.compress(page.tobytes(), 9)
        img = obj(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 1 /Filter /FlateDecode /Length %d >>\nstream\n"
                  % (w, h, len(data)) + data + b"\nendstream")
        pw, ph = w * 72 / dpi, h * 72 / dpi
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im%d Do Q" % (pw, ph, i)
        cont = obj(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
                        b"/Resources << /XObject << /Im%d %d 0 R >> >> /Contents %d 0 R >>"
                        % (pw, ph, i, img, cont)))
    objs[1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
               + b"] /Count %d >>" % len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def render_scan(doc: Document) -> bytes:
    return image_pdf(page_images(doc), LAYOUT["dpi"])
