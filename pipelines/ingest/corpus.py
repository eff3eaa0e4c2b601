"""A folder of reports → documents and failures. Pure per-file work, no database.

Each file is read and judged on its own (``ingest_file``), so one bad file cannot stop the
others, and the per-file work can later run in parallel. A document's id is derived from
its content, so the same report dropped twice, or renamed, is one document.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..metadata.detect import DocumentMetadata, detect_metadata
from ..metadata.sidecar import is_metadata_name, read_supplied_metadata
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
    metadata_key: str = ""  # MetadataInputs.key: what the metadata was derived from, besides the text


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


@dataclass
class RawScan:
    """What a walk of the raw folder found: report files, and entries refused with the reason."""

    paths: list[Path] = field(default_factory=list)
    refused: list[FailedFile] = field(default_factory=list)  # links leaving the folder, dangling links, loops
    unreadable_dirs: list[str] = field(default_factory=list)  # relative paths of folders that could not be listed


def _hidden(relative: str) -> bool:
    """Whether any part of a forward-slash relative path starts with a dot (on str: no Path parsing)."""
    return relative.startswith(".") or "/." in relative


def recorded_path(raw_dir: Path, path: Path) -> str:
    """The path recorded for a file: relative to the raw folder, forward slashes, always valid UTF-8.

    A name that is not UTF-8 on disk (a zip made on Chinese Windows unpacks as GBK bytes) is
    decoded as GB18030, so ``某县2023年报告.docx`` keeps the county and year its name gives; when
    that name is taken by another file, or the bytes are not GB18030 either, the undecodable bytes
    are written as ``\\xNN`` escapes. Either way the file is read from its name on disk.
    """
    return _recorded(raw_dir, path.relative_to(raw_dir).as_posix())


def _recorded(raw_dir: Path, relative: str) -> str:
    """recorded_path from the on-disk relative path (forward slashes), for walks that already have it."""
    try:
        relative.encode("utf-8")
        return relative
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(relative)
    try:
        decoded = raw.decode("gb18030")
        if not (raw_dir / decoded).exists():
            return decoded
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", "backslashreplace")


class RawEntry(NamedTuple):
    """A report file found by walk_raw_entries, with the directory entry the walk saw (its stat() is
    one syscall, no path parsing) and both forms of its relative path."""

    on_disk: str  # relative to the raw folder as on disk, forward slashes
    recorded: str  # as recorded (see recorded_path)
    entry: os.DirEntry


def walk_raw(raw_dir: Path) -> RawScan:
    """Every report file under ``raw_dir``, in a stable order; hidden files and sidecars skipped.

    Nothing is skipped silently: a folder that cannot be listed, a symlink whose target is outside
    the raw folder (``ln -s /etc/passwd data/raw/x.txt``), a dangling link and a link loop each
    come back in ``refused`` (a folder's files are then kept as they were, see plan_run). Links
    to folders are not followed: their files, when inside the folder, are reached directly.
    """
    return walk_raw_entries(raw_dir)[1]


def walk_raw_entries(raw_dir: Path) -> tuple[list[RawEntry], RawScan]:
    """walk_raw, plus each file's RawEntry in the same order, so a caller that stats the files
    (stat_folder) neither walks again nor parses paths.

    A top-down walk in sorted order, like ``os.walk`` with sorted folders (so ``refused`` and
    ``unreadable_dirs`` keep their order), but on ``os.scandir`` entries: whether an entry is a
    folder or a link comes from the listing, without a syscall per file.
    """
    root = raw_dir.resolve()
    scan = RawScan()
    found: list[RawEntry] = []
    stack = [("", os.fspath(raw_dir))]  # (relative prefix with trailing slash, folder as os.walk names it)
    while stack:
        prefix, folder = stack.pop()
        entries = _list_folder(raw_dir, folder, scan)
        if entries is None:
            continue
        subfolders, names = _split_folders(entries)
        for entry in sorted(names, key=_name):
            item = _report_file(raw_dir, root, prefix, folder, entry, scan)
            if item is not None:
                found.append(item)
        stack.extend((prefix + name + "/", os.path.join(folder, name)) for name in sorted(subfolders, reverse=True))
    found.sort(key=_parts)
    scan.paths = [raw_dir / item.on_disk for item in found]
    return found, scan


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _parts(item: RawEntry) -> list[str]:
    """The sort key of a file: its path's parts, the order ``sorted(paths)`` gives Path objects."""
    return item.on_disk.split("/")


def _list_folder(raw_dir: Path, folder: str, scan: RawScan) -> list[os.DirEntry] | None:
    """A folder's entries, or None when it cannot be listed (recorded in ``scan``); as in os.walk,
    a listing that fails midway drops the whole folder."""
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError as error:
        relative = recorded_path(raw_dir, Path(error.filename))
        scan.unreadable_dirs.append(relative)
        scan.refused.append(FailedFile(relative, 0, None, "read_failed", f"cannot list the folder: {error.strerror}"))
        return None


def _split_folders(entries: list[os.DirEntry]) -> tuple[list[str], list[os.DirEntry]]:
    """(names of the real folders to descend into, the other entries: files and links of any kind)."""
    subfolders, others = [], []
    for entry in entries:
        if not entry.is_symlink() and _is_dir(entry):
            subfolders.append(entry.name)
        else:
            others.append(entry)
    return subfolders, others


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # os.walk counts an entry it cannot stat as a file
        return False


def _report_file(raw_dir: Path, root: Path, prefix: str, folder: str, entry: os.DirEntry,
                 scan: RawScan) -> RawEntry | None:
    """The entry as a report file, or None when it is hidden, a sidecar, a refused link (recorded in
    ``scan``) or a link to a folder."""
    on_disk = prefix + entry.name
    recorded = _recorded(raw_dir, on_disk)
    if _hidden(recorded) or is_metadata_name(entry.name):
        return None
    if entry.is_symlink():
        path = Path(folder) / entry.name
        reason = _link_problem(path, root)
        if reason:
            scan.refused.append(FailedFile(recorded, 0, None, "refused_link", reason))
            return None
        if path.is_dir():
            return None
    return RawEntry(on_disk, recorded, entry)


def _link_problem(path: Path, root: Path) -> str | None:
    """Why a symlink in the raw folder is not read, or None when its target is a file inside it."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return "a symlink loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink loop"
        return "a dangling symlink (its target does not exist)" if isinstance(exc, FileNotFoundError) \
            else f"a symlink that cannot be followed: {exc.strerror}"
    if not target.is_relative_to(root):
        return f"a symlink to {target}, outside the raw folder: not read"
    return None


def scan_raw(raw_dir: Path) -> list[Path]:
    """Report files under ``raw_dir`` in a stable order (see walk_raw for what is left out)."""
    return walk_raw(raw_dir).paths


@dataclass(frozen=True)
class MetadataInputs:
    """What a document's metadata depends on besides its text: the path it was found at and what a
    person supplied beside it (sidecar or manifest row). Its ``key`` is stored with the document,
    so a sidecar added or edited later is noticed and the metadata re-derived without re-reading."""

    relative: str  # the recorded path
    supplied: dict
    source: str | None  # sidecar | manifest | None
    flags: tuple[str, ...]

    @property
    def key(self) -> str:
        record = [self.relative, self.supplied, self.source, list(self.flags)]
        return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def metadata_inputs(path: Path, relative: str, manifests: dict | None = None) -> MetadataInputs:
    """The metadata inputs of the file at ``path`` (on disk), recorded as ``relative``."""
    name = relative.rpartition("/")[2]  # PurePosixPath(relative).name, without parsing the path
    supplied, source, flags = read_supplied_metadata(path, name, manifests)
    if name != path.name:
        flags.append(f"file_name_not_utf8: recorded as {name}")
    return MetadataInputs(relative, supplied, source, tuple(flags))


def derive_metadata(inputs: MetadataInputs, title: str | None, text: str, page_title: str | None,
                    published: str | None) -> DocumentMetadata:
    """A document's metadata from its inputs and its normalised text: at ingestion, and again from the
    stored text when the inputs or metadata detection change (pipelines/warehouse/raw_layer.py)."""
    metadata = detect_metadata(PurePosixPath(inputs.relative), title, text, inputs.supplied, inputs.source,
                               page_title=page_title, published=published)
    metadata.flags = list(inputs.flags) + metadata.flags
    return metadata


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
    inputs = metadata_inputs(path, relative)
    title = parsed.blocks[0].text if parsed.blocks[0].kind == "title" else None
    metadata = derive_metadata(inputs, title, parsed.text, parsed.page_title, parsed.published)
    return IngestedDocument(sha256[:DOC_ID_HEX_CHARS], sha256, relative, len(data), parsed, metadata, inputs.key)


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
        outcome = ingest_file(path, recorded_path(raw_dir, path), limits)
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
