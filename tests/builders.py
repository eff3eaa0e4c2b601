"""Writers for real test files: docx via python-docx, PDF via reportlab, txt in any encoding.

Every reader test builds its input with these, so tests exercise the same libraries and
file structures real reports have (and can build broken variants of them).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # reportlab's built-in CJK font: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def write_txt(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n", bom: bool = False) -> Path:
    data = newline.join(lines).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


@dataclass
class DocxTable:
    rows: list[list[str]]
    merge_first_row: bool = False  # merge the first row's cells into one


def write_docx(
    path: Path,
    items: list[str | tuple[str, str] | DocxTable],
    header: str | None = None,
    footer: str | None = None,
) -> Path:
    """``items``: plain paragraphs, (style, text) pairs such as ("Heading 1", "一、…"), or tables."""
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    for item in items:
        if isinstance(item, DocxTable):
            table = document.add_table(rows=len(item.rows), cols=len(item.rows[0]))
            for r, row in enumerate(item.rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            if item.merge_first_row:
                merged = table.cell(0, 0).merge(table.cell(0, len(item.rows[0]) - 1))
                merged.text = item.rows[0][0]
        elif isinstance(item, tuple):
            document.add_paragraph(item[1], style=item[0])
        else:
            document.add_paragraph(item)
    document.save(str(path))
    return path


@dataclass
class PdfPage:
    """Lines to draw at the left margin (a leading "  " indents by two characters) and optional table rows."""

    lines: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None


def write_pdf(
    path: Path,
    pages: list[PdfPage],
    running_header: str | None = None,
    page_numbers: bool = False,
    encrypt_password: str | None = None,
    font_size: float = 12,
) -> Path:
    width, height = A4
    left = 25 * mm
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt_password)
    for number, page in enumerate(pages, start=1):
        c.setFont(FONT, font_size)
        if running_header:
            c.drawString(left, height - 15 * mm, running_header)
        y = height - 30 * mm
        for line in page.lines:
            indent = len(line) - len(line.lstrip(" "))
            c.drawString(left + indent / 2 * font_size, y, line.lstrip(" "))
            y -= font_size * 1.8
        if page.table:
            col_width = 45 * mm
            row_height = font_size * 2
            y -= row_height
            for r, row in enumerate(page.table):
                for col, value in enumerate(row):
                    x = left + col * col_width
                    c.rect(x, y - r * row_height, col_width, row_height)
                    c.drawString(x + 2 * mm, y - r * row_height + font_size * 0.6, value)
        if page_numbers:
            c.drawCentredString(width / 2, 12 * mm, f"- {number} -")
        c.showPage()
    c.save()
    return path


def write_scanned_pdf(path: Path, pages: int = 2) -> Path:
    """A PDF whose pages carry only drawings (as a scan carries only an image): no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(pages):
        for i in range(40):
            c.rect(20 * mm, (20 + i * 6) * mm, 150 * mm, 3 * mm, fill=1)
        c.showPage()
    c.save()
    return path


def write_zip_bomb_docx(path: Path, expanded_bytes: int) -> Path:
    """A valid-looking docx whose parts expand to ``expanded_bytes`` (highly compressible padding)."""
    source = io.BytesIO()
    docx.Document().save(source)
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info, original.read(info))
        out.writestr("word/media/padding.bin", b"\0" * expanded_bytes)
    return path


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def sample_without_tool_made(dest: Path | None = None) -> Path | list[Path]:
    """The sample corpus without the files made by outside tools (the OCR'd scan, the LibreOffice .doc,
    listed in data/raw/.tool-made.json): tests of build mechanics need many builds, and those two cost
    most of a build's time. With ``dest``, a copy of that corpus there; else its report files' paths."""
    import json
    import shutil

    slow = set(json.loads((SAMPLE / ".tool-made.json").read_text("utf-8"))["files"])
    if dest is None:
        from pipelines.ingest.corpus import scan_raw

        return [p for p in scan_raw(SAMPLE) if p.relative_to(SAMPLE).as_posix() not in slow]
    shutil.copytree(SAMPLE, dest, ignore=lambda folder, names: [
        n for n in names if (Path(folder) / n).relative_to(SAMPLE).as_posix() in slow])
    return dest


def build_corpus(root: Path, corpus: dict[str, list[str]]) -> Path:
    """Write ``corpus`` (path under raw/ -> its lines) as txt reports under ``root``/raw, build it into
    ``root``/warehouse.duckdb and return the warehouse."""
    from pipelines.build import build

    for name, lines in corpus.items():
        (root / "raw" / name).parent.mkdir(parents=True, exist_ok=True)
        write_txt(root / "raw" / name, lines)
    summary = build(root / "raw", root / "warehouse.duckdb")
    assert summary.success, summary.failure
    return root / "warehouse.duckdb"
