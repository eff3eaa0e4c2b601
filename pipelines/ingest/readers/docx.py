"""Word reports: body paragraphs and table cells in true document order.

Body paragraphs and tables are read in the order they are written, so a table between two
paragraphs stays between them. Headers and footers live in other parts of the package and
are never read. The archive is checked before parsing: a docx is a zip, and a small zip can
expand to gigabytes.

Two routes produce the same blocks. The fast route (``read_docx_fast``) opens the package
with python-docx's own package reader, parses the XML parts with the parser settings
python-docx uses, and walks ``word/document.xml`` and ``word/styles.xml`` as plain lxml
trees, following python-docx's rules for paragraph text, styles and table cells (see the
functions below) without building its proxy objects. Whenever it cannot be sure python-docx
would read the file the same way (a part that does not parse, no styles part, an unusual
attribute python-docx would choke on, a vertical merge it cannot follow...), it gives up
with ``FastPathUnsupported`` and the python-docx route (``read_docx_python_docx``) reads the
file, so errors and unusual files are handled exactly as before.

Some generators write HTML entities (``&nbsp;``) into document.xml, which is not well-formed
XML; such parts are repaired (see ``_repair_entities``) rather than losing the document.
"""

from __future__ import annotations

import copy
import html.entities
import io
import re
import sys
import threading
import zipfile
from zlib import error as zlib_error

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import PartFactory, XmlPart
from docx.opc.pkgreader import PackageReader
from docx.parts.document import DocumentPart
from docx.parts.styles import StylesPart
from docx.styles import BabelFish
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
    try:
        return read_docx_fast(data)
    except FastPathUnsupported:
        return read_docx_python_docx(data)


def read_docx_python_docx(data: bytes) -> ReadResult:
    """Blocks of a docx read through python-docx's object model: the reference route, and the
    fallback for every file the fast route declines. ``data`` has passed ``_check_archive``."""
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


# ---------------------------------------------------------------- the fast route

# python-docx's XmlPart parser settings (docx.oxml.parser), minus its custom element classes.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _DOCUMENT, _P, _TBL, _TR, _TC = (_W + t for t in ("body", "document", "p", "tbl", "tr", "tc"))
_R, _HYPERLINK, _T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN, _PTAB = (
    _W + t for t in ("r", "hyperlink", "t", "tab", "br", "cr", "noBreakHyphen", "ptab")
)
_PPR, _PSTYLE, _TCPR, _TRPR, _GRID_SPAN, _GRID_BEFORE, _VMERGE = (
    _W + t for t in ("pPr", "pStyle", "tcPr", "trPr", "gridSpan", "gridBefore", "vMerge")
)
_STYLES, _STYLE, _NAME = _W + "styles", _W + "style", _W + "name"
_VAL, _TYPE, _STYLE_ID, _DEFAULT = _W + "val", _W + "type", _W + "styleId", _W + "default"
_RUN_CHARS = {_TAB: "\t", _PTAB: "\t", _CR: "\n", _NO_BREAK_HYPHEN: "-"}  # as str() of python-docx's elements
_STYLE_TYPES = {member.xml_value for member in WD_STYLE_TYPE}
_ON_OFF = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}  # ST_OnOff
_MAX_WALK_DEPTH = 50  # python-docx walks the relationship graph recursively; deeper chains go its way
_MAX_MERGE_CHAIN = 100  # likewise the rows of a vertical merge


class FastPathUnsupported(Exception):
    """The fast route cannot vouch that python-docx reads this file the same way: python-docx reads it."""


