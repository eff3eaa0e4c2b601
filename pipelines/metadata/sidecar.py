"""Metadata a person supplied next to a report: ``<file>.meta.json`` or a folder ``manifest.csv``.

These are the most trusted source (someone who knew the report wrote them down), so a bad
sidecar is reported as a flag on the document, never a reason to drop the document.
"""

from __future__ import annotations

import csv
import errno
import json
import os
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"
FIELDS = ("county", "county_code", "city", "province", "year", "report_type", "issuer_role")


def is_metadata_file(path: Path) -> bool:
    return is_metadata_name(path.name)


def is_metadata_name(name: str) -> bool:
    """is_metadata_file on a bare file name, for walks that have names, not Path objects."""
    return name.endswith(SIDECAR_SUFFIX) or name == MANIFEST_NAME


def _clean(record: dict) -> dict:
    out = {k: record[k] for k in FIELDS if record.get(k) not in (None, "")}
    if "year" in out:
        out["year"] = int(out["year"])
    if "county_code" in out:
        out["county_code"] = str(out["county_code"]).strip()
    return out


def read_supplied_metadata(path: Path, recorded_name: str | None = None, manifests: dict | None = None
                           ) -> tuple[dict, str | None, list[str]]:
    """(fields, source, flags) for a report file: sidecar beats manifest; invalid ones give a flag.

    A manifest row names the file as on disk or, for a name that is not UTF-8 on disk, as recorded.
    ``manifests`` (manifest path, a str -> its rows or the error) keeps each manifest read once when many
    files of one folder are looked up together.
    """
    flags: list[str] = []
    names = {path.name, recorded_name or path.name}
    local = os.fspath(path)  # str paths below: this runs for every stored document on each build
    sidecar = local + SIDECAR_SUFFIX
    if _exists(sidecar):
        try:
            return _clean(json.loads(Path(sidecar).read_text("utf-8"))), "sidecar", flags
        except (ValueError, TypeError, AttributeError, OSError) as exc:
            flags.append(f"sidecar_invalid: {exc}")
    manifest = os.path.join(os.path.dirname(local), MANIFEST_NAME)
    if manifests is None:
        manifests = {}
    if manifest not in manifests:
        manifests[manifest] = _manifest_rows(Path(manifest))
    rows = manifests[manifest]
    if isinstance(rows, str):
        flags.append(f"manifest_invalid: {rows}")
        return {}, None, flags
    for row in rows:
        if (row.get("file") or "").strip() in names:
            try:
                return _clean(row), "manifest", flags
            except (ValueError, TypeError) as exc:
                flags.append(f"manifest_invalid: {exc}")
                break
    return {}, None, flags


# Errors Path.exists() answers False to instead of raising (pathlib._ignore_error)
_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _exists(path: str) -> bool:
    """Path(path).exists() without building a Path: a missing file is False, other errors raise."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return False
        raise
    except ValueError:  # an embedded NUL, as Path.exists
        return False
    return True


def _manifest_rows(manifest: Path) -> list[dict] | str:
    """A manifest's rows ([] when there is none), or why it cannot be read."""
    if not manifest.exists():
        return []
    try:
        with manifest.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except (ValueError, csv.Error, OSError) as exc:
        return str(exc)
