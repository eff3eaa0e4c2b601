"""From a file's bytes to a ParsedDocument: pick the reader, normalise, find the sections.

This is the single entry point the pipeline, the CLI and the tests use, so every format
goes through the same normalisation and the same error handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePath

from .errors import IngestError
from .model import ParsedDocument, RawBlock, ReadResult
from .normalize import normalize_text
from .readers.docx import read_docx
from .readers.pdf import read_pdf
from .readers.txt import read_txt
from .sections import assign_sections, heading_level

MiB = 1024 * 1024
SUPPORTED_FORMATS = ("docx", "pdf", "txt")
# Formats people drop into the folder that shufa recognises but cannot read.
_KNOWN_UNSUPPORTED = {
    "doc": "legacy Word .doc: save it as .docx",
    "wps": "WPS document: save it as .docx",
    "rtf": "RTF: save it as .docx or .txt",
    "ofd": "OFD: export it as PDF",
}
_SENTENCE_END = re.compile(r"[。!?;]$")
MAX_TITLE_CHARS = 60


@dataclass(frozen=True)
class ReadLimits:
    """Resource limits that turn hostile or runaway files into recorded errors."""

    max_file_bytes: int = 50 * MiB
    max_docx_uncompressed_bytes: int = 200 * MiB


def detect_format(name: str) -> str:
    """The format from the file name's extension; IngestError if shufa does not read it."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext in SUPPORTED_FORMATS:
        return ext
    hint = _KNOWN_UNSUPPORTED.get(ext, "shufa reads .docx, .pdf and .txt")
    raise IngestError("unsupported_format", f"unsupported file type {('.' + ext) if ext else '(no extension)'}: {hint}")


def _read(fmt: str, data: bytes, limits: ReadLimits) -> ReadResult:
    if fmt == "txt":
        return read_txt(data)
    if fmt == "docx":
        return read_docx(data, limits.max_docx_uncompressed_bytes)
    return read_pdf(data)


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
        result = _read(fmt, data, limits)
    except IngestError:
        raise
    except Exception as exc:  # a reader bug or an exotic file must not stop the run
        raise IngestError("read_failed", f"{type(exc).__name__}: {exc}") from exc
    normalised = [replace(b, text=normalize_text(b.text)) for b in result.blocks]
    normalised = _mark_title([b for b in normalised if b.text])
    if not normalised:
        raise IngestError("no_text", f"the {fmt} file parsed but contains no text")
    return ParsedDocument(
        format=fmt, blocks=assign_sections(normalised), pages=result.pages, encoding=result.encoding
    )