def read_docx_fast(data: bytes) -> ReadResult:
    """Blocks of a docx, as ``read_docx_python_docx`` gives them, without python-docx's object model.

    ``data`` has passed ``_check_archive``. Raises ``FastPathUnsupported`` for any file it cannot
    read exactly as python-docx would, an ``out_of_memory`` IngestError when parsing runs out of
    memory (python-docx, parsing the same parts, would too).
    """
    try:
        body, (style_names, default_style) = _load_package(data)
        return ReadResult(blocks=_fast_body_blocks(body, style_names, default_style))
    except FastPathUnsupported:
        raise
    except Exception as exc:
        if _is_memory_failure(exc):
            raise _out_of_memory(exc) from exc
        raise FastPathUnsupported(f"{type(exc).__name__}: {exc}") from exc


def _part_class(content_type: str, reltype: str) -> type:
    """The Part class python-docx's PartFactory builds for a part (docx/__init__.py registers them)."""
    selector = PartFactory.part_class_selector
    part_class = selector(content_type, reltype) if selector is not None else None
    return part_class or PartFactory._part_cls_for(content_type)


def _only_rel(rels: dict, reltype: str):
    """python-docx's ``part_with_reltype``: the one internal relationship of ``reltype``, else unsupported."""
    matching = [rel for rel in rels.values() if rel.reltype == reltype]
    if len(matching) != 1 or matching[0].is_external:
        raise FastPathUnsupported(f"{len(matching)} relationships of type {reltype.rsplit('/', 1)[-1]}")
    return matching[0]


def _walk_depth(rels_of: dict) -> int:
    """How deep python-docx's recursive walk of the relationship graph (``iter_rels``) goes."""
    visited: set = set()
    deepest = 0
    stack = [iter(rels_of["/"].values())]
    while stack:
        rel = next(stack[-1], None)
        if rel is None:
            stack.pop()
        elif not rel.is_external and rel.target_partname not in visited:
            visited.add(rel.target_partname)
            deepest = max(deepest, len(stack))
            stack.append(iter(rels_of.get(rel.target_partname, {}).values()))
    return deepest


def _load_package(data: bytes):
    """(w:body, ``_fast_style_names`` of the styles part), having parsed every part ``docx.Document`` parses.

    python-docx's PackageReader reads the package (content types, relationships, every part the
    relationships reach, CRCs checked); every part python-docx would build as an XmlPart is parsed
    with the same parser settings, so a file python-docx refuses (or repairs) fails here too, and
    is left to it. A styles part seen before (``_STYLE_TABLES``) is known to parse and is not parsed again.
    """
    reader = PackageReader.from_file(io.BytesIO(data))
    rels_of: dict[str, dict] = {}  # source partname -> rId -> relationship, as python-docx's Relationships
    for source, srel in reader.iter_srels():
        rels_of.setdefault(source, {})[srel.rId] = srel
    rels_of.setdefault("/", {})
    if _walk_depth(rels_of) > _MAX_WALK_DEPTH:
        raise FastPathUnsupported("deep relationship graph")
    parts = {partname: (content_type, _part_class(content_type, reltype))
             for partname, content_type, reltype, _ in reader.iter_sparts()}

    main = _only_rel(rels_of["/"], RT.OFFICE_DOCUMENT).target_partname
    if parts[main] != (CT.WML_DOCUMENT_MAIN, DocumentPart):
        raise FastPathUnsupported(f"main part {main} is {parts[main][0]}")
    styles_rel = _only_rel(rels_of.get(main, {}), RT.STYLES)  # none: python-docx uses its template's styles
    styles_name = styles_rel.target_partname
    if parts[styles_name][1] is not StylesPart:
        raise FastPathUnsupported(f"styles part {styles_name} is {parts[styles_name][0]}")

    document = style_table = None
    for partname, _, _, blob in reader.iter_sparts():
        if not issubclass(parts[partname][1], XmlPart):
            continue
        if partname == styles_name:
            style_table = _STYLE_TABLES.get(blob)
            if style_table is None:
                style_table = _fast_style_names(etree.fromstring(blob, _PARSER))
                _STYLE_TABLES.put(blob, style_table)
        elif partname == main:
            document = etree.fromstring(blob, _PARSER)
        else:
            etree.fromstring(blob, _PARSER)
    if document.tag != _DOCUMENT:
        raise FastPathUnsupported(f"root element {document.tag}")
    body = document.find(_BODY)
    if body is None:
        raise FastPathUnsupported("no w:body")
    return body, style_table


