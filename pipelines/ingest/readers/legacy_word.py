"""Legacy Word reports (.doc, and .wps files that are Word binaries): checked here, converted by
LibreOffice to docx, read by the docx reader.

A Word 97–2003 document is an OLE2 compound file holding a ``WordDocument`` stream. Kingsoft WPS
writes its .wps files in the same binary format (LibreOffice's Word 97 filter lists ``wps`` among
its extensions), so they convert the same way. Everything that can be decided from the bytes is
decided before LibreOffice starts, which costs seconds per file: a ".doc" that is really RTF, a web
page, plain text or a PDF is refused with what it really is; a docx saved under a .doc name is
simply read as the docx it is; a password-protected file is ``encrypted``; an OLE file without a
``WordDocument`` stream (Microsoft Works' .wps, an Excel workbook renamed) is ``unsupported_format``.

LibreOffice runs headless, once per file, with a private profile in a temporary directory (parallel
workers never share one and nothing is written to $HOME), in its own session so that a conversion
past its time is stopped with everything it spawned (``soffice`` starts ``soffice.bin``).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import olefile

from ..errors import IngestError
from ..model import ReadResult
from ..time_limit import time_limit
from .docx import read_docx

# The two kinds only this reader raises (see errors.py).
CONVERTER_MISSING_KIND = "converter_missing"
CONVERSION_FAILED_KIND = "conversion_failed"

CONVERTERS = ("soffice", "libreoffice")  # looked up on PATH, in this order
INSTALL_HINT = "install LibreOffice: sudo apt-get install libreoffice-writer-nogui (Debian/Ubuntu)"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The FIB (File Information Block) opens the WordDocument stream: wIdent, then at byte 10 the flags.
_WORD_IDENTS = {0xA5EC: "Word 97–2003", 0xA5DC: "Word 6/95"}
_FIB_FLAGS_OFFSET = 10
_F_ENCRYPTED = 0x0100  # fEncrypted: the document is password-protected (RC4 or XOR obfuscation)
# OLE files that are not Word documents, by a stream they hold: what to tell the user.
_OTHER_OLE = (
    ("CONTENTS", "a Microsoft Works document"),
    ("Workbook", "an Excel workbook"),
    ("Book", "an Excel 5/95 workbook"),
    ("PowerPoint Document", "a PowerPoint presentation"),
)
_SAVE_AS_DOCX = "open it in Word or WPS and save it as .docx"
_SNIFF_BYTES = 4096
_ERROR_TAIL_CHARS = 600
_POLL_S = 0.05


def read_legacy_word(data: bytes, max_docx_uncompressed_bytes: int, timeout_s: float | None) -> ReadResult:
    """Blocks of a .doc/.wps file, converted by LibreOffice within ``timeout_s`` (None or 0: no limit).

    ``format`` is "doc" for a converted Word binary, "docx" for a docx that only had a .doc name.
    """
    if not data.startswith(OLE_MAGIC):
        return _read_non_ole(data, max_docx_uncompressed_bytes)
    _check_word_binary(data)
    result = read_docx(_convert_to_docx(data, timeout_s), max_docx_uncompressed_bytes)
    result.format = "doc"
    return result


# --- what the bytes are -------------------------------------------------------------------------


def _refuse(what: str, fix: str) -> IngestError:
    return IngestError("unsupported_format", f"not a Word 97–2003 document: the file is {what}; {fix}")


def _read_non_ole(data: bytes, max_docx_uncompressed_bytes: int) -> ReadResult:
    """A file without the OLE2 signature: a docx under a .doc name is read; anything else is named."""
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data, max_docx_uncompressed_bytes)
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = head.lower()
    if head.startswith(b"{\\rtf"):
        raise _refuse("RTF (Rich Text Format) saved under a .doc name", _SAVE_AS_DOCX)
    if head.startswith(b"%PDF-"):
        raise _refuse("a PDF", "rename it .pdf")
    if lowered.startswith(b"mime-version:") or b"content-type: multipart/related" in lowered:
        raise _refuse("a single-file web page (MHT, as Word's 'save as web page' writes)", "rename it .mht")
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:1024]:
        raise _refuse("a web page (HTML)", "rename it .html")
    if lowered.startswith(b"<?xml"):
        what = "Word 2003 XML" if b"word.document" in lowered or b"<w:worddocument" in lowered else "an XML file"
        raise _refuse(what, _SAVE_AS_DOCX)
    if _looks_like_text(head):
        raise _refuse("plain text", "rename it .txt")
    raise _refuse("in no format shufa recognises (it lacks the OLE2 signature D0 CF 11 E0 A1 B1 1A E1)", _SAVE_AS_DOCX)


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes and decodable as UTF-8 or GB18030 (the last character may be cut off)."""
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a multi-byte character cut by the sniff window
                return True
    return False


