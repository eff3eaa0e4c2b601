"""The scandir walks of the raw folder give exactly what the plain pathlib walks gave.

Each plain form below is the os.walk / rglob code the fast one replaced. The folder built here
holds what a shortcut could get wrong: hidden files and folders, sidecars and manifests (valid,
broken, dangling, a folder), links to files inside and outside, dangling links, loops, links to
folders, a FIFO, names that sort differently as strings and as path parts (``a/x`` and ``a-b/x``),
names that are not UTF-8 (a GB18030 name free and taken), and folders that cannot be listed.
The fingerprint must match byte for byte: builds compare it with the one the last build stored.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path, PurePosixPath

import pytest

from pipelines.build_state import folder_fingerprint
from pipelines.ingest import corpus
from pipelines.ingest.corpus import FailedFile, MetadataInputs, RawScan, metadata_inputs, recorded_path, walk_raw
from pipelines.ingest.incremental import FileStat, Previous, stat_folder
from pipelines.metadata.sidecar import SIDECAR_SUFFIX, _clean, _manifest_rows, is_metadata_file, read_supplied_metadata
from pipelines.metadata.version import metadata_version
from pipelines.warehouse.raw_layer import metadata_to_rederive


def plain_walk_raw(raw_dir: Path) -> RawScan:
    root = raw_dir.resolve()
    scan = RawScan()

    def unreadable(error: OSError) -> None:
        relative = recorded_path(raw_dir, Path(error.filename))
        scan.unreadable_dirs.append(relative)
        scan.refused.append(FailedFile(relative, 0, None, "read_failed", f"cannot list the folder: {error.strerror}"))

    for folder, dirs, files in os.walk(raw_dir, onerror=unreadable):
        dirs.sort()
        for name in sorted(files + [d for d in dirs if (Path(folder) / d).is_symlink()]):
            path = Path(folder) / name
            relative = PurePosixPath(recorded_path(raw_dir, path))
            if any(part.startswith(".") for part in relative.parts) or is_metadata_file(path):
                continue
            if path.is_symlink():
                reason = corpus._link_problem(path, root)
                if reason:
                    scan.refused.append(FailedFile(str(relative), 0, None, "refused_link", reason))
                    continue
                if path.is_dir():
                    continue
            scan.paths.append(path)
    scan.paths.sort()
    return scan


def plain_stat_folder(raw_dir: Path) -> tuple[list[FileStat], RawScan]:
    scan = plain_walk_raw(raw_dir)
    stats = []
    for path in scan.paths:
        recorded, on_disk = recorded_path(raw_dir, path), path.relative_to(raw_dir).as_posix()
        try:
            st = path.stat()
        except OSError as exc:
            scan.refused.append(FailedFile(recorded, 0, None, "read_failed", f"cannot stat the file: {exc.strerror}"))
            continue
        stats.append(FileStat(recorded, st.st_size, st.st_mtime_ns, "" if on_disk == recorded else on_disk))
    return stats, scan


def plain_folder_fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        st = path.stat()
        digest.update(os.fsencode(f"{relative.as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n"))
    return digest.hexdigest()


def plain_read_supplied_metadata(path: Path, recorded_name: str | None = None) -> tuple[dict, str | None, list[str]]:
    """read_supplied_metadata as it was, on Path objects (one manifest read per file)."""
    flags: list[str] = []
    names = {path.name, recorded_name or path.name}
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if sidecar.exists():
        try:
            return _clean(json.loads(sidecar.read_text("utf-8"))), "sidecar", flags
        except (ValueError, TypeError, AttributeError, OSError) as exc:
            flags.append(f"sidecar_invalid: {exc}")
    rows = _manifest_rows(path.with_name("manifest.csv"))
    if isinstance(rows, str):
        return {}, None, [*flags, f"manifest_invalid: {rows}"]
    for row in rows:
        if (row.get("file") or "").strip() in names:
            try:
                return _clean(row), "manifest", flags
            except (ValueError, TypeError) as exc:
                flags.append(f"manifest_invalid: {exc}")
                break
    return {}, None, flags


def _write(path: Path, text: str = "报告") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for relative in ["a/r1.txt", "a/r2.txt", "a/b/c/deep.txt", "a-b/x.txt", "a.b/y.txt", "a b/z.txt", "ab/q.txt",
                     "Zeta/UPPER.TXT", "zeta/lower.txt", "江宁区/2023年报告.txt", "b/data.json", "b/notes.yaml",
                     "b/bad.txt", "b/dl.txt", "m/one.txt", "m2.txt", ".top.txt", "a/.h.txt", ".hidden/h.txt",
                     "a/.git/config", "locked/inside.txt", "a/locked2/x.txt", ".hidden/locked3/x.txt",
                     "g/某县2023年报告.txt"]:
        _write(raw / relative)
    _write(raw / "a/r1.txt.meta.json", '{"county": "江宁区", "year": 2023}')
    _write(raw / "a/manifest.csv", "file,county,year\nr2.txt,某县,2022\n")
    _write(raw / "b/bad.txt.meta.json", "{not json")
    _write(raw / "m/manifest.csv", "file,year\none.txt,not a year\n")
    _write(raw / "m2.txt.meta.json", '{"year": "bad"}')
    (raw / "b/dl.txt.meta.json").symlink_to("nowhere")
    (raw / "a/r2.txt.meta.json").mkdir()
    (raw / "emptydir/sub").mkdir(parents=True)
    _write(tmp_path / "secret.txt", "机密")
    (raw / "out.txt").symlink_to(tmp_path / "secret.txt")
    (raw / "in_abs.txt").symlink_to(raw / "a/r1.txt")
    (raw / "in_rel.txt").symlink_to("a/r2.txt")
    (raw / "dangling.txt").symlink_to("gone.txt")
    (raw / "loop.txt").symlink_to("loop.txt")
    (raw / "l1").symlink_to("l2")
    (raw / "l2").symlink_to("l1")
    (raw / "dirlink").symlink_to("a")
    (raw / "updir").symlink_to("..")
    (raw / "a/outdir").symlink_to(tmp_path)
    (raw / "a/.hiddenlink").symlink_to("r1.txt")
    (raw / ".hidden/out.txt").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(raw / "fifo")
    gbk = "某县2023年报告".encode("gbk")
    for name in [b"g/" + gbk + b".txt", b"g/\xff\xfe.txt", b"gdir_" + "县".encode("gbk") + b"/f.txt", gbk + b".txt"]:
        _write(raw / os.fsdecode(name))
    return raw


@pytest.fixture
def locked(monkeypatch):
    """Folders named ``locked*`` cannot be listed (chmod 000 does not stop root, who runs some CI)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)).startswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _scan_rows(scan: RawScan) -> tuple:
    return [str(p) for p in scan.paths], scan.paths, scan.refused, scan.unreadable_dirs