class _StyleTables:
    """A few styles parts' ``_fast_style_names``, keyed by the part's bytes.

    Reports from one office or one generator share their template, and a template's styles part
    can be most of a docx's XML (python-docx's own is 350 KB, over half of a fast read's time to
    parse): it is parsed once per distinct part, not once per file. The key is the whole part, so a
    hit is the same bytes, which parse, and give the same table.
    """

    def __init__(self, entries: int = 4, max_part_bytes: int = 1024 * 1024):
        self._tables: dict[bytes, tuple[dict[str, str], str]] = {}
        self._entries, self._max_part_bytes = entries, max_part_bytes
        self._lock = threading.Lock()

    def get(self, blob: bytes) -> tuple[dict[str, str], str] | None:
        return self._tables.get(blob) if len(blob) <= self._max_part_bytes else None

    def put(self, blob: bytes, table: tuple[dict[str, str], str]) -> None:
        if len(blob) > self._max_part_bytes or self._entries < 1:
            return
        with self._lock:
            while len(self._tables) >= self._entries:
                del self._tables[next(iter(self._tables))]
            self._tables[blob] = table

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()


_STYLE_TABLES = _StyleTables()


def _required(element, attribute: str) -> str:
    """A RequiredAttribute's value; python-docx raises InvalidXmlError when it is missing."""
    value = element.get(attribute)
    if value is None:
        raise FastPathUnsupported(f"{element.tag} without {attribute}")
    return value


def _fast_style_names(styles) -> tuple[dict[str, str], str]:
    """``_style_names`` on the styles part's root: paragraph style id -> UI name, the default's name.

    Every w:style child must have a type python-docx knows (its StyleFactory fails otherwise).
    """
    if styles.tag != _STYLES:
        raise FastPathUnsupported(f"styles root element {styles.tag}")
    names: dict = {}
    default_name = None
    for style in styles.iterchildren(_STYLE):
        if style.get(_TYPE) not in _STYLE_TYPES:
            raise FastPathUnsupported(f"style of type {style.get(_TYPE)!r}")
        if style.get(_TYPE) != "paragraph":
            continue
        name = style.find(_NAME)
        name = BabelFish.internal2ui(_required(name, _VAL)) if name is not None else None
        names[style.get(_STYLE_ID)] = name or ""
        is_default = style.get(_DEFAULT)
        if is_default is not None:
            if is_default not in _ON_OFF:
                raise FastPathUnsupported(f"w:default={is_default!r}")
            if _ON_OFF[is_default]:
                default_name = name  # the last default in document order, as python-docx takes it
    return names, default_name or ""


def _paragraph_text(p) -> str:
    """python-docx's ``CT_P.text``: the runs and hyperlinks' runs that are children of the w:p; a
    run's w:t text, w:tab and w:ptab as a tab, w:cr and a text-wrapping w:br as a newline (page
    and column breaks as nothing), w:noBreakHyphen as "-". Runs nested in anything else (w:ins,
    w:smartTag, w:fldSimple, content controls) are not part of it."""
    out: list[str] = []
    for item in p.iterchildren(_R, _HYPERLINK):
        for run in (item,) if item.tag == _R else item.iterchildren(_R):
            for e in run.iterchildren(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN, _PTAB):
                tag = e.tag
                if tag == _T:
                    out.append(e.text or "")
                elif tag == _BR:
                    if e.get(_TYPE, "textWrapping") == "textWrapping":
                        out.append("\n")
                else:
                    out.append(_RUN_CHARS[tag])
    return "".join(out)


def _paragraph_style_id(p) -> str | None:
    """``CT_P.style``: ./w:pPr/w:pStyle/@w:val (first of each), None without one."""
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return _required(style, _VAL) if style is not None else None


