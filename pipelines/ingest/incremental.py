"""Which files need reading tonight, and reading them in parallel with a time limit each.

A file whose path, size and modification time match the last run is not opened at all. A
changed or new file is hashed; content already known (a rename, a copy, a touched file) is
not parsed again. Only new content is parsed, across processes, each document with its own
time limit so one pathological PDF cannot hang the night. Everything here is pure or
per-file; the warehouse is read and written elsewhere.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from .corpus import DOC_ID_HEX_CHARS, FailedFile, IngestedDocument, RawScan, ingest_file, walk_raw_entries
from .document import FORMAT_OF_EXTENSION, MiB, ReadLimits
from .worker_limits import DEFAULT_WORKER_MEMORY_MB, limit_memory


@dataclass(frozen=True)
class FileStat:
    path: str  # relative to the raw folder, forward slashes, as recorded (see corpus.recorded_path)
    size: int
    mtime_ns: int
    on_disk: str = field(default="", compare=False)  # the name on disk when it is not valid UTF-8

    def local(self, raw_dir: Path) -> Path:
        return raw_dir / (self.on_disk or self.path)


@dataclass
class Previous:
    """What the warehouse knew after the last run."""

    files: dict[str, tuple[str, int | None, int | None]] = field(default_factory=dict)  # path -> (doc_id, size, mtime)
    errors: dict[str, tuple] = field(default_factory=dict)  # path -> (size, mtime[, error_kind])
    known_docs: dict[str, str] = field(default_factory=dict)  # doc_id -> format read as; retracted ones included
    outdated: set[str] = field(default_factory=set)  # doc_ids read by another version of the readers: read again
    # doc_id -> (path, metadata_key, metadata_version) its metadata was derived from
    metadata: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)

    def to_reuse(self, full: bool) -> dict[str, str]:
        """The stored documents whose content need not be parsed again: none on a full rebuild,
        else every one read by this version of the readers."""
        return {} if full else {d: f for d, f in self.known_docs.items() if d not in self.outdated}


@dataclass
class Plan:
    unchanged: dict[str, str]  # path -> doc_id, not opened
    failed_unchanged: set[str]  # failed last time and not changed since: not retried
    to_read: list[FileStat]
    removed: set[str]  # paths of the last run that are gone
    retried: set[str] = field(default_factory=set)  # failed, unchanged, but transiently: read again


# Files scheduled ahead per parsing process: enough that no process waits for work, few enough that
# the documents parsed ahead of their turn stay a handful (see read_files).
IN_FLIGHT_PER_WORKER = 4

# Failures that say nothing about the file's content: a time limit hit on a busy night, a
# permission fixed since (which changes ctime, not mtime). Such files are read again every run.
TRANSIENT_ERRORS = {"timeout", "read_failed", "file_changing"}


def stat_folder(raw_dir: Path) -> tuple[list[FileStat], RawScan]:
    """Each report file's size and modification time, and what the walk refused (see walk_raw).

    Each file is stat'ed once, from the entry the walk listed it with: no path is parsed again."""
    entries, scan = walk_raw_entries(raw_dir)
    stats = []
    for item in entries:
        try:
            st = item.entry.stat()
        except OSError as exc:  # gone or unreachable since the walk
            scan.refused.append(FailedFile(item.recorded, 0, None, "read_failed", f"cannot stat the file: {exc.strerror}"))
            continue
        on_disk = "" if item.on_disk == item.recorded else item.on_disk
        stats.append(FileStat(item.recorded, st.st_size, st.st_mtime_ns, on_disk))
    return stats, scan


def stat_files(raw_dir: Path) -> list[FileStat]:
    return stat_folder(raw_dir)[0]