def _read_zip(data: bytes, max_docx_uncompressed_bytes: int) -> ReadResult:
    """A zip under a .doc name: a docx is read as one (format "docx"); an ODT or other zip is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise IngestError("corrupt_file", f"a damaged zip archive (a .docx?) under a .doc name: {exc}") from exc
    if "word/document.xml" in names:
        result = read_docx(data, max_docx_uncompressed_bytes)
        result.format = "docx"
        return result
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise _refuse("an OpenDocument text (.odt)", _SAVE_AS_DOCX)
    raise _refuse("a zip archive, not a Word document", "unpack it and put the reports in the folder")


def _check_word_binary(data: bytes) -> None:
    """Raise unless the OLE file is an unencrypted Word binary with a plausible FIB."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptionInfo"):
                raise IngestError("encrypted", "password-protected Office document (encrypted OOXML in OLE)")
            if not ole.exists("WordDocument"):
                raise _not_word_ole(ole)
            fib = ole.openstream("WordDocument").read(_FIB_FLAGS_OFFSET + 2)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # olefile raises OSError, ValueError, struct.error… for damaged structures
        raise IngestError("corrupt_file", f"damaged OLE2 compound file: {type(exc).__name__}: {exc}") from exc
    if len(fib) < _FIB_FLAGS_OFFSET + 2:
        raise IngestError("corrupt_file", f"the WordDocument stream is truncated ({len(fib)} bytes)")
    ident = int.from_bytes(fib[0:2], "little")
    if ident not in _WORD_IDENTS:
        raise IngestError("corrupt_file", f"the WordDocument stream has no Word signature (0x{ident:04X})")
    if int.from_bytes(fib[_FIB_FLAGS_OFFSET:_FIB_FLAGS_OFFSET + 2], "little") & _F_ENCRYPTED:
        raise IngestError("encrypted", f"password-protected {_WORD_IDENTS[ident]} document")


def _not_word_ole(ole: olefile.OleFileIO) -> IngestError:
    for stream, what in _OTHER_OLE:
        if ole.exists(stream):
            return _refuse(f"{what} (an OLE2 file without a WordDocument stream)", _SAVE_AS_DOCX)
    streams = ", ".join(sorted("/".join(entry) for entry in ole.listdir())[:8]) or "none"
    return _refuse(
        f"an OLE2 compound file without a WordDocument stream (streams: {streams}); perhaps an older"
        " Kingsoft WPS format",
        "open it in WPS Office and save it as .docx",
    )


# --- LibreOffice ----------------------------------------------------------------------------------


def _converter() -> str:
    for name in CONVERTERS:
        if path := shutil.which(name):
            return path
    raise IngestError(
        CONVERTER_MISSING_KIND, f"reading .doc/.wps files needs LibreOffice (soffice is not on PATH); {INSTALL_HINT}"
    )


def _convert_to_docx(data: bytes, timeout_s: float | None) -> bytes:
    """The docx LibreOffice makes of ``data``. Runs under its own nested time limit, so the
    conversion has ``timeout_s`` whatever is left of the reading limit around it."""
    soffice = _converter()
    limit = timeout_s if timeout_s and timeout_s > 0 else None
    with tempfile.TemporaryDirectory(prefix="shufa-doc-") as tmp:
        work = Path(tmp)
        source, outdir = work / "input.doc", work / "out"
        source.write_bytes(data)
        outdir.mkdir()
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source),
        ]
        env = {**os.environ, "HOME": tmp}  # anything LibreOffice writes outside its profile stays here too
        with open(work / "stdout", "wb") as out, open(work / "stderr", "wb") as err:
            # a nested limit pauses the reading limit around it; a bit later than ours: a backstop
            with time_limit(limit + 5 if limit else None):
                returncode = _run(command, cwd=tmp, env=env, stdout=out, stderr=err, timeout_s=limit)
        converted = outdir / "input.docx"
        if returncode != 0 or not converted.is_file():
            status = f"exited with status {returncode}" if returncode != 0 else "wrote no .docx"
            raise IngestError(CONVERSION_FAILED_KIND, f"LibreOffice could not convert the file ({status}): "
                              f"{_tail(work / 'stderr') or _tail(work / 'stdout') or 'no message'}")
        return converted.read_bytes()


def _run(command: list[str], *, cwd: str, env: dict, stdout, stderr, timeout_s: float | None) -> int:
    """Run ``command`` in a new session; its exit status. Past ``timeout_s``, or on any exception (a
    time limit's signal), the whole process group is killed.

    The leader is waited for without being reaped (``WNOWAIT``), so the group's id cannot be reused
    before the group is killed; only then is the leader reaped. subprocess.run's timeout would kill
    the leader alone and leave soffice.bin running.
    """
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True
    )
    deadline = time.monotonic() + timeout_s if timeout_s else None
    try:
        while os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise IngestError("timeout", f"LibreOffice took longer than {timeout_s:g} s converting the file;"
                                  " it was stopped")
            time.sleep(_POLL_S)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything the converter left behind, or all of it
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
    return process.returncode


def _tail(path: Path) -> str:
    text = path.read_bytes().decode("utf-8", errors="replace").strip()
    # LibreOffice's noise on machines without Java says nothing about the file
    lines = [line for line in text.splitlines() if "javaldx" not in line]
    text = " | ".join(line.strip() for line in lines if line.strip())
    return text if len(text) <= _ERROR_TAIL_CHARS else "…" + text[-_ERROR_TAIL_CHARS:]
