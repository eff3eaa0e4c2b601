"""Writers for "scanned" PDFs: report text drawn onto an image with a CJK TrueType font, saved
as a PDF whose pages carry only that image (no text layer), as a scanner or a phone app makes them.

The page is A4 laid out like a government report (GB/T 9704: 16 pt characters, 28 to a line,
two-character first-line indent, the headings 一、 flush with the indent), so OCR sees what it
sees in the field. ``noise`` adds grey speckle and ``blur`` a slight softening, as a flatbed
scan of a printout has. Everything is deterministic (seeded), so a test's OCR output is stable.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from builders import FONT  # reportlab's CID font for text-layer pages (registered by builders)

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PT_PER_INCH = 72.0
_NO_LINE_START = set("。，、；：！？）》”%")


@dataclass
class ScanPage:
    """Paragraphs to lay out, each starting on a new line with a two-character indent (headings
    such as "一、加强组织领导" too, as GB/T 9704 lays them out); ``title`` is centred above them."""

    paragraphs: list[str] = field(default_factory=list)
    title: str | None = None
    page_number: int | None = None  # "- N -" centred at the foot, as printed reports have


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    if not FONT_FILE.is_file():
        raise RuntimeError(f"{FONT_FILE} is missing: apt-get install -y fonts-wqy-zenhei")
    return ImageFont.truetype(str(FONT_FILE), size_px)


def _wrap(text: str, font: ImageFont.FreeTypeFont, first_width: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than the column (the first line is narrower: indented).
    Closing punctuation never starts a line (避头): it hangs at the end of the line before."""
    lines: list[str] = []
    current = ""
    limit = first_width
    for ch in text:
        if current and font.getlength(current + ch) > limit and ch not in _NO_LINE_START:
            lines.append(current)
            current, limit = "", width
        current += ch
    if current:
        lines.append(current)
    return lines


def render_scan(
    page: ScanPage,
    dpi: int = 200,
    font_pt: float = 16,
    noise: float = 0.0,
    blur: float = 0.0,
    seed: int = 0,
) -> Image.Image:
    """An A4 greyscale image of ``page`` at ``dpi``."""
    px_per_pt = dpi / PT_PER_INCH
    width_pt, height_pt = A4
    image = Image.new("L", (round(width_pt * px_per_pt), round(height_pt * px_per_pt)), 255)
    draw = ImageDraw.Draw(image)
    size = round(font_pt * px_per_pt)
    font = _font(size)
    left = 28 * mm * px_per_pt
    column = 28 * size  # GB/T 9704: 28 characters a line
    leading = size * 1.75
    y = 37 * mm * px_per_pt
    if page.title:
        title_font = _font(round(size * 1.375))  # 二号 over 三号
        w = title_font.getlength(page.title)
        draw.text(((image.width - w) / 2, y), page.title, font=title_font, fill=0)
        y += leading * 2
    indent = 2 * size
    for paragraph in page.paragraphs:
        for i, line in enumerate(_wrap(paragraph, font, column - indent, column)):
            draw.text((left + (indent if i == 0 else 0), y), line, font=font, fill=0)
            y += leading
    if page.page_number is not None:
        label = f"- {page.page_number} -"
        w = font.getlength(label)
        draw.text(((image.width - w) / 2, image.height - 20 * mm * px_per_pt), label, font=font, fill=0)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        image = add_noise(image, noise, seed)
    return image


def add_noise(image: Image.Image, amount: float, seed: int = 0) -> Image.Image:
    """Grey speckle: ``amount`` of the pixels (0–1) darkened or lightened at random."""
    rng = random.Random(seed)
    pixels = image.load()
    w, h = image.size
    for _ in range(int(w * h * amount)):
        x, y = rng.randrange(w), rng.randrange(h)
        pixels[x, y] = max(0, min(255, pixels[x, y] + rng.choice((-1, 1)) * rng.randrange(60, 160)))
    return image


def noise_image(dpi: int = 100, seed: int = 0) -> Image.Image:
    """An A4 page of random grey texture: a photo or a bad scan with nothing to read."""
    rng = random.Random(seed)
    w, h = round(A4[0] * dpi / PT_PER_INCH), round(A4[1] * dpi / PT_PER_INCH)
    grey = bytes(150 + b * 105 // 255 for b in range(256))  # random bytes → light greys
    data = rng.randbytes(w * h).translate(grey)
    return Image.frombytes("L", (w, h), data).filter(ImageFilter.GaussianBlur(1.5))


def blank_image(dpi: int = 100) -> Image.Image:
    w, h = round(A4[0] * dpi / PT_PER_INCH), round(A4[1] * dpi / PT_PER_INCH)
    return Image.new("L", (w, h), 250)


def _png(image: Image.Image) -> ImageReader:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def write_scan_pdf(path: Path, images: list[Image.Image]) -> Path:
    """An image-only PDF: each image fills one A4 page (nothing but a picture: no text layer)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for image in images:
        c.drawImage(_png(image), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


def write_mixed_pdf(
    path: Path, pages: list[list[str] | Image.Image | tuple[list[str], Image.Image]], font_size: float = 12
) -> Path:
    """Pages in order: a list of lines is a text-layer page (drawn as builders.write_pdf draws them,
    a leading "  " indents by two characters), an image a scanned page, and (lines, image) both:
    text drawn over a full-page picture (a letterhead, or a scan with a page number added)."""
    width, height = A4
    left = 25 * mm
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in pages:
        lines, image = (page, None) if isinstance(page, list) else (None, page) if isinstance(page, Image.Image) else page
        if image is not None:
            c.drawImage(_png(image), 0, 0, width=width, height=height)
        if lines:
            c.setFont(FONT, font_size)
            y = height - 30 * mm
            for line in lines:
                indent = len(line) - len(line.lstrip(" "))
                c.drawString(left + indent / 2 * font_size, y, line.lstrip(" "))
                y -= font_size * 1.8
        c.showPage()
    c.save()
    return path
