"""Word reports: body paragraphs and table cells in true document order.

python-docx's ``iter_inner_content`` walks the body as written, so a table between two
paragraphs stays between them. Headers and footers live in other parts of the package and
are never read. The archive is checked before parsing: a docx is a zip, and a small zip can
expand to gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table
from docx.text.paragraph import Paragraph

from ..errors import IngestError
from ..model import Location, RawBlock, ReadResult

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office writes password-protected OOXML as an OLE container holding an "EncryptionInfo" stream.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _style_names(document) -> tuple[dict[str, str], str]:
    """Paragraph style id -> name, and the default paragraph style's name.

    python-docx resolves ``paragraph.style`` by scanning every style in the package, for
    every paragraph; one table per document makes docx reading several times faster.
    """
    names = {style.style_id: style.name or "" for style in document.styles if style.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return names, (default.name or "") if default is not None else ""


def _style_heading_level(style_name: str) -> tuple[str, int | None]:
    """(kind, level) from a paragraph's Word style name: Title, Heading N, or plain."""
    if style_name.lower() in {"title", "标题"}:
        return "title", None
    match = _HEADING_STYLE.match(style_name.strip())
    return "paragraph", int(match.group(1)) if match else None


def _check_archive(data: bytes, max_uncompressed_bytes: int) -> None:
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise IngestError("encrypted", "password-protected Word document")
        raise IngestError("unsupported_format", "legacy binary Word (.doc) content in a .docx file; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise IngestError("corrupt_file", f"not a readable docx (zip) archive: {exc}") from exc
    if "word/document.xml" not in names:
        raise IngestError("corrupt_file", "docx archive has no word/document.xml")
    if expanded > max_uncompressed_bytes:
        raise IngestError(
            "expands_too_large",
            f"archive expands to {expanded:,} bytes, over the {max_uncompressed_bytes:,}-byte limit",
        )


def _table_blocks(table: Table, table_no: int) -> list[RawBlock]:
    """One block per distinct cell; a merged cell is reported once, at its top-left."""
    blocks: list[RawBlock] = []
    seen: set = set()  # the cells' XML elements; holding them keeps identity stable
    for row_no, row in enumerate(table.rows, start=1):
        for col_no, cell in enumerate(row.cells, start=1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            if cell.text.strip():
                blocks.append(
                    RawBlock(
                        text=cell.text,
                        location=Location(table=table_no, row=row_no, col=col_no),
                        kind="table_cell",
                    )
                )
    return blocks


def read_docx(data: bytes, max_uncompressed_bytes: int) -> ReadResult:
    _check_archive(data, max_uncompressed_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for damaged XML
        raise IngestError("corrupt_file", f"damaged docx content: {type(exc).__name__}: {exc}") from exc
    style_names, default_style = _style_names(document)
    blocks: list[RawBlock] = []
    paragraph_no = table_no = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph_no += 1
            if item.text.strip():
                style_id = item._p.style  # the paragraph's w:pStyle, None for the default style
                kind, level = _style_heading_level(style_names.get(style_id, default_style) if style_id else default_style)
                blocks.append(
                    RawBlock(text=item.text, location=Location(paragraph=paragraph_no), kind=kind, heading_level=level)
                )
        elif isinstance(item, Table):
            table_no += 1
            blocks.extend(_table_blocks(item, table_no))
    return ReadResult(blocks=blocks)
