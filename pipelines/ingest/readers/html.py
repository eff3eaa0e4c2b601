"""Saved web pages (.html, .htm, .shtml) and single-file saves (.mht, .mhtml).

Many county reports exist only as a page on the county's site, saved by an analyst. Around the
report, such a page carries the site: a menu, a breadcrumb, a sidebar of 相关文章 that names
OTHER counties' reports, a footer with the ICP number and a visit counter. None of that may
reach the blocks: one sidebar title (苍南县2023年法治政府建设年度报告) is enough to make the
metadata think the page is about another county.

So the page is read in four steps:

1. **Decode.** The charset the page declares (BOM, then ``<meta charset>`` or ``http-equiv``;
   GB2312 and GBK read as their superset GB18030), strictly; a declaration that does not decode
   the bytes is a lie and detection takes over (``txt.decode_text``: UTF-8, then GB18030/Big5).
2. **Find the article.** trafilatura (a maintained main-content extractor, see
   docs/html_reader.md) says which text is the article. Its output drops lines it is unsure of,
   flattens merged table cells and has no locations, so it is used only to *locate* the article:
   its lines are looked up among the page's own lines, and the article is the deepest element of
   the original DOM that holds nearly all of them.
3. **Walk the article** in the original DOM: one paragraph block per block element or
   ``<br>``-separated line, table cells with their grid position (merged cells once, at their
   top-left, as readers/docx.py does), ``<h2>``…``<h6>`` as headings. Lines that are site
   furniture (打印本页, 责任编辑, 上一篇, the 发布时间 line…) are dropped by the patterns in
   ``web_boilerplate.toml``, and so are link lines (menus, related-article lists).
4. **Judge.** A page with (almost) no article text is not a report: it is an error page saved
   by mistake, a page that only links to the report as an attachment, a scan shown as images,
   a column's list of links, or just the site's chrome. Each says so in the IngestError's
   reason, so the analyst knows what to fetch instead.

Nothing is fetched: lxml's HTML parser never loads external DTDs or entities and runs with
``no_network``; trafilatura gets an already parsed tree (never a URL); scripts, styles,
``<noscript>``, frames and form controls never become text. The extractor sees a thumbnail of a
huge page (every element's first children, a bounded number of elements) because its cost
grows faster than the page; everything else is one pass over the tree.
"""

from __future__ import annotations

import codecs
import copy
import email
import email.policy
import logging
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..errors import IngestError
from ..model import Location, RawBlock, ReadResult
from ..sections import MAX_TITLE_CHARS as MAX_HEADING_CHARS
from ..sections import heading_level as numbered_heading_level
from .txt import decode_text

# Error kinds (errors.py): pages that parse but hold no report, and what is not a page at all.
NO_ARTICLE_KIND = "no_article"  # navigation only, a column's link list, images only
ERROR_PAGE_KIND = NO_ARTICLE_KIND  # a 404 / 页面不存在 page saved by mistake
ATTACHMENT_ONLY_KIND = "attachment_only"  # the page only links to the report (a .pdf, .docx…)
NOT_A_PAGE_KIND = "corrupt_file"  # binary content, or another format (a PDF) named .html

MIN_ARTICLE_CHARS = 40  # visible characters besides the title: below this, a page holds no report
REGION_SHARE = 0.9  # the article is the deepest element holding this share of the extractor's text
KEY_CHARS = 40  # lines are matched to the extractor's output on their first characters
TITLE_LOOKBACK = 40  # how many lines above the article the page's headline may stand
DATE_LOOKAROUND = (40, 15)  # lines above / below the article searched for a 发布时间 line
THUMB_CHILDREN = 200  # the extractor sees at most this many children of any element...
THUMB_ELEMENTS = 20_000  # ... and at most this many elements in all
MAX_SPAN = 100  # a colspan/rowspan is capped here (HTML allows 1000): positions past it are noise
LAYOUT_CELL_BLOCKS = 3  # a table cell with more paragraphs than this is page layout...
LAYOUT_CELL_CHARS = 600  # ... and so is one with more text than this
SNIFF_BYTES = 16 * 1024  # where the charset declaration and binary content are looked for

