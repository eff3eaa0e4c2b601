"""Files of a corpus made by outside tools (a scan drawn by Pillow/FreeType, a .doc written by
LibreOffice), and the record that lets a run keep them: ``<corpus>/.tool-made.json`` maps each
such file to the hash of what it was made from, the hash of its bytes and the tool's version.
The file starts with a dot, so the pipeline's folder walk skips it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .generate import Document

TOOL_STAMPS = ".tool-made.json"  # hidden (the pipeline skips dot files), at the corpus root


class ToolMissing(RuntimeError):
    """A document needs an outside tool (LibreOffice) that is not installed, and no stored copy
    made from the same source can stand in."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_source_key(doc: Document, rendered: bytes) -> str:
    """What a tool-made file is made from, as a hash that does not depend on the tool: for a
    doc, its docx's members (names and uncompressed bytes, so not the zlib in use); for a scan,
    the document's blocks and the page layout (render_scan.LAYOUT)."""
    h = hashlib.sha256()
    if doc.spec.fmt == "doc":
        with zipfile.ZipFile(io.BytesIO(rendered)) as z:
            for info in z.infolist():
                data = z.read(info.filename)
                h.update(f"{info.filename}\0{len(data)}\0".encode("utf-8"))
                h.update(data)
    else:
        from .render_scan import scan_source

        h.update(json.dumps(scan_source(doc), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return h.hexdigest()


def read_tool_stamps(root: Path) -> dict[str, dict[str, str]]:
    """``{relative path: {source_sha256, sha256, made_with}}`` from ``root/.tool-made.json``."""
    try:
        data = json.loads((Path(root) / TOOL_STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def stored_tool_output(roots: Sequence[Path], stamps: Sequence[dict], rel: str,
                       key: str) -> tuple[bytes, dict] | None:
    """A stored file at ``rel`` under one of ``roots`` made from the source ``key`` and not
    altered since (its bytes still have the recorded hash)."""
    for root, files in zip(roots, stamps):
        entry = files.get(rel)
        path = Path(root) / rel
        if not entry or entry.get("source_sha256") != key or not path.is_file():
            continue
        data = path.read_bytes()
        if sha256_hex(data) == entry.get("sha256"):
            return data, entry
    return None


def write_tool_stamps(out_dir: Path, entries: dict[str, dict[str, str]]) -> None:
    path = out_dir / TOOL_STAMPS
    if not entries:
        if path.exists():
            path.unlink()
        return
    body = {
        "about": "Files of this corpus made by outside tools, and the hash of what each was made "
                 "from; pipelines.samples.generate keeps a file while its source is unchanged.",
        "files": {rel: entries[rel] for rel in sorted(entries)},
    }
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
