"""Real legacy Word files for tests: a docx written by python-docx, converted to Word 97 (.doc) by
LibreOffice; plus the look-alikes a reports folder really holds (RTF and others under a .doc name,
damaged OLE files) and fake ``soffice`` programs that hang or fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from builders import DocxTable, write_docx

SOFFICE = shutil.which("soffice")
# Loud on purpose: these tests run in CI (``make test`` installs LibreOffice); a skip here means
# the machine lacks it, not that the tests do not matter.
NO_SOFFICE_REASON = (
    "!!! LibreOffice (soffice) is NOT on PATH: the legacy Word (.doc/.wps) conversion tests did NOT run !!! "
    "install it with `sudo apt-get install libreoffice-writer-nogui` (make test does)"
)
CONVERT_TIMEOUT_S = 180

# A report in the style of a county's annual rule-of-law report: headings, prose with figures, a
# table (followed by a paragraph: LibreOffice's Word 97 export drops a table that ends the body).
REPORT_TITLE = "青石县2023年法治政府建设年度报告"
REPORT_HEADING = "一、坚持依法全面履行政府职能"
REPORT_PARAGRAPHS = [
    "全年办理行政复议案件58件，纠错率为6.9%。",
    "县政府常务会议专题学法4次，组织领导干部旁听庭审1场。",
]
REPORT_SUBHEADING = "二、严格规范公正文明执法"
REPORT_TABLE = [
    ["事项", "件数", "同比"],
    ["行政复议", "58", "增长12.3%"],
    ["行政应诉", "21", "下降4.5%"],
]
REPORT_CLOSING = "全县行政机关负责人出庭应诉率达到100%。"


def report_items() -> list:
    return [
        ("Title", REPORT_TITLE),
        ("Heading 1", REPORT_HEADING),
        *REPORT_PARAGRAPHS,
        ("Heading 1", REPORT_SUBHEADING),
        DocxTable(REPORT_TABLE),
        REPORT_CLOSING,
    ]


def convert_with_soffice(source: Path, target_dir: Path, convert_to: str) -> Path:
    """``source`` converted by the real LibreOffice into ``target_dir`` (a private profile, as the reader uses)."""
    assert SOFFICE, NO_SOFFICE_REASON
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shufa-test-lo-") as profile:
        completed = subprocess.run(
            [SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--nolockcheck", "--convert-to", convert_to, "--outdir", str(target_dir), str(source)],
            capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, env={**os.environ, "HOME": profile},
        )
    extension = convert_to.split(":", 1)[0]
    converted = target_dir / f"{source.stem}.{extension}"
    assert completed.returncode == 0 and converted.is_file(), (completed.stdout, completed.stderr)
    return converted


def write_doc(path: Path, items: list) -> Path:
    """A Word 97–2003 .doc at ``path`` with ``items`` (as builders.write_docx takes them)."""
    with tempfile.TemporaryDirectory(prefix="shufa-test-doc-") as tmp:
        source = write_docx(Path(tmp) / "source.docx", items)
        converted = convert_with_soffice(source, Path(tmp) / "out", "doc:MS Word 97")
        shutil.copyfile(converted, path)
    return path


def rtf_bytes(lines: list[str]) -> bytes:
    """A small RTF document, Chinese written as \\uN? escapes as Word writes it."""
    def escape(text: str) -> str:
        # RTF's \uN takes a signed 16-bit N; "?" is the fallback character readers skip
        def one(ch: str) -> str:
            return ch if ord(ch) < 128 and ch not in "\\{}" else f"\\u{ord(ch) - (65536 if ord(ch) > 32767 else 0)}?"

        return "".join(one(ch) for ch in text)

    body = "".join(f"\\pard {escape(line)}\\par\n" for line in lines)
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 SimSun;}}\n" + body + "}").encode("ascii")


def ole_with_junk(size: int = 4096) -> bytes:
    """The OLE2 signature followed by bytes that make no compound file."""
    junk = bytes((i * 37 + 11) % 251 for i in range(size))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk


def rename_ole_entry(data: bytes, old: str, new: str) -> bytes:
    """``data`` with the directory entry named ``old`` renamed ``new`` (at most 31 characters).

    A directory entry is 128 bytes, aligned to 128 in the file: a 64-byte UTF-16 name, then its
    length in bytes, terminator included. Good enough to make an OLE file without a WordDocument
    stream, or with an EncryptionInfo one, out of a real .doc.
    """
    needle = old.encode("utf-16-le") + b"\x00\x00"
    start = 0
    while (at := data.find(needle, start)) != -1:
        if at % 128 == 0 and int.from_bytes(data[at + 64:at + 66], "little") == len(needle):
            name = new.encode("utf-16-le") + b"\x00\x00"
            entry = name.ljust(64, b"\x00") + len(name).to_bytes(2, "little")
            return data[:at] + entry + data[at + 66:]
        start = at + 1
    raise AssertionError(f"no directory entry {old!r}")


def set_word_flags(data: bytes, mask: int) -> bytes:
    """``data`` (a .doc) with ``mask`` set in the FIB flags of its WordDocument stream (0x0100: fEncrypted)."""
    import io

    import olefile

    buffer = io.BytesIO(data)
    with olefile.OleFileIO(buffer, write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        flags = int.from_bytes(stream[10:12], "little") | mask
        stream[10:12] = flags.to_bytes(2, "little")
        ole.write_stream("WordDocument", bytes(stream))
    return buffer.getvalue()


def fake_soffice(directory: Path, body: str) -> Path:
    """An executable ``soffice`` shell script in ``directory`` running ``body``."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (absent, or a zombie waiting for a reaper that a container may lack)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"
