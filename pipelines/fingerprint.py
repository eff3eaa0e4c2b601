"""Digests of source files: how stored work knows the code that made it has changed.

The extractor, the readers and metadata detection each stamp what they write with a digest of
their own code and data files, so an edit to any of them reaches every stored document on the
next build without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def source_files(root: Path, names: Iterable[str], suffixes: frozenset[str] = frozenset({".py", ".toml", ".sql", ".csv"})
                 ) -> list[Path]:
    """The files under ``root`` named by ``names`` (files, or folders taken whole), in a stable order."""
    paths: list[Path] = []
    for name in names:
        source = root / name
        found = [source] if source.is_file() else sorted(source.rglob("*"))
        paths += [p for p in found if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts]
    return paths


def files_digest(paths: Iterable[Path], base: Path, extra: str = "") -> str:
    """sha256 over each file's path (relative to ``base``) and bytes, after ``extra`` (e.g. a library version)."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
