"""The version of the code that turns a file into blocks, stamped on every stored document.

A document read by another version of the readers is read again on the next build (its blocks
and metadata replaced, its first ingestion time kept), so a reader fix reaches every stored
report. Only the modules whose output is stored count: changing how files are planned, hashed
or scheduled (incremental.py, corpus.py) re-reads nothing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..fingerprint import files_digest, source_files

PACKAGE = Path(__file__).resolve().parent
READER_SOURCES = ("readers", "document.py", "model.py", "normalize.py", "sections.py", "headings.toml")


@lru_cache(maxsize=1)
def reader_version() -> str:
    return files_digest(source_files(PACKAGE, READER_SOURCES), PACKAGE)[:12]