def test_walk_raw_and_stat_folder_match_the_os_walk_forms(hostile, locked):
    fast = walk_raw(hostile)
    assert _scan_rows(fast) == _scan_rows(plain_walk_raw(hostile))
    assert fast.unreadable_dirs == [".hidden/locked3", "a/locked2", "locked"]  # the folder really was hostile
    assert {f.path for f in fast.refused} >= {"out.txt", "dangling.txt", "loop.txt", "l1", "updir", "a/outdir"}
    stats, scan = stat_folder(hostile)
    plain_stats, plain_scan = plain_stat_folder(hostile)
    assert [(s.path, s.size, s.mtime_ns, s.on_disk) for s in stats] == \
        [(s.path, s.size, s.mtime_ns, s.on_disk) for s in plain_stats]
    assert _scan_rows(scan) == _scan_rows(plain_scan)


def test_a_missing_raw_folder_is_reported_as_the_plain_walk_reports_it(tmp_path):
    assert _scan_rows(walk_raw(tmp_path / "none")) == _scan_rows(plain_walk_raw(tmp_path / "none"))


def test_the_folder_fingerprint_is_the_rglob_one(hostile, locked, tmp_path):
    assert folder_fingerprint(hostile) == plain_folder_fingerprint(hostile)
    os.utime(hostile / "a/r1.txt", ns=(1, 1))  # a touched file changes both alike
    assert folder_fingerprint(hostile) == plain_folder_fingerprint(hostile)
    assert folder_fingerprint(tmp_path / "none") == plain_folder_fingerprint(tmp_path / "none")
    assert folder_fingerprint(hostile / "a/r1.txt") == plain_folder_fingerprint(hostile / "a/r1.txt")


def plain_metadata_inputs(path: Path, relative: str) -> MetadataInputs:
    name = PurePosixPath(relative).name
    supplied, source, flags = plain_read_supplied_metadata(path, name)
    if name != path.name:
        flags.append(f"file_name_not_utf8: recorded as {name}")
    return MetadataInputs(relative, supplied, source, tuple(flags))


def test_metadata_to_rederive_gives_the_plain_inputs(hostile):
    stats, _ = stat_folder(hostile)
    stats.append(FileStat("gone/x.txt", 1, 1))  # listed by the walk, deleted since
    files = {s.path: f"doc{min(n, 1)}" if n < 3 else f"doc{n}" for n, s in enumerate(stats)}  # doc1 in two files
    todo = metadata_to_rederive(hostile, stats, files, {"doc0"}, Previous())
    expected = {}
    for s in sorted(stats, key=lambda s: s.path):
        doc_id = files[s.path]
        if doc_id != "doc0" and doc_id not in expected and s.local(hostile).exists():
            expected[doc_id] = plain_metadata_inputs(s.local(hostile), s.path)
    assert todo == expected
    assert {i.source for i in todo.values()} == {None, "sidecar", "manifest"}
    assert any(f.startswith("file_name_not_utf8") for i in todo.values() for f in i.flags)
    derived = Previous(metadata={d: (i.relative, i.key, metadata_version()) for d, i in todo.items()})
    assert set(metadata_to_rederive(hostile, stats, files, set(), derived)) == {"doc0"}  # only the one never derived


def test_read_supplied_metadata_matches_the_path_form(hostile):
    manifests: dict = {}
    for path in walk_raw(hostile).paths:
        assert read_supplied_metadata(path, None, manifests) == plain_read_supplied_metadata(path)
    assert metadata_inputs(hostile / "a/r1.txt", "a/r1.txt").supplied == {"county": "江宁区", "year": 2023}
