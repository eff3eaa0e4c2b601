"""The one document model every reader produces.

A document is a list of blocks in reading order. Each block carries where it came from
(page, paragraph, table cell) so any figure extracted from it can be traced back, and
the chain of headings above it (its section path) so extraction can use the topic of
the section a figure stands in.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Location:
    """Where a block sits in its source file. Fields that do not apply stay None.

    ``paragraph`` is 1-based: the line number in a txt file, the body paragraph index in
    a docx, the paragraph index within its page in a pdf.
    """

    page: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # (x0, top, x1, bottom) in PDF points; OCR'd blocks


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block as a reader found it, before normalisation and section assignment.

    ``heading_level`` is set only when the format itself says the block is a heading
    (a Word heading style); headings written as ``一、`` are recognised later from text.
    """

    text: str
    location: Location
    kind: str = "paragraph"  # paragraph | table_cell | title
    heading_level: int | None = None
    confidence: float | None = None  # OCR's recognition confidence (0–1); None for a text layer


@dataclass(frozen=True, slots=True)
class Block:
    """A normalised block of a document, numbered from 0 in reading order."""

    block_no: int
    kind: str  # title | heading | paragraph | table_cell
    text: str
    location: Location
    section_path: tuple[str, ...] = ()
    confidence: float | None = None  # OCR's recognition confidence (0–1); None for a text layer


@dataclass(slots=True)
class ReadResult:
    """What a reader returns: its raw blocks plus facts about the file."""

    blocks: list[RawBlock]
    pages: int | None = None
    encoding: str | None = None
    format: str | None = None  # what was read when it is not the extension's format (mht, doc converted…)
    page_title: str | None = None  # a web page's <title>: often the site name, which names the county
    published: str | None = None  # a web page's publication date, ISO (2024-01-15), from its meta or 发布时间
    ocr_pages: int = 0  # pages read by OCR (no text layer)


@dataclass(slots=True)
class ParsedDocument:
    """A file read and normalised: blocks with section paths, ready for metadata and storage."""

    format: str
    blocks: list[Block]
    pages: int | None = None
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    page_title: str | None = None
    published: str | None = None
    ocr_pages: int = 0

    @property
    def text(self) -> str:
        """The whole normalised text, one block per line."""
        return "\n".join(b.text for b in self.blocks)

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)
