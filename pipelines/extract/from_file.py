"""One report file → its document and its figures, in the worker that reads it.

A file read for the first time is extracted where it was read, while its blocks are in memory:
the build then needs no second pass that loads every new document's blocks back from the
warehouse and sends them to another pool of processes. Stored documents are still extracted
from their stored blocks when the extractor changes (warehouse/extraction_layer.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..ingest.corpus import FailedFile, IngestedDocument, ingest_file
from ..ingest.document import ReadLimits
from ..ingest.model import Block
from ..ingest.time_limit import TimeLimitExceeded, time_limit
from .extract import Extraction, extract_blocks


@dataclass
class ExtractedDocument(IngestedDocument):
    """A document read and extracted: ``extraction`` is its figures, or why extraction failed; the
    seconds each took in the worker (what benchmarks report as reading's and extraction's shares)."""

    extraction: Extraction | str | None = None
    read_s: float = 0.0
    extract_s: float = 0.0


def extract_or_reason(blocks: list[Block], year: int | None, timeout_s: float | None) -> Extraction | str:
    """One document's extraction, or why it failed: a bug or a pathological text in one document
    must cost that document its facts, never the build. The time limit is ingest's real-time
    alarm (time_limit.py: main thread only; worker processes run there too)."""
    try:
        with time_limit(timeout_s):
            return extract_blocks(blocks, year)
    except TimeLimitExceeded:
        return f"extraction took longer than {timeout_s:g} s; stopped"
    except (Exception, RecursionError, MemoryError) as exc:
        return f"extraction raised {type(exc).__name__}: {str(exc)[:200]}"


def ingest_and_extract(path: Path, relative: str, limits: ReadLimits = ReadLimits()) -> ExtractedDocument | FailedFile:
    """``ingest_file``, then the document's extraction under the file's own time limit."""
    start = time.perf_counter()
    outcome = ingest_file(path, relative, limits)
    if isinstance(outcome, FailedFile):
        return outcome
    read = time.perf_counter()
    extraction = extract_or_reason(outcome.parsed.blocks, outcome.metadata.year, limits.timeout_s)
    return ExtractedDocument(**outcome.__dict__, extraction=extraction, read_s=read - start,
                             extract_s=time.perf_counter() - read)
