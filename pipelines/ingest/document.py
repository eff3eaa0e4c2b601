"""From a file's bytes to a ParsedDocument: pick the reader, normalise, find the sections.

This is the single entry point the pipeline, the CLI and the tests use, so every format
goes through the same normalisation and the same error handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePath

from .errors import IngestError
from .time_limit import TimeLimitExceeded, time_limit
from .model import ParsedDocument, RawBlock, ReadResult
from .normalize import normalize_text
from .readers.docx import ENCRYPTION_INFO, read_docx
from .readers.ocr_options import OcrOptions
from .readers.pdf import read_pdf
from .readers.txt import read_txt
from .sections import assign_sections, heading_level

MiB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 binaries, and Office's encrypted OOXML
# extension -> the reader's format; web pages and legacy Word each have one reader for several extensions
FORMAT_OF_EXTENSION = {
    "docx": "docx", "pdf": "pdf", "txt": "txt",
    "html": "html", "htm": "html", "shtml": "html", "mht": "mht", "mhtml": "mht",
    "doc": "doc", "wps": "doc",
}
SUPPORTED_FORMATS = tuple(FORMAT_OF_EXTENSION)
# Formats people drop into the folder that shufa recognises but cannot read.
_KNOWN_UNSUPPORTED = {
    "rtf": "RTF: save it as .docx or .txt",
    "ofd": "OFD: export it as PDF",
}
_SENTENCE_END = re.compile(r"[。!?;]$")
MAX_TITLE_CHARS = 60


@dataclass(frozen=True)
class ReadLimits:
    """Resource limits that turn hostile or runaway files into recorded errors, and the reading
    options that cost time (settings.py reads them from SHUFA_*; readers get them from here)."""

    max_file_bytes: int = 50 * MiB
    max_docx_uncompressed_bytes: int = 200 * MiB
    timeout_s: float | None = None  # reading one file, inside the worker (OCR'd pages have their own)
    ocr: bool = True  # OCR pages without a text layer
    ocr_page_s: float = 60.0  # time allowed per OCR'd page
    ocr_max_pages: int = 40  # most pages OCR'd in one document
    convert_timeout_s: float = 120.0  # LibreOffice's limit per legacy Word file

    def allowance_s(self, timeout_s: float, name: str) -> float:
        """The time the parent gives one file: ``timeout_s``, plus the OCR allowance for a PDF that may
        be a scan, or the conversion's for a legacy Word file (the worker keeps the finer limits)."""
        ext = PurePath(name).suffix.lower()
        if ext == ".pdf" and self.ocr:
            return timeout_s + self.ocr_max_pages * self.ocr_page_s
        if ext in (".doc", ".wps"):
            return timeout_s + self.convert_timeout_s
        return timeout_s


def detect_format(name: str) -> str:
    """The format from the file name's extension; IngestError if shufa does not read it."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext in FORMAT_OF_EXTENSION:
        return FORMAT_OF_EXTENSION[ext]
    hint = _KNOWN_UNSUPPORTED.get(ext, "shufa reads .docx, .pdf, .txt, web pages (.html, .mht) and .doc/.wps")
    raise IngestError("unsupported_format", f"unsupported file type {('.' + ext) if ext else '(no extension)'}: {hint}")


def _read(fmt: str, data: bytes, limits: ReadLimits) -> ReadResult:
    """The format's reader. Web pages, OCR and LibreOffice bring heavy imports: loaded on first use."""
    if fmt == "txt":
        return read_txt(data)
    if fmt == "docx" and not (data.startswith(OLE_MAGIC) and ENCRYPTION_INFO not in data):
        return read_docx(data, limits.max_docx_uncompressed_bytes)  # it knows an encrypted docx (OLE) too
    if fmt == "pdf":
        return read_pdf(data, OcrOptions(limits.ocr_max_pages, limits.ocr_page_s) if limits.ocr else None)
    if fmt in ("html", "mht"):
        from .readers.html import read_html, read_mht

        return read_html(data) if fmt == "html" else read_mht(data)
    from .readers.legacy_word import read_legacy_word

    # a .doc or .wps, or a Word binary renamed .docx
    return read_legacy_word(data, limits.max_docx_uncompressed_bytes, limits.convert_timeout_s)


def _mark_title(blocks: list[RawBlock]) -> list[RawBlock]:
    """Mark the first block as the title when it looks like one: short, no sentence end, no heading number."""
    if not blocks or blocks[0].kind != "paragraph" or blocks[0].heading_level is not None:
        return blocks
    first = blocks[0].text
    if len(first) <= MAX_TITLE_CHARS and not _SENTENCE_END.search(first) and heading_level(first) is None:
        return [replace(blocks[0], kind="title"), *blocks[1:]]
    return blocks


def parse_document(name: str, data: bytes, limits: ReadLimits = ReadLimits()) -> ParsedDocument:
    """Read one file. Raises IngestError (with a stable kind) for anything that is not a readable report."""
    fmt = detect_format(name)
    if not data:
        raise IngestError("empty_file", "the file has zero bytes")
    if len(data) > limits.max_file_bytes:
        raise IngestError(
            "too_large", f"{len(data):,} bytes, over the {limits.max_file_bytes:,}-byte limit (SHUFA_MAX_FILE_MB)"
        )
    try:
        with time_limit(limits.timeout_s):
            result = _read(fmt, data, limits)
    except TimeLimitExceeded as exc:
        raise IngestError("timeout", f"reading {exc}; the reader was stopped") from exc
    except IngestError:
        raise
    except Exception as exc:  # a reader bug or an exotic file must not stop the run
        raise IngestError("read_failed", f"{type(exc).__name__}: {exc}") from exc
    normalised = [replace(b, text=normalize_text(b.text)) for b in result.blocks]
    normalised = _mark_title([b for b in normalised if b.text])
    if not normalised:
        raise IngestError("no_text", f"the {fmt} file parsed but contains no text")
    return ParsedDocument(
        format=result.format or fmt, blocks=assign_sections(normalised), pages=result.pages, encoding=result.encoding,
        page_title=result.page_title, published=result.published, ocr_pages=result.ocr_pages,
    )