def _fast_body_blocks(body, style_names: dict[str, str], default_style: str) -> list[RawBlock]:
    """The loop of ``read_docx_python_docx`` over the w:p and w:tbl children of w:body (only those:
    ``iter_inner_content`` does not look into content controls or revision marks)."""
    blocks: list[RawBlock] = []
    paragraph_no = table_no = 0
    for item in body.iterchildren(_P, _TBL):
        if item.tag == _P:
            paragraph_no += 1
            text = _paragraph_text(item)
            if text.strip():
                style_id = _paragraph_style_id(item)
                kind, level = _style_heading_level(style_names.get(style_id, default_style) if style_id else default_style)
                blocks.append(RawBlock(text=text, location=Location(paragraph=paragraph_no), kind=kind, heading_level=level))
        else:
            table_no += 1
            blocks.extend(_fast_table_blocks(item, table_no))
    return blocks


def _decimal(element, child: str, default: int) -> int:
    """./child/@w:val as python-docx's ST_DecimalNumber reads it (``int()``), ``default`` without the child."""
    found = element.find(child) if element is not None else None
    return int(_required(found, _VAL)) if found is not None else default


def _grid_span(tc) -> int:
    return _decimal(tc.find(_TCPR), _GRID_SPAN, 1)


def _vmerge(tc) -> str | None:
    """``CT_Tc.vMerge``: ./w:tcPr/w:vMerge/@w:val, "continue" when the attribute is left out."""
    tcpr = tc.find(_TCPR)
    vmerge = tcpr.find(_VMERGE) if tcpr is not None else None
    return vmerge.get(_VAL, "continue") if vmerge is not None else None


def _cell_origin(tc, rows: list, row_index: int):
    """The w:tc that ``_Row.cells`` reports for ``tc``: itself, or for a vertical merge's
    continuation the cell above at the same grid offset, followed up to the merge's first row
    (``CT_Tc._tc_above``). python-docx raises where that cell does not exist: unsupported here."""
    for _ in range(_MAX_MERGE_CHAIN):
        if _vmerge(tc) != "continue":
            return tc
        if row_index == 0:
            raise FastPathUnsupported("vertical merge continued in a table's first row")
        offset = _decimal(rows[row_index].find(_TRPR), _GRID_BEFORE, 0)
        for sibling in tc.itersiblings(_TC, preceding=True):
            offset += _grid_span(sibling)
        row_index -= 1
        above = rows[row_index]
        remaining = offset - _decimal(above.find(_TRPR), _GRID_BEFORE, 0)
        for candidate in above.iterchildren(_TC):
            if remaining <= 0:
                break
            remaining -= _grid_span(candidate)
        else:
            candidate = None
        if candidate is None or remaining != 0:
            raise FastPathUnsupported(f"no cell above at grid offset {offset}")
        tc = candidate
    raise FastPathUnsupported("long vertical merge")


def _fast_table_blocks(tbl, table_no: int) -> list[RawBlock]:
    """``_table_blocks`` on a w:tbl: rows are its w:tr children, a row's cells its w:tc children,
    each repeated for the grid columns it spans (``_Row.cells``); a cell is reported once."""
    blocks: list[RawBlock] = []
    seen: set = set()  # the cells' elements; holding them keeps identity stable
    rows = list(tbl.iterchildren(_TR))
    for row_index, tr in enumerate(rows):
        col_no = 0
        for tc in tr.iterchildren(_TC):
            origin = _cell_origin(tc, rows, row_index)
            for _ in range(_grid_span(origin)):
                col_no += 1
                if origin in seen:
                    continue
                seen.add(origin)
                text = "\n".join(_paragraph_text(p) for p in origin.iterchildren(_P))  # _Cell.text
                if text.strip():
                    blocks.append(
                        RawBlock(text=text, location=Location(table=table_no, row=row_index + 1, col=col_no), kind="table_cell")
                    )
    return blocks
