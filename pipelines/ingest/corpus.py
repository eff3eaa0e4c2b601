"""A folder of reports → documents and failures. Pure per-file work, no database.

Each file is read and judged on its own (``ingest_file``), so one bad file cannot stop the
others, and the per-file work can later run in parallel. A document's id is derived from
its content, so the same report dropped twice, or renamed, is one document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..metadata.detect import DocumentMetadata, detect_metadata
from ..metadata.sidecar import is_metadata_file, read_supplied_metadata
from .document import ReadLimits, parse_document
from .errors import IngestError
from .model import ParsedDocument

DOC_ID_HEX_CHARS = 16  # 64 bits of sha256: collision-free for any corpus this will see


@dataclass
class IngestedDocument:
    doc_id: str
    sha256: str
    path: str  # relative to the raw folder, forward slashes
    bytes: int
    parsed: ParsedDocument
    metadata: DocumentMetadata


@dataclass
class FailedFile:
    path: str
    bytes: int
    sha256: str | None
    error_kind: str
    reason: str


@dataclass
class CorpusResult:
    documents: list[IngestedDocument] = field(default_factory=list)
    failures: list[FailedFile] = field(default_factory=list)
    # every report file seen → the document it holds (several files may hold one document)
    files: dict[str, str] = field(default_factory=dict)


def scan_raw(raw_dir: Path) -> list[Path]:
    """Report files under ``raw_dir`` in a stable order; hidden files and metadata sidecars are skipped."""
    return sorted(
        p
        for p in raw_dir.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
        and not is_metadata_file(p)
    )


def ingest_file(path: Path, relative: str, limits: ReadLimits = ReadLimits()) -> IngestedDocument | FailedFile:
    """Read one file into a document, or say why it cannot be one. Never raises for bad input.

    ``relative`` is the path recorded for the file (relative to the raw folder); its folders
    and name are the last-resort source of county and year.
    """
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:  # refuse before reading it into memory
            raise IngestError("too_large", f"{size:,} bytes, over the {limits.max_file_bytes:,}-byte limit")
        data = path.read_bytes()
    except IngestError as exc:
        return FailedFile(relative, size, None, exc.kind, exc.reason)
    except OSError as exc:
        return FailedFile(relative, 0, None, "read_failed", f"cannot read the file: {exc}")
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        parsed = parse_document(path.name, data, limits)
    except IngestError as exc:
        return FailedFile(relative, len(data), sha256, exc.kind, exc.reason)
    supplied, source, flags = read_supplied_metadata(path)
    title = parsed.blocks[0].text if parsed.blocks[0].kind == "title" else None
    metadata = detect_metadata(PurePosixPath(relative), title, parsed.text, supplied, source)
    metadata.flags = flags + metadata.flags
    return IngestedDocument(sha256[:DOC_ID_HEX_CHARS], sha256, relative, len(data), parsed, metadata)


def ingest_corpus(
    raw_dir: Path,
    limits: ReadLimits = ReadLimits(),
    paths: Iterable[Path] | None = None,
    progress: Callable[[int, int, IngestedDocument | FailedFile], None] | None = None,
) -> CorpusResult:
    """Ingest every report under ``raw_dir``; identical content is kept once, under its first path."""
    paths = scan_raw(raw_dir) if paths is None else list(paths)
    result = CorpusResult()
    seen: set[str] = set()
    for done, path in enumerate(paths, start=1):
        outcome = ingest_file(path, path.relative_to(raw_dir).as_posix(), limits)
        if isinstance(outcome, FailedFile):
            result.failures.append(outcome)
        else:
            result.files[outcome.path] = outcome.doc_id
            if outcome.doc_id not in seen:
                seen.add(outcome.doc_id)
                result.documents.append(outcome)
        if progress is not None:
            progress(done, len(paths), outcome)
    return result
