"""Word 97 .doc files made from composed docx files by LibreOffice, and .doc files read back.

``soffice --headless --convert-to "doc:MS Word 97"`` runs with a private, throw-away profile
(``-env:UserInstallation``), so it neither touches nor waits for the user's LibreOffice, and all of
a run's files go through one soffice process.  LibreOffice 7.4 writes the same bytes for the same
docx (the dates are the docx's own), but other versions write other bytes: generate.py keeps a
stored .doc while the docx it was made from is unchanged (``.tool-made.json``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

DOC_FILTER = "doc:MS Word 97"
TEXT_FILTER = "txt:Text (encoded):UTF8"
TIMEOUT_S = 600


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=1)
def office_version() -> str:
    exe = soffice_path()
    if not exe:
        return "LibreOffice (not installed)"
    with tempfile.TemporaryDirectory(prefix="shufa-lo-") as tmp:
        out = _run([exe, *_profile(tmp), "--version"], tmp, timeout=120).stdout.strip()
    # "LibreOffice 7.4.7.2 40(Build:2)" -> "LibreOffice 7.4.7.2"
    return " ".join(out.split()[:2]) if out else "LibreOffice"


def _profile(tmp: str) -> list[str]:
    return [f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}"]


def _run(cmd: list[str], tmp: str, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": tmp}  # nothing of LibreOffice's lands in the real home
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def _convert(items: dict[str, bytes], suffix: str, target: str, filter_: str) -> dict[str, bytes]:
    exe = soffice_path()
    if not exe:
        raise FileNotFoundError("soffice (LibreOffice) is not installed")
    if not items:
        return {}
    with tempfile.TemporaryDirectory(prefix="shufa-lo-") as tmp:
        src, out = Path(tmp, "in"), Path(tmp, "out")
        src.mkdir()
        names = {}
        for i, (key, data) in enumerate(items.items()):
            p = src / f"{i:04d}{suffix}"  # plain names: no encoding questions on the command line
            p.write_bytes(data)
            names[key] = p
        cmd = [exe, *_profile(tmp), "--headless", "--norestore", "--nologo", "--nodefault",
               "--convert-to", filter_, "--outdir", str(out), *map(str, names.values())]
        result = _run(cmd, tmp, TIMEOUT_S)
        converted = {}
        for key, p in names.items():
            made = out / (p.stem + target)
            if not made.is_file():
                raise RuntimeError(f"LibreOffice did not convert {key} ({p.name}): "
                                   f"exit {result.returncode}, {result.stderr.strip()[-500:]}")
            converted[key] = made.read_bytes()
        return converted


def convert_docx_to_doc(items: dict[str, bytes]) -> dict[str, bytes]:
    """``{key: docx bytes}`` → ``{key: Word 97 .doc bytes}``, in one soffice run."""
    return _convert(items, ".docx", ".doc", DOC_FILTER)


def doc_texts(paths: list[Path]) -> dict[Path, str]:
    """The text of .doc files as LibreOffice reads it (one line per paragraph and table cell)."""
    raw = _convert({p: Path(p).read_bytes() for p in paths}, ".doc", ".txt", TEXT_FILTER)
    return {p: data.decode("utf-8-sig") for p, data in raw.items()}