def plan_run(current: list[FileStat], previous: Previous, full: bool = False,
             unreadable_dirs: list[str] = ()) -> Plan:
    """Sort the files into those to skip and those to read (``full`` reads them all, and so does a
    file whose document was read by another version of the readers).

    Files the last run knew under a folder that cannot be listed now are kept as they were
    (unchanged), not retracted: a permission slip on a share must not empty the warehouse.
    """
    unchanged, failed_unchanged, to_read, retried = {}, set(), [], set()
    prefixes = tuple(d.rstrip("/") + "/" for d in unreadable_dirs)
    if prefixes:
        unchanged.update({p: known[0] for p, known in previous.files.items() if p.startswith(prefixes)})
    for f in current:
        known = previous.files.get(f.path)
        failed = previous.errors.get(f.path)
        failed_unchanged_since = not full and failed is not None and tuple(failed[:2]) == (f.size, f.mtime_ns)
        if not full and known and (known[1], known[2]) == (f.size, f.mtime_ns) and known[0] not in previous.outdated:
            unchanged[f.path] = known[0]
        elif failed_unchanged_since and failed[2:3] and failed[2] in TRANSIENT_ERRORS:
            retried.add(f.path)
            to_read.append(f)
        elif failed_unchanged_since:
            failed_unchanged.add(f.path)
        else:
            to_read.append(f)
    seen = {f.path for f in current} | set(unchanged)
    removed = (set(previous.files) | set(previous.errors)) - seen
    return Plan(unchanged, failed_unchanged, to_read, removed, retried)