_SKIP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "svg", "math", "canvas", "select", "option", "optgroup", "button", "input", "textarea",
    "map", "audio", "video", "source", "track", "datalist",
})
_BLOCK = frozenset({
    "html", "body", "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_TEXT_BLOCKS = frozenset({"p", "div", "ul", "ol", "li", "blockquote", "pre", "section", "article", *_HEADINGS})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}
_DATE_OR_MARKS = re.compile(r"[\s\d\-/.:年月日()（）\[\]【】|｜·•>»]*")
_CJK_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*>", re.IGNORECASE)
_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|meta|title|div|p|table|br|span)\b", re.IGNORECASE)
_MIME_HEAD = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?content-type:\s*multipart/", re.IGNORECASE)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜丨\-－—–]+)\s*")  # 标题_站点名, 标题 - 站点名, 标题——站点名
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Other formats saved under a web page's name; the reason tells the analyst what it really is.
_MAGIC = (
    (b"%PDF-", "a PDF file: rename it to .pdf"),
    (b"PK\x03\x04", "a zip archive (a .docx?): rename it to its real extension"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc?): rename it to its real extension"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data (a page saved with its Content-Encoding): gunzip it first"),
)

_LOG = logging.getLogger("trafilatura")
if _LOG.level == logging.NOTSET:  # "discarding data: None" on every page without an article
    _LOG.setLevel(logging.ERROR)


