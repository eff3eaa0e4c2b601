"""Word reports: body paragraphs and table cells in true document order.

python-docx's ``iter_inner_content`` walks the body as written, so a table between two
paragraphs stays between them. Headers and footers live in other parts of the package and
are never read. The archive is checked before parsing: a docx is a zip, and a small zip can
expand to gigabytes.

Some generators write HTML entities (``&nbsp;``) into document.xml, which is not well-formed
XML; such parts are repaired (see ``_repair_entities``) rather than losing the document.
"""

from __future__ import annotations

import copy
import html.entities
import io
import re
import sys
import zipfile
from zlib import error as zlib_error

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from ..errors import IngestError
from ..model import Location, RawBlock, ReadResult

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office writes password-protected OOXML as an OLE container holding an "EncryptionInfo" stream.
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_INFLATE_CHUNK = 256 * 1024
# Deflate's best case is one 258-byte match per two bits: no member inflates past 1032 x its compressed size.
_DEFLATE_MAX_RATIO = 1032
# A named entity reference; the five XML predefines are left alone, character references never match.
_ENTITY_REF = re.compile(rb"&([A-Za-z_][A-Za-z0-9_.-]*);")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


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


def _too_large(expanded: int, limit: int, how: str) -> IngestError:
    return IngestError("expands_too_large", f"archive {how} {expanded:,} bytes, over the {limit:,}-byte limit")


def _inflate_all(archive: zipfile.ZipFile, limit: int) -> None:
    """Inflate every member in chunks, counting the bytes really produced; stop once past ``limit``.

    The sizes a zip declares are only claims. zipfile stops a member at its declared size, so a
    lie never reaches python-docx as more data, but only inflating shows what a member holds: a
    copy of its ZipInfo with an unbounded size lets the stream run to its true end (the CRC is
    still checked there), and the running total across members stops it early, holding one chunk.
    When even the most a member's compressed bytes could inflate to fits the limit, as for a
    typical report, nothing is inflated here: zipfile never reads more than those bytes.
    """
    bounds = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: _DEFLATE_MAX_RATIO}
    if all(info.compress_type in bounds for info in archive.infolist()) and limit >= sum(
        info.compress_size * bounds[info.compress_type] + 1024 for info in archive.infolist()
    ):
        return
    total = 0
    for info in archive.infolist():
        unbounded = copy.copy(info)
        unbounded.file_size = sys.maxsize
        with archive.open(unbounded) as member:
            while chunk := member.read(_INFLATE_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise _too_large(total, limit, "inflates to more than")


def _check_archive(data: bytes, max_uncompressed_bytes: int) -> None:
    """Refuse non-zips, encrypted files and zip bombs before python-docx builds anything.

    The declared sizes are summed first (free: a honest bomb is refused without inflating a
    byte), then the members are inflated for real, because the declarations can lie.
    """
    if data.startswith(_OLE_MAGIC):
        if ENCRYPTION_INFO in data:
            raise IngestError("encrypted", "password-protected Word document")
        raise IngestError("unsupported_format", "legacy binary Word (.doc) content in a .docx file; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in names:
                raise IngestError("corrupt_file", "docx archive has no word/document.xml")
            if expanded > max_uncompressed_bytes:
                raise _too_large(expanded, max_uncompressed_bytes, "declares")
            _inflate_all(archive, max_uncompressed_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib_error, NotImplementedError) as exc:
        raise IngestError("corrupt_file", f"not a readable docx (zip) archive: {type(exc).__name__}: {exc}") from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        if "encrypted" in str(exc):
            raise IngestError("encrypted", "password-protected zip member in a docx") from exc
        raise


def _repair_entities(data: bytes) -> bytes | None:
    """The package with undeclared entity references in its XML parts made well-formed, or None.

    lxml refuses the whole part at ``&nbsp;``. HTML's named entities are written as character
    references for the character they name; any other name (``&foo;``) names nothing, so it is
    kept as the literal text ``&foo;``: no text is dropped. Parts with a DOCTYPE are left alone
    (entities they declare are not ours to guess at, and python-docx's parser never expands
    entities, which is what keeps XXE and billion-laughs out). The repaired package is stored
    uncompressed; its members were already inflated under the size limit.
    """
    def replace(match: re.Match) -> bytes:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group(0)
        text = html.entities.html5.get(name.decode("ascii") + ";")
        if text is None:
            return b"&amp;" + name + b";"
        return "".join(f"&#x{ord(ch):X};" for ch in text).encode("ascii")

    repaired = False
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in archive.infolist():
            blob = archive.read(info)
            if info.filename.endswith((".xml", ".rels")) and b"<!DOCTYPE" not in blob:
                fixed = _ENTITY_REF.sub(replace, blob)
                repaired |= fixed != blob
                blob = fixed
            target.writestr(info.filename, blob)
    return out.getvalue() if repaired else None


def _out_of_memory(exc: BaseException) -> IngestError:
    return IngestError("out_of_memory", f"ran out of memory while parsing the docx ({type(exc).__name__}: {exc})")


def _is_memory_failure(exc: BaseException) -> bool:
    """libxml2 reports a failed allocation as a syntax error (ERR_NO_MEMORY), not as MemoryError."""
    return isinstance(exc, MemoryError) or (
        isinstance(exc, etree.XMLSyntaxError) and exc.code == etree.ErrorTypes.ERR_NO_MEMORY
    )


def _open_document(data: bytes):
    """python-docx's Document, retried once with entity references repaired if that is what failed."""
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for damaged XML
        if _is_memory_failure(exc):
            raise _out_of_memory(exc) from exc
        undeclared = isinstance(exc, etree.XMLSyntaxError) and exc.code == etree.ErrorTypes.ERR_UNDECLARED_ENTITY
        repaired = _repair_entities(data) if undeclared else None
        if repaired is None:
            raise IngestError("corrupt_file", f"damaged docx content: {type(exc).__name__}: {exc}") from exc
    try:
        return docx.Document(io.BytesIO(repaired))
    except Exception as exc:
        if _is_memory_failure(exc):
            raise _out_of_memory(exc) from exc
        raise IngestError(
            "corrupt_file", f"damaged docx content even with entity references repaired: {type(exc).__name__}: {exc}"
        ) from exc


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
    """Blocks of a docx. A MemoryError (a worker's memory ceiling, see worker_limits) is an
    ``out_of_memory`` IngestError, so one huge file is recorded instead of ending the run."""
    try:
        return _read_docx(data, max_uncompressed_bytes)
    except MemoryError as exc:
        raise _out_of_memory(exc) from exc


def _read_docx(data: bytes, max_uncompressed_bytes: int) -> ReadResult:
    _check_archive(data, max_uncompressed_bytes)
    document = _open_document(data)
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