@dataclass
class ReadResult:
    documents: list[IngestedDocument] = field(default_factory=list)  # newly parsed content
    files: dict[str, str] = field(default_factory=dict)  # path -> doc_id, for every file read this run
    failures: list[FailedFile] = field(default_factory=list)
    known_content: int = 0  # files whose content was already stored (renames, copies, touched files)
    from_store: int = 0  # documents parsed before (batch store), not parsed again


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_files(
    raw_dir: Path,
    to_read: list[FileStat],
    known_docs: Mapping[str, str],
    limits: ReadLimits = ReadLimits(),
    workers: int | None = None,
    timeout_s: float = 120.0,
    progress: Callable[[int, int, object], None] | None = None,
    reader: Callable[..., IngestedDocument | FailedFile] = ingest_file,
    worker_memory_bytes: int = DEFAULT_WORKER_MEMORY_MB * MiB,
    sink: Callable[[IngestedDocument], object] | None = None,
    stored: Mapping[tuple[str, str], object] | None = None,
    extract_s: float = 0.0,
) -> ReadResult:
    """Hash the files, parse the ones with new content in worker processes, each under ``timeout_s``.

    ``reader`` is what a worker runs per file (a module-level function, so that it can be sent to
    a process), returning a document (anything with its ``doc_id`` and ``bytes``) or a FailedFile; the
    pipeline uses ``warehouse.batch_rows.read_and_pack``, whose documents are their rows. Each parsed document
    goes to ``sink`` as it comes, and what the sink returns is kept in ``documents`` instead (the
    pipeline's sink writes it to the batch store and keeps a reference), so memory does not grow
    with the corpus. ``stored``: (doc_id, path) -> a document parsed before (the batch store's
    index), taken instead of parsing the file again. ``extract_s``: the time a reader that also
    extracts has for that, on top of each file's reading allowance. Each worker's address space is capped at
    ``worker_memory_bytes`` (0: no cap), so a file that slips past the size checks fails alone as
    ``out_of_memory`` instead of taking the machine.
    """
    result = ReadResult()
    # (doc_id, extension) -> files holding that new content: the reader follows the extension, so
    # the same bytes as 副本.doc (refused) and 副本.docx (read) are judged apart
    to_parse: dict[tuple[str, str], list[FileStat]] = {}
    done, total = 0, len(to_read)
    for f in to_read:
        if f.size > limits.max_file_bytes:
            result.failures.append(FailedFile(f.path, f.size, None, "too_large",
                                              f"{f.size:,} bytes, over the {limits.max_file_bytes:,}-byte limit"))
            done += 1
            if progress:
                progress(done, total, result.failures[-1])
            continue
        try:
            doc_id = _sha256(f.local(raw_dir))[:DOC_ID_HEX_CHARS]
        except OSError as exc:
            result.failures.append(FailedFile(f.path, f.size, None, "read_failed", f"cannot read the file: {exc}"))
            done += 1
            continue
        if doc_id in known_docs and known_docs[doc_id] == FORMAT_OF_EXTENSION.get(Path(f.path).suffix.lower().lstrip(".")):
            # known content under a name for the reader that read it; a txt's bytes touched as 副本.doc
            # go to the .doc reader below, which refuses them as it would the first time
            result.files[f.path] = doc_id
            result.known_content += 1
            done += 1
            if progress:
                progress(done, total, None)
        else:
            to_parse.setdefault((doc_id, Path(f.path).suffix.lower()), []).append(f)

    parsed: set[str] = set()
    for key, files in list(to_parse.items()):
        earlier = (stored or {}).get((key[0], files[0].path))
        if earlier is not None:  # parsed before (a killed build, a parse job): taken from the store
            del to_parse[key]
            if key[0] not in parsed:
                parsed.add(key[0])
                result.documents.append(earlier)
                result.from_store += 1
            result.files.update((f.path, key[0]) for f in files)
            done += len(files)
            if progress:
                progress(done, total, None)

    if to_parse:
        # spawn, not fork: the parent may hold threads (Dagster's) that a fork would copy half-way
        workers = workers or os.cpu_count() or 1
        with ProcessPool(max_workers=workers, context=multiprocessing.get_context("spawn"),
                         initializer=limit_memory, initargs=(worker_memory_bytes,)) as pool:
            def schedule(key: tuple[str, str]) -> tuple:
                first = to_parse[key][0]
                allowance = limits.allowance_s(timeout_s, first.path)
                future = pool.schedule(reader, args=(first.local(raw_dir), first.path, limits),
                                       timeout=allowance + extract_s)
                return key, first, allowance, future

            # A bounded window of files in flight, taken in order: a parsed document waits in memory
            # only until its turn to go to the sink, never for the whole corpus.
            order = iter(sorted(to_parse, key=lambda k: to_parse[k][0].path))
            window = deque(schedule(key) for key in islice(order, workers * IN_FLIGHT_PER_WORKER))
            while window:
                key, first, allowance, future = window.popleft()
                doc_id = key[0]
                outcome = _outcome(future, first, allowance, extract_s)
                del future
                for following in islice(order, 1):
                    window.append(schedule(following))
                if not isinstance(outcome, FailedFile) and outcome.doc_id != doc_id:
                    # the bytes the worker read are not the bytes hashed here: the file is being written
                    outcome = FailedFile(first.path, outcome.bytes, None, "file_changing",
                                         "the file changed while it was read (still being copied?); "
                                         "it will be read again on the next run")
                if not isinstance(outcome, FailedFile):
                    if doc_id not in parsed:  # the same bytes read under two extensions: one document
                        parsed.add(doc_id)
                        result.documents.append(sink(outcome) if sink else outcome)
                    for f in to_parse[key]:
                        result.files[f.path] = doc_id
                else:
                    result.failures.extend(
                        FailedFile(f.path, outcome.bytes, outcome.sha256, outcome.error_kind, outcome.reason)
                        for f in to_parse[key]
                    )
                done += len(to_parse[key])
                if progress:
                    progress(done, total, outcome)
    return result


def _outcome(future, first: FileStat, timeout_s: float, extract_s: float = 0.0) -> IngestedDocument | FailedFile:
    try:
        return future.result()
    except FutureTimeout:
        then = f" (and extracting {extract_s:g} s more)" if extract_s else ""
        return FailedFile(first.path, first.size, None, "timeout",
                          f"reading took longer than {timeout_s:g} s{then}; the reader was stopped")
    except ProcessExpired as exc:
        return FailedFile(first.path, first.size, None, "read_failed", f"the reader process died ({exc})")
    except Exception as exc:  # ingest_file never raises for bad input; this is a bug, recorded not raised
        return FailedFile(first.path, first.size, None, "read_failed", f"{type(exc).__name__}: {exc}")