# --- the data file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class WebPatterns:
    furniture: re.Pattern[str]
    furniture_max_chars: int
    max_link_share: float
    meta_names: tuple[str, ...]
    published: re.Pattern[str]
    published_label: re.Pattern[str]
    error_title: re.Pattern[str]
    error_body: re.Pattern[str]
    error_body_max_chars: int
    attachment_extensions: frozenset[str]


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One regex for a list: a line is searched once, whatever the list's length. Patterns
    anchored at the start share one ``^`` so that they are tried at the start only."""
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    floating = [p for p in patterns if not p.startswith("^")]
    parts = ([f"^(?:{'|'.join(f'(?:{p})' for p in anchored)})"] if anchored else []) + [f"(?:{p})" for p in floating]
    return re.compile("|".join(parts))


@lru_cache(maxsize=1)
def web_patterns() -> WebPatterns:
    data = tomllib.loads(files(__package__).joinpath("web_boilerplate.toml").read_text("utf-8"))
    lines, published, error, attachments = data["lines"], data["published"], data["error_page"], data["attachments"]
    labels = "|".join(sorted(map(re.escape, published["labels"]), key=len, reverse=True))
    return WebPatterns(
        furniture=_any_of(lines["patterns"]),
        furniture_max_chars=int(lines["max_chars"]),
        max_link_share=float(lines["max_link_share"]),
        meta_names=tuple(name.lower() for name in published["meta_names"]),
        published=re.compile(rf"(?:{labels})\s*[:：]?\s*[\[(【]?\s*((?:19|20)\d{{2}}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}})"),
        published_label=re.compile(labels),
        error_title=_any_of(error["title"]),
        error_body=_any_of(error["body"]),
        error_body_max_chars=int(error["body_max_chars"]),
        attachment_extensions=frozenset(ext.lower() for ext in attachments["extensions"]),
    )


def _fold(text: str) -> str:
    """The form patterns are matched in: full-width forms as ASCII (what NFKC does to them, at a
    fraction of its cost: this runs on every line of a page), whitespace runs as one space."""
    return " ".join(text.translate(_WIDTH).split())


def _key(text: str) -> str:
    """What the extractor's rendering of a line shares with the page's: its first KEY_CHARS
    characters without whitespace (the extractor trims and folds whitespace, nothing else)."""
    return "".join(text[: 4 * KEY_CHARS].split())[:KEY_CHARS]


def _visible(text: str) -> int:
    return len(_WHITESPACE.sub("", text))


# --- step 1: bytes → text -------------------------------------------------------------------------

def _codec(label: str | bytes | None) -> str | None:
    """The codec to decode a declared charset with, or None when the label cannot be trusted.

    GB2312 and GBK declarations get GB18030 (pages declaring gb2312 use GBK characters freely).
    A declared UTF-16/32 in a page whose meta was readable as ASCII means UTF-8 (as browsers do);
    Latin-1 / windows-1252 / ASCII are CMS defaults that Chinese pages carry without meaning them,
    so detection decides instead.
    """
    if label is None:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in {"gb2312", "gbk", "gb18030"}:
        return "gb18030"
    if name.startswith(("utf-16", "utf-32")) or name == "utf-8-sig":
        return "utf-8"
    if name in {"latin-1", "iso8859-1", "cp1252", "ascii"}:
        return None
    return name


def declared_charset(data: bytes) -> str | None:
    """The charset the page's own markup declares (XML declaration, then the first <meta>), as a codec."""
    head = data[:SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(match.group(1)) if match else None


def _not_a_page(data: bytes) -> str | None:
    """Why ``data`` is not a web page at all (another format, binary content), or None."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"not a web page: the content is {what}"
    if data.startswith(_BOMS):
        return None
    if b"\x00" in data[:SNIFF_BYTES]:
        return "not a web page: binary content (NUL bytes)"
    if not _MARKUP.search(data[:SNIFF_BYTES]):
        return "not a web page: no HTML markup in its first bytes"
    return None


def decode_page(data: bytes, outer_charset: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a page's bytes.

    ``outer_charset`` is what the container says (an .mht part's charset); it is tried before the
    page's own declaration. Each declaration is tried strictly; one that does not decode the bytes
    is ignored. Bytes that are valid UTF-8 holding Chinese are UTF-8 whatever the page declares (a
    site moved to UTF-8 and kept its old meta): GBK text is never valid UTF-8 for long.
    """
    if data.startswith(_BOMS):
        return decode_text(data)
    declared = [c for c in dict.fromkeys((_codec(outer_charset), declared_charset(data))) if c]
    if any(c != "utf-8" for c in declared):
        try:
            text = data.decode("utf-8")
            if _CJK_IDEOGRAPH.search(text):
                return text, "utf-8"
        except UnicodeDecodeError:
            pass
    for codec in declared:
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    try:
        _, detected = decode_text(data)
        # detection's own text is not trusted: on noise, charset-normalizer can hand back text that
        # is not what its encoding makes of the bytes. A strict decode says whether it holds.
        return data.decode(detected), detected
    except (IngestError, UnicodeDecodeError, LookupError):
        # a real page in its declared charset with a few broken bytes (a truncated character)
        for codec in declared:
            text = data.decode(codec, errors="replace")
            if text.count("\ufffd") <= max(3, len(text) // 1000):
                return text, codec
        raise IngestError(
            "unreadable_encoding",
            "the page's bytes decode neither in the charset it declares "
            f"({', '.join(declared) or 'none declared'}) nor as UTF-8, GB18030 or Big5",
        ) from None


def _parse(text: str) -> lxml.html.HtmlElement:
    """The page's DOM. The parser never touches the network and expands no entity but HTML's own."""
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses a str with an encoding declaration
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, collect_ids=False,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except etree.ParserError as exc:  # "Document is empty"
        raise IngestError("no_text", f"the page holds no markup and no text ({exc})") from exc
    limits = [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:  # libxml2 stops reading there: what follows would be silently lost
        raise IngestError("corrupt_file", f"the page is not readable past a parser limit: {limits[0].message}")
    return root


# --- the page as lines ----------------------------------------------------------------------------

@dataclass(slots=True)
class Line:
    """A line of visible text: a block element's text up to the next block boundary or <br>."""

    text: str
    owner: lxml.html.HtmlElement  # the innermost block element holding it (a table cell's: the cell)
    link_chars: int = 0  # visible characters inside <a href>
    plain: str = ""  # the line's text outside links
    heading: int | None = None  # N when the owner is <hN>

    def is_link_line(self, share: float) -> bool:
        """Mostly link text, or links and nothing but a date (a list entry: 标题 2024-01-05)."""
        if not self.link_chars:
            return False
        return self.link_chars >= share * _visible(self.text) or bool(_DATE_OR_MARKS.fullmatch(self.plain))


@dataclass(slots=True)
class Cell:
    row: int  # 1-based grid position of the cell's top-left
    col: int
    text: str
    element: lxml.html.HtmlElement


@dataclass(slots=True)
class Table:
    """A table of figures, read once: its caption lines and its non-empty cells."""

    element: lxml.html.HtmlElement
    captions: list[str]
    cells: list[Cell]


def _hidden(el) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(style))


def _is_data_table(table) -> bool:
    """A table of figures, as opposed to one that lays out the page (or the article) in cells.

    A layout table has a single row or a single column, holds another table, or has a cell that
    holds running text (more than LAYOUT_CELL_BLOCKS paragraphs, or more than LAYOUT_CELL_CHARS
    characters); its content is read as running text.
    """
    rows = _rows(table)
    if len(rows) < 2 or max(len(_cells(r)) for r in rows) < 2:
        return False
    for row in rows:
        for cell in _cells(row):
            blocks = 0
            for el in cell.iterdescendants():
                if el.tag == "table":
                    return False
                if el.tag in _TEXT_BLOCKS:
                    blocks += 1
            if blocks > LAYOUT_CELL_BLOCKS or _visible(cell.text_content()) > LAYOUT_CELL_CHARS:
                return False
    return True


def walk(root, tables: bool = True) -> list[Line | Table]:
    """``root``'s visible text as lines in reading order, in one pass over its subtree.

    A table of figures comes back as one Table item (``tables``; otherwise, and for layout
    tables, cells are lines like any other). Nothing under a skipped element (script, style,
    form controls, frames, hidden elements) is read; the text after it is.
    """
    out: list[Line | Table] = []
    buffer: list[str] = []
    plain: list[str] = []
    owners = [root]
    links = link_chars = pre = 0
    skipped = None

    def flush() -> None:
        nonlocal link_chars
        text = "".join(buffer)
        if text.strip():
            owner = owners[-1]
            out.append(Line(text, owner, link_chars, "".join(plain), _HEADINGS.get(owner.tag)))
        buffer.clear()
        plain.clear()
        link_chars = 0

    def add(text: str | None) -> None:
        nonlocal link_chars
        if not text:
            return
        for i, piece in enumerate(text.split("\n") if pre else (text,)):
            if i:
                flush()
            buffer.append(piece)
            if links:
                link_chars += _visible(piece)
            else:
                plain.append(piece)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag in _SKIP or _hidden(el):
                skipped = el
                walker.skip_subtree()
                continue
            if tag == "table" and tables and _is_data_table(el):
                flush()
                out.append(read_table(el))
                skipped = el
                walker.skip_subtree()
                continue
            if tag == "br":
                flush()
            elif tag in _BLOCK:
                flush()
                owners.append(el)
            elif tag == "a" and el.get("href") is not None:
                links += 1
            if tag == "pre":
                pre += 1
            add(el.text)
        else:
            if el is skipped:
                skipped = None
            else:
                if tag in _BLOCK:
                    flush()
                    owners.pop()
                elif tag == "a" and el.get("href") is not None:
                    links -= 1
                if tag == "pre":
                    pre -= 1
            if el is not root:
                add(el.tail)
    flush()
    return out


def page_lines(items: list[Line | Table]) -> list[Line]:
    """Every line, a table's captions and cells included (a cell's line is owned by its cell)."""
    lines: list[Line] = []
    for item in items:
        if isinstance(item, Line):
            lines.append(item)
        else:
            lines.extend(Line(c, item.element) for c in item.captions)
            lines.extend(Line(cell.text, cell.element) for cell in item.cells)
    return lines


# --- tables ---------------------------------------------------------------------------------------

def _rows(table) -> list:
    """The table's own rows in display order: <thead> first, <tfoot> last, nested tables' rows never."""
    head, body, foot = [], [], []
    for child in table:
        if child.tag == "tr":
            body.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows = [r for r in child if r.tag == "tr"]
            (head if child.tag == "thead" else foot if child.tag == "tfoot" else body).extend(rows)
    return head + body + foot


def _cells(row) -> list:
    return [c for c in row if c.tag in ("td", "th")]


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1").strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    if len(cell) == 0:  # the common case: text only, no markup to walk
        return cell.text or ""
    return "\n".join(line.text for line in walk(cell, tables=False) if isinstance(line, Line))


def read_table(table) -> Table:
    """The table's captions and non-empty cells at their 1-based grid positions.

    Positions follow the HTML table model: a cell merged across rows or columns is reported once,
    at its top-left, and pushes the cells after it to the right (readers/docx.py does the same).
    """
    caption = table.find("caption")
    captions = [i.text for i in walk(caption, tables=False) if isinstance(i, Line)] if caption is not None else []
    cells: list[Cell] = []
    busy: dict[int, int] = {}  # column -> the last row a rowspan from above covers
    rows = _rows(table)
    for row_no, row in enumerate(rows, start=1):
        col = 1
        for cell in _cells(row):
            while busy.get(col, 0) >= row_no:
                col += 1
            rowspan = len(rows) - row_no + 1 if cell.get("rowspan", "").strip() == "0" else _span(cell, "rowspan")
            colspan = _span(cell, "colspan")
            if rowspan > 1:
                for c in range(col, col + colspan):
                    busy[c] = row_no + rowspan - 1
            if not _hidden(cell):
                text = _cell_text(cell)
                if text.strip():
                    cells.append(Cell(row_no, col, text, cell))
            col += colspan
    return Table(table, captions, cells)


# --- step 2: where the article is -----------------------------------------------------------------

def _thumbnail(root):
    """A copy of the page small enough for the extractor: its cost grows faster than the page."""
    thumb = copy.deepcopy(root)
    for el in [el for el in thumb.iter() if len(el) > THUMB_CHILDREN]:
        del el[THUMB_CHILDREN:]
    elements = list(thumb.iter())
    if len(elements) > THUMB_ELEMENTS:
        cut = set(elements[THUMB_ELEMENTS:])
        for el in elements[THUMB_ELEMENTS:]:
            parent = el.getparent()
            if parent is not None and parent not in cut:
                parent.remove(el)
    return thumb


def extractor_keys(root) -> list[str]:
    """The keys of the lines trafilatura takes for the article (favouring precision: when it is
    unsure, it leaves a line out rather than taking the sidebar in)."""
    import trafilatura  # heavy: only web pages need it

    result = trafilatura.bare_extraction(
        _thumbnail(root), favor_precision=True, include_tables=True, include_comments=False, with_metadata=False,
    )
    if result is None or result.body is None:
        return []
    keys = []
    for el in result.body.iter():
        for text in (el.text, el.tail):
            if text and text.strip():
                keys.append(_key(text))
    return keys


def article_region(root, lines: list[Line], keys: list[str]):
    """The deepest element holding REGION_SHARE of the extractor's text, found among the page's own lines.

    A text the page has twice (the headline, repeated in a related-articles box) says nothing
    about where the article is and is left out, unless nothing else matched.
    """
    by_key: dict[str, list[Line]] = {}
    for line in lines:
        by_key.setdefault(_key(line.text), []).append(line)
    wanted = set(keys)
    matched = [by_key[k][0] for k in wanted if k in by_key and len(by_key[k]) == 1]
    if not matched:
        matched = [line for k in wanted if k in by_key for line in by_key[k]]
    if not matched:
        return None
    weight: Counter = Counter()
    for line in matched:
        chars = _visible(line.text)
        el = line.owner
        while el is not None:
            weight[el] += chars
            el = el.getparent()
    total = weight[root]
    node = root
    while True:
        child = next((c for c in node if weight.get(c, 0) >= REGION_SHARE * total), None)
        if child is None:
            return node
        node = child


# --- step 3: the article as blocks ----------------------------------------------------------------

def is_furniture(text: str) -> bool:
    """A line that is the site's, not the report's: 打印本页, 责任编辑:…, 发布时间:…, 上一篇:…"""
    rules = web_patterns()
    if len(text) > 4 * rules.furniture_max_chars:  # cannot fold down to a short line
        return False
    folded = _fold(text)
    return len(folded) <= rules.furniture_max_chars and bool(rules.furniture.search(folded))


@dataclass
class Article:
    blocks: list[RawBlock]
    text_chars: int  # visible characters besides the headline
    lines: list[str]  # every line of the article, furniture included (to tell an error page)
    links: list[tuple[str, str]]  # (link text, href) of every link in the article
    images: int


def _heading_levels(items: list[Line | Table], title: str | None) -> dict[int, int]:
    """Item index → heading level for <hN> lines that read like headings: short, no sentence end,
    not numbered (一、 and (一) are levelled from their text, as in every other format), not the title.
    The shallowest such tag is level 1."""
    found = {}
    for i, item in enumerate(items):
        if isinstance(item, Line) and item.heading is not None:
            text = _fold(item.text)
            if (text != title and len(text) <= MAX_HEADING_CHARS and "。" not in text
                    and numbered_heading_level(text) is None):
                found[i] = item.heading
    top = min(found.values(), default=1)
    return {i: level - top + 1 for i, level in found.items()}


def article_blocks(region, items: list[Line | Table], candidates: set[str], headline_above: str | None) -> Article:
    """Blocks of the article (``items``, the walk of ``region``): paragraphs numbered from 1 in
    reading order, tables from 1, furniture and link lines left out.

    The first block is the article's headline: its own first line when that reads like the page's
    title (or is an <h1>), else ``headline_above`` (the headline standing above the article
    element), when there is one. The headline does not count as article text.
    """
    rules = web_patterns()
    kept = [
        (i, item) for i, item in enumerate(items)
        if isinstance(item, Table) or not (item.is_link_line(rules.max_link_share) or is_furniture(item.text))
    ]
    first = kept[0][1] if kept else None
    title = None
    blocks: list[RawBlock] = []
    paragraph = text_chars = table_no = 0

    def add_paragraph(text: str, level: int | None = None) -> None:
        nonlocal paragraph
        paragraph += 1
        blocks.append(RawBlock(text, Location(paragraph=paragraph), heading_level=level))

    if isinstance(first, Line) and (_key(first.text) in candidates or first.heading == 1):
        title = _fold(first.text)
    elif headline_above is not None:
        title = _fold(headline_above)
        add_paragraph(headline_above.strip())
    levels = _heading_levels(items, title)
    for i, item in kept:
        if isinstance(item, Table):
            table_no += 1
            captions = [c for c in item.captions if not is_furniture(c)]
            for caption in captions:
                add_paragraph(caption)
            blocks.extend(
                RawBlock(c.text, Location(table=table_no, row=c.row, col=c.col), kind="table_cell") for c in item.cells
            )
            text_chars += sum(_visible(c.text) for c in item.cells) + sum(map(_visible, captions))
        elif title is not None and paragraph <= 1 and not table_no and _fold(item.text) == title:
            if paragraph == 0:  # the headline, first in the article
                add_paragraph(item.text)
            # else: the headline again, at the top of the content
        else:
            add_paragraph(item.text, levels.get(i))
            text_chars += _visible(item.text)
    lines = [line.text for line in page_lines(items)]
    return Article(blocks, text_chars, lines, _links(region), sum(1 for _ in region.iter("img")))


def region_items(region, items: list[Line | Table]) -> list[Line | Table]:
    """The page's items that lie in ``region``; walked afresh when the region is inside a table of
    figures (an old page laid out in a table the walk took for data)."""
    inside = set(region.iter())
    found = [item for item in items if (item.owner if isinstance(item, Line) else item.element) in inside]
    return found or walk(region)


# --- titles and dates -----------------------------------------------------------------------------

def page_title(root) -> str | None:
    title = root.find(".//title")
    if title is None:
        return None
    text = _WHITESPACE.sub(" ", title.text_content()).strip()
    return text or None


def _meta(root) -> list[tuple[str, str]]:
    """(name, content) of every <meta>, by name, property or itemprop, lower-cased."""
    found = []
    for meta in root.iter("meta"):
        name = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if name and content:
            found.append((name.strip().lower(), content.strip()))
    return found


def _title_candidates(root, title: str | None) -> set[str]:
    """What the article's headline may read: the ArticleTitle meta, the <title>, its parts."""
    metas = _meta(root)
    candidates = {content for name, content in metas if name in ("articletitle", "og:title")}
    if title:
        parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
        candidates.add(title)
        candidates.update(parts[:-1] if len(parts) > 1 else parts)  # 标题_站点名: the last part is the site's
    sites = {_key(content) for name, content in metas if name == "sitename"}
    return {k for c in candidates if len(k := _key(c)) >= 4 and k not in sites}


def headline(lines: list[Line], start: int, candidates: set[str]) -> str | None:
    """The article's own headline when it stands above the article element: the nearest line
    above that reads like the page's title, else the nearest <h1> above."""
    above = lines[max(0, start - TITLE_LOOKBACK):start]
    for line in reversed(above):
        if _key(line.text) in candidates:
            return line.text.strip()
    for line in reversed(above):
        if line.heading == 1 and 0 < len(_fold(line.text)) <= 100:
            return line.text.strip()
    return None


def iso_date(text: str) -> str | None:
    """2024-01-15 from 2024-01-15 09:30 / 2024年1月15日 / 2024/01/15 / 20240115; None if not a date."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DATE.search(text) or _DATE_COMPACT.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def _date_markup(root, region):
    """A page of the <head> and the article alone, for htmldate: the sidebar's dates and the dates in
    its links' URLs (/art/2024/1/10/…) belong to other articles."""
    page = lxml.html.Element("html")
    head = root.find("head")
    if head is not None:
        page.append(copy.deepcopy(head))
    body = etree.SubElement(page, "body")
    if region is not None and region.tag not in ("html", "body"):
        body.append(copy.deepcopy(region))
    for a in page.iter("a"):  # an article's links point at other pages too
        a.attrib.pop("href", None)
    return page


def published_date(root, region, lines: list[Line], span: tuple[int, int] | None) -> str | None:
    """The publication date: a date <meta> (PubDate first), else a 发布时间 line at the top or bottom
    of the article or just around it (the nearest first), else htmldate's reading of the head's and
    the article's markup (trafilatura's own date component, without its guesses from free text)."""
    rules = web_patterns()
    metas = _meta(root)
    for wanted in rules.meta_names:
        for name, content in metas:
            if name == wanted and (found := iso_date(content)):
                return found
    if span is not None:
        start, end = span
        above, below = DATE_LOOKAROUND
        inside = lines[start:end]
        order = [*inside[:above], *reversed(lines[max(0, start - above):start]), *inside[-below:], *lines[end:end + below]]
        for line in order:
            if not rules.published_label.search(line.text):
                continue
            match = rules.published.search(unicodedata.normalize("NFKC", line.text))
            if match and (found := iso_date(match.group(1))):
                return found
    from htmldate import find_date  # comes with trafilatura

    try:
        return find_date(_date_markup(root, region), extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # a date is a nicety; htmldate must not lose the page
        return None


# --- step 4: pages that hold no report ------------------------------------------------------------

def _attachment_name(text: str, href: str, extensions: frozenset[str]) -> str | None:
    """The file an attachment link points at, named as the page names it, or None for other links."""
    parts = urlsplit(href.strip())
    if parts.scheme.lower() in ("javascript", "mailto", "tel"):
        return None
    candidates = [unquote(parts.path)] + [unquote(v) for v in re.split(r"[&=]", parts.query)]
    file_name = next(
        (c.rsplit("/", 1)[-1] for c in candidates if c.rsplit(".", 1)[-1].lower() in extensions and "." in c), None
    )
    if file_name is None:
        return None
    if text and text.rsplit(".", 1)[-1].lower() in extensions:
        return text
    if text and _CJK_IDEOGRAPH.search(text) and len(text) >= 4 and text != file_name:
        return f"{text} ({file_name})"
    return file_name


def _links(element) -> list[tuple[str, str]]:
    """(text, href) of the links under ``element``."""
    return [(_fold(a.text_content()), a.get("href", "")) for a in element.iter("a") if a.get("href")]


def why_no_article(root, page_text: list[str], article: Article | None, title: str | None) -> tuple[str, str]:
    """(kind, reason) for a page with too little article text to be a report. Attachments are
    looked for in the article, or in the whole page when the extractor found no article at all."""
    rules = web_patterns()
    lines = article.lines if article and article.lines else page_text
    links = article.links if article else _links(root)
    attachments = list(dict.fromkeys(
        name for text, href in links if (name := _attachment_name(text, href, rules.attachment_extensions))
    ))
    if attachments:
        named = "; ".join(f"“{a}”" for a in attachments[:3])
        return ATTACHMENT_ONLY_KIND, (
            f"the page holds no report text, only a link to the attachment {named}: "
            "download the attachment and add it to the folder instead of the page"
        )
    if article and article.images:
        return NO_ARTICLE_KIND, (
            f"the page's article holds {article.images} image(s) and no text: the report is probably "
            "published as scanned images; find its PDF or OCR the images"
        )
    if article and len(article.links) >= 5:
        return NO_ARTICLE_KIND, (
            f"the page is a list of {len(article.links)} links (a column or index page), not an article: "
            "save the report's own page"
        )
    shown = "; ".join(_fold(line) for line in lines[:3] if line.strip())[:80]
    return NO_ARTICLE_KIND, (
        "no article text on the page, only the site's navigation"
        + (f" (title “{title}”)" if title else "")
        + (f"; what there is: {shown}" if shown else "")
    )


def error_page(title: str | None, lines: list[str], text_chars: int) -> str | None:
    """The words that mark the page as an error page saved by mistake, or None."""
    rules = web_patterns()
    if title:
        match = rules.error_title.search(_fold(title))
        if match:
            return title
    if text_chars <= rules.error_body_max_chars:
        for line in lines:
            folded = _fold(line)
            if len(folded) <= rules.error_body_max_chars and rules.error_body.search(folded):
                return line.strip()
    return None


# --- the readers ----------------------------------------------------------------------------------

def read_html(data: bytes) -> ReadResult:
    """Blocks of a saved web page: the article only, with its title, publication date and encoding."""
    if _MIME_HEAD.match(data[:SNIFF_BYTES]):  # an .mht saved under .html
        return read_mht(data)
    try:
        return _read_page(data)
    except MemoryError as exc:
        raise IngestError("out_of_memory", f"ran out of memory while parsing the page ({exc})") from exc


def _read_page(data: bytes, outer_charset: str | None = None) -> ReadResult:
    if not data.strip():
        raise IngestError("no_text", "the page is empty")
    problem = _not_a_page(data)
    if problem:
        raise IngestError(NOT_A_PAGE_KIND, problem)
    text, encoding = decode_page(data, outer_charset)
    controls = sum(1 for ch in text[:SNIFF_BYTES] if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f"))
    if controls > max(8, len(text[:SNIFF_BYTES]) // 100):
        raise IngestError(NOT_A_PAGE_KIND, f"not a web page: binary content ({controls} control characters at the start)")
    root = _parse(text)
    title = page_title(root)
    items = walk(root)
    lines = page_lines(items)
    if not lines:
        raise IngestError("no_text", "the page shows no text (only markup and scripts)"
                          + (f"; its title is “{title}”" if title else ""))
    region = article_region(root, lines, extractor_keys(root))
    article = span = None
    if region is not None:
        inside = set(region.iter())
        indices = [i for i, line in enumerate(lines) if line.owner in inside]
        span = (indices[0], indices[-1] + 1) if indices else None
        candidates = _title_candidates(root, title)
        above = headline(lines, span[0], candidates) if span else None
        article = article_blocks(region, region_items(region, items), candidates, above)
    text_chars = article.text_chars if article else 0
    error = error_page(title, article.lines if article else [line.text for line in lines], text_chars)
    if error:
        raise IngestError(ERROR_PAGE_KIND, f"an error page (“{error}”) was saved instead of the report: save the report's page again")
    if article is None or text_chars < MIN_ARTICLE_CHARS:
        kind, reason = why_no_article(root, [line.text for line in lines], article, title)
        raise IngestError(kind, reason)
    return ReadResult(
        blocks=article.blocks, encoding=encoding, page_title=title, published=published_date(root, region, lines, span),
    )


def _html_part(message):
    """The page of an .mht: the part the root names (``start`` / Snapshot-Content-Location), else the first text/html."""
    start = message.get_param("start")
    snapshot = message.get("Snapshot-Content-Location")
    pages = [p for p in message.walk() if p.get_content_type() == "text/html" and not p.is_multipart()]
    for part in pages:
        cid = (part.get("Content-ID") or "").strip()
        if (start and cid and cid.strip("<>") == str(start).strip("<>")) or (
            snapshot and (part.get("Content-Location") or "").strip() == snapshot.strip()
        ):
            return part
    return pages[0] if pages else None


def read_mht(data: bytes) -> ReadResult:
    """Blocks of an .mht/.mhtml single-file save: its text/html part, decoded (quoted-printable or
    base64, in the charset the part declares) and read as a page."""
    if not data.strip():
        raise IngestError("no_text", "the .mht file is empty")
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    if message.get("Content-Type", "").strip().lower().startswith("multipart/") and not message.is_multipart():
        raise IngestError("corrupt_file", "a multipart message whose parts are missing (its boundary never occurs): "
                          "truncated or damaged")
    if message.get("Content-Type") is None or not (
        message.is_multipart() or message.get_content_type() == "text/html"
    ):
        hint = ": it looks like a plain web page, rename it to .html" if _MARKUP.search(data[:SNIFF_BYTES]) else ""
        raise IngestError("corrupt_file", f"not a MIME message (no multipart/related or text/html content type){hint}")
    part = _html_part(message)
    if part is None:
        kinds = sorted({p.get_content_type() for p in message.walk() if not p.is_multipart()})
        raise IngestError("corrupt_file", f"the .mht holds no text/html part (only {', '.join(kinds) or 'nothing'})")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        raise IngestError("no_text", "the .mht's text/html part is empty")
    try:
        result = _read_page(payload, part.get_content_charset())
    except MemoryError as exc:
        raise IngestError("out_of_memory", f"ran out of memory while parsing the page ({exc})") from exc
    result.format = "mht"
    return result
