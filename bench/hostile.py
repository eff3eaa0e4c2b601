"""Hostile report files for the soak test (bench/soak.py): one small generator per kind, in one table.

A folder that reports are dropped into collects whatever people and scripts put there: half-copied
files, renamed binaries, password-protected PDFs, zip bombs, text in old encodings, symlinks that
point anywhere, files still being written. ``KINDS`` lists one generator per such case; the soak
writes a fresh instance of each kind every round (new random figures, so new content to parse) next
to real reports, and checks that every one of them ends up either as a document or as an
``ingest_errors`` row, never crashing the build and never silently missing.

The report text is written here, not taken from the sample corpus, and names no real county
(``某县``, a masked name): a hostile file that happens to be readable then adds documents and facts
but no county-year values, so the warehouse's models can still be compared with a clean build of the
good files alone. Nothing here imports the pipeline: the files must not be shaped by the code under
test.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PDF_FONT = "STSong-Light"  # reportlab's built-in CJK font: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
MiB = 1024 * 1024


@dataclass
class Context:
    """What a generator needs: randomness, where to write, what must never leak into the warehouse."""

    rng: random.Random
    folder: Path  # inside the raw folder: where this round's hostile files go
    outside: Path  # outside the raw folder: symlink and external-entity targets
    canary: str  # a token written only outside the raw folder; seeing it in the warehouse is a leak
    round: int
    cache: dict = field(default_factory=dict)  # expensive bytes (zip bombs) built once per soak


@dataclass(frozen=True)
class Kind:
    """One kind of hostile file. ``expect`` is what a careful pipeline makes of it (error / document / either);
    ``error_kind`` the ``ingest_errors.error_kind`` it would record. Both are for the report, not checks.
    ``varies``: instances differ in kind of damage (random bytes), so their outcomes may differ too; for the
    other kinds a different outcome in another round means the outcome depends on the folder's history."""

    name: str
    make: Callable[[Context, str], list[Path]]  # (context, file stem) -> paths written, links included
    expect: str
    error_kind: str | None = None
    varies: bool = False


# ---------------------------------------------------------------- report text (written for this file)

def _token(rng: random.Random) -> str:
    """Letters only, so the token itself is never read as a figure."""
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(10))


def report_lines(rng: random.Random) -> list[str]:
    """A short 法治政府建设年度报告 of a masked county, with fresh figures each call."""
    n = rng.randint
    year = n(2019, 2024)
    return [
        f"某县{year}年法治政府建设年度报告",
        "一、加强党对法治政府建设的领导",
        f"全年召开县委全面依法治县委员会会议{n(1, 5)}次,县政府常务会议专题学法{n(4, 12)}次,"
        f"举办领导干部法治专题讲座{n(2, 8)}场。",
        "二、严格规范公正文明执法",
        f"组织行政执法人员业务培训{n(300, 2000)}人次,评查行政执法案卷{n(100, 900)}件,"
        f"发现并整改问题{n(10, 90)}个。",
        "三、依法化解矛盾纠纷",
        f"全年受理行政复议案件{n(20, 200)}件,审结{n(20, 200)}件;行政机关负责人出庭应诉率达到{n(90, 100)}%。",
        f"各级人民调解组织排查化解矛盾纠纷{n(1000, 9000)}件,调解成功率{n(95, 98)}.{n(0, 9)}%。",
        "四、深化法治宣传教育",
        f"开展普法宣传活动{n(50, 400)}场,发放宣传资料{n(1, 30)}万余份,办理法律援助案件{n(100, 900)}件。",
        "五、存在的问题和下一步打算",
        f"我县法治政府建设仍有短板,下一步将持续用力、久久为功。(材料编号{_token(rng)})",
    ]


def traditional_lines(rng: random.Random) -> list[str]:
    """The same kind of report in traditional characters, for Big5."""
    n = rng.randint
    return [
        f"某縣{n(2019, 2024)}年法治政府建設年度報告",
        "一、加強黨對法治政府建設的領導",
        f"全年召開縣委全面依法治縣委員會會議{n(1, 5)}次,縣政府常務會議專題學法{n(4, 12)}次。",
        "二、依法化解矛盾糾紛",
        f"全年受理行政復議案件{n(20, 200)}件,審結{n(20, 200)}件;行政機關負責人出庭應訴率達到{n(90, 100)}%。",
        f"開展普法宣傳活動{n(50, 400)}場,辦理法律援助案件{n(100, 900)}件。(材料編號{_token(rng)})",
    ]


def txt_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def docx_bytes(lines: list[str]) -> bytes:
    """A real docx (python-docx): numbered lines as Heading 1, the rest as body paragraphs."""
    document = docx.Document()
    for line in lines:
        heading = re.match(r"^[一二三四五六七八九十]+、", line)
        document.add_paragraph(line, style="Heading 1" if heading else None)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str], password: str | None = None) -> bytes:
    """A real text PDF (reportlab, CJK font), lines wrapped at 36 characters; ``password`` encrypts it."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1, encrypt=password)
    c.setFont(PDF_FONT, 12)
    y = A4[1] - 30 * mm
    for line in lines:
        for start in range(0, len(line), 36):
            c.drawString(25 * mm, y, line[start:start + 36])
            y -= 12 * 1.8
    c.showPage()
    c.save()
    return out.getvalue()


BASE_WRITERS: dict[str, Callable[[list[str]], bytes]] = {"txt": txt_bytes, "docx": docx_bytes, "pdf": pdf_bytes}


def base_report(ctx: Context, fmt: str) -> bytes:
    return BASE_WRITERS[fmt](report_lines(ctx.rng))


def _write(path: Path, data: bytes) -> list[Path]:
    path.write_bytes(data)
    return [path]


# ---------------------------------------------------------------- zip surgery (a docx is a zip)

def _rezip(data: bytes, replace: dict[str, bytes] | None = None, comment: bytes = b"") -> bytes:
    """The archive with some entries' contents replaced, everything else copied."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)), zipfile.ZIP_DEFLATED)
        dst.comment = comment
    return out.getvalue()


def _central_entries(data: bytes) -> dict[str, int]:
    """Entry name -> offset of its central-directory record (parsed by hand: zipfile hides them)."""
    eocd = data.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HII", data, eocd + 10)
    entries, pos = {}, offset
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        entries[data[pos + 46:pos + 46 + name_len].decode("utf-8", "replace")] = pos
        pos += 46 + name_len + extra_len + comment_len
    return entries


def _patch_entry(data: bytes, name: str, crc: int | None = None, size: int | None = None) -> bytes:
    """Overwrite an entry's declared CRC and/or uncompressed size in both its local and central headers."""
    buf = bytearray(data)
    central = _central_entries(data)[name]
    local = struct.unpack_from("<I", buf, central + 42)[0]
    for field_offset, value in ((16, crc), (24, size)):  # central header fields; local ones sit 2 bytes earlier
        if value is not None:
            struct.pack_into("<I", buf, central + field_offset, value)
            struct.pack_into("<I", buf, local + field_offset - 2, value)
    return bytes(buf)


def _compressed_span(data: bytes, name: str) -> tuple[int, int]:
    """(start, length) of an entry's compressed bytes."""
    central = _central_entries(data)[name]
    (compressed,) = struct.unpack_from("<I", data, central + 20)
    local = struct.unpack_from("<I", data, central + 42)[0]
    name_len, extra_len = struct.unpack_from("<HH", data, local + 26)
    return local + 30 + name_len + extra_len, compressed


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def _with_entity(xml: bytes, doctype: str, reference: str) -> bytes:
    """document.xml with a DOCTYPE after its XML declaration and an entity reference in its first text run."""
    declaration_end = xml.index(b"?>") + 2
    xml = xml[:declaration_end] + doctype.encode() + xml[declaration_end:]
    return re.sub(rb"(<w:t(?: [^>]*)?>)", lambda m: m.group(1) + reference.encode(), xml, count=1)


def _padded_docx(ctx: Context, padding_bytes: int, in_document: bool = False) -> tuple[bytes, bytes]:
    """(a docx that expands by ``padding_bytes`` of zeros or spaces, its original document.xml).

    The padding is an extra part, or (``in_document``) an XML comment after document.xml's root
    element, so that reading document.xml to its end means expanding all of it. Cached: compressing
    hundreds of MB takes seconds, and every round only changes the archive comment.
    """
    key = ("padded", padding_bytes, in_document)
    if key not in ctx.cache:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(base_report(ctx, "docx"))) as src, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            original = src.read("word/document.xml")
            for info in src.infolist():
                if not (in_document and info.filename == "word/document.xml"):
                    dst.writestr(info.filename, src.read(info))
            name = "word/document.xml" if in_document else "word/media/padding.bin"
            with dst.open(name, "w") as part:
                if in_document:
                    part.write(original + b"<!--")
                chunk = (b" " if in_document else b"\0") * MiB
                for _ in range(padding_bytes // MiB):
                    part.write(chunk)
                if in_document:
                    part.write(b"-->")
        ctx.cache[key] = out.getvalue(), original
    return ctx.cache[key]


def _expansion_limit() -> int:
    """The docx expansion limit the build applies (SHUFA_MAX_DOCX_EXPANDED_MB, as the README documents it)."""
    return int(os.environ.get("SHUFA_MAX_DOCX_EXPANDED_MB", 200)) * MiB


def _with_comment(data: bytes, comment: bytes) -> bytes:
    """The same archive with a new end-of-archive comment: new bytes, same entries, no recompression."""
    eocd = data.rfind(b"PK\x05\x06")
    return data[:eocd + 20] + struct.pack("<H", len(comment)) + comment


# ---------------------------------------------------------------- generators, one per kind

def empty(ext: str):
    def make(ctx: Context, stem: str) -> list[Path]:
        return _write(ctx.folder / f"{stem}.{ext}", b"")
    return make


def truncated(fmt: str):
    """A copy interrupted part-way: the first 10–90% of a real file."""
    def make(ctx: Context, stem: str) -> list[Path]:
        data = base_report(ctx, fmt)
        return _write(ctx.folder / f"{stem}.{fmt}", data[:int(len(data) * ctx.rng.uniform(0.1, 0.9))])
    return make


def byte_flips(fmt: str):
    """Bit rot: 1–20 random bytes of a real file replaced."""
    def make(ctx: Context, stem: str) -> list[Path]:
        data = bytearray(base_report(ctx, fmt))
        for _ in range(ctx.rng.randint(1, 20)):
            data[ctx.rng.randrange(len(data))] = ctx.rng.randrange(256)
        return _write(ctx.folder / f"{stem}.{fmt}", bytes(data))
    return make


def zip_bad_crc(ctx: Context, stem: str) -> list[Path]:
    """A docx whose document.xml does not match its recorded CRC-32."""
    data = base_report(ctx, "docx")
    crc = zlib.crc32(_document_xml(data)) ^ (1 << ctx.rng.randrange(32))
    return _write(ctx.folder / f"{stem}.docx", _patch_entry(data, "word/document.xml", crc=crc))


def zip_bad_deflate(ctx: Context, stem: str) -> list[Path]:
    """A docx whose document.xml deflate stream is damaged in the middle (headers intact)."""
    data = bytearray(base_report(ctx, "docx"))
    start, length = _compressed_span(bytes(data), "word/document.xml")
    for _ in range(8):
        data[start + ctx.rng.randrange(length // 4, 3 * length // 4)] = ctx.rng.randrange(256)
    return _write(ctx.folder / f"{stem}.docx", bytes(data))


def binary_named(ext: str):
    """Not a report at all: random bytes, optionally behind a plausible magic number."""
    magics = {"pdf": [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n"], "docx": [b"", b"PK\x03\x04", b"\x7fELF\x02\x01\x01"]}

    def make(ctx: Context, stem: str) -> list[Path]:
        magic = ctx.rng.choice(magics[ext])
        return _write(ctx.folder / f"{stem}.{ext}", magic + ctx.rng.randbytes(ctx.rng.randint(100, 60_000)))
    return make


def wrong_extension(real: str, named: str):
    """A real, readable report under the other format's extension (a PDF saved as .docx)."""
    def make(ctx: Context, stem: str) -> list[Path]:
        return _write(ctx.folder / f"{stem}.{named}", base_report(ctx, real))
    return make


def encrypted_pdf(ctx: Context, stem: str) -> list[Path]:
    """A genuinely password-protected PDF (user password required to open)."""
    return _write(ctx.folder / f"{stem}.pdf", pdf_bytes(report_lines(ctx.rng), password=_token(ctx.rng)))


def encrypted_looking_pdf(ctx: Context, stem: str) -> list[Path]:
    """A readable PDF whose trailer claims an /Encrypt dictionary that is nonsense."""
    data = base_report(ctx, "pdf")
    bogus = b"<< /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> "
    return _write(ctx.folder / f"{stem}.pdf", re.sub(rb"trailer\s*<<", b"trailer\n" + bogus, data, count=1))


def encrypted_docx(ctx: Context, stem: str) -> list[Path]:
    """What Word writes for a password-protected .docx: an OLE container with an EncryptionInfo stream."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    body = ctx.rng.randbytes(4096) + "EncryptionInfo".encode("utf-16-le") + ctx.rng.randbytes(8192)
    return _write(ctx.folder / f"{stem}.docx", ole + body)


def zip_bomb(ctx: Context, stem: str) -> list[Path]:
    """A valid docx with a part that expands 10 MB past the build's limit (≈ 200 KB on disk)."""
    bomb, _ = _padded_docx(ctx, _expansion_limit() + 10 * MiB)
    return _write(ctx.folder / f"{stem}.docx", _with_comment(bomb, _token(ctx.rng).encode()))


def lying_sizes(ctx: Context, stem: str) -> list[Path]:
    """A docx whose headers lie about sizes. Either its document.xml really expands past the limit but
    declares (with a matching CRC) only its first, well-formed part; or a small document.xml declares 3 GB."""
    if ctx.rng.random() < 0.5:
        padded, original = _padded_docx(ctx, _expansion_limit() + 10 * MiB, in_document=True)
        data = _patch_entry(padded, "word/document.xml", crc=zlib.crc32(original), size=len(original))
    else:
        data = _patch_entry(base_report(ctx, "docx"), "word/document.xml", size=3 * 1024 * MiB)
    return _write(ctx.folder / f"{stem}.docx", _with_comment(data, _token(ctx.rng).encode()))


def billion_laughs(ctx: Context, stem: str) -> list[Path]:
    """document.xml with nested internal entities that expand to 10^9 'lol's if resolved."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE w:document [" + "".join(entities) + "]>"
    data = base_report(ctx, "docx")
    xml = _with_entity(_document_xml(data), doctype, "&lol9;")
    return _write(ctx.folder / f"{stem}.docx", _rezip(data, {"word/document.xml": xml}))


def xxe(ctx: Context, stem: str) -> list[Path]:
    """document.xml with an external entity naming a file outside the raw folder (holding the canary)."""
    secret = ctx.outside / "xxe机密.txt"
    secret.write_text(f"外部实体不应被读取 {ctx.canary}\n", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret.as_posix()}">]>'
    data = base_report(ctx, "docx")
    xml = _with_entity(_document_xml(data), doctype, "&xxe;")
    return _write(ctx.folder / f"{stem}.docx", _rezip(data, {"word/document.xml": xml}))


def undeclared_entity(ctx: Context, stem: str) -> list[Path]:
    """document.xml using an entity no DTD declares (an HTML habit: &nbsp;)."""
    data = base_report(ctx, "docx")
    xml = _with_entity(_document_xml(data), "", "&nbsp;&shufa_undeclared;")
    return _write(ctx.folder / f"{stem}.docx", _rezip(data, {"word/document.xml": xml}))


def txt_with_line(line: Callable[[random.Random], str]):
    """A readable txt report with one pathological line in the middle."""
    def make(ctx: Context, stem: str) -> list[Path]:
        lines = report_lines(ctx.rng)
        return _write(ctx.folder / f"{stem}.txt", txt_bytes(lines[:6] + [line(ctx.rng)] + lines[6:]))
    return make


def _masked_400(rng: random.Random) -> str:
    return "全年办理法律援助案件" + "*" * 400 + "件。"


def _digits_400(rng: random.Random) -> str:
    return "全年受理行政复议案件" + str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(399)) + "件。"


def _ones_120k(rng: random.Random) -> str:
    return "排查化解矛盾纠纷" + ",".join(["111"] * 30_000) + "件。"


def _many_figures(rng: random.Random) -> str:
    return "其中各乡镇分别受理行政复议案件" + ",".join(f"{rng.randint(1, 999)}件" for _ in range(3000)) + "。"


def encoded_txt(encoding: str, traditional: bool = False):
    """A report in a legacy or wide encoding (UTF-16 with BOM, UTF-16LE without, GBK, Big5)."""
    def make(ctx: Context, stem: str) -> list[Path]:
        lines = traditional_lines(ctx.rng) if traditional else report_lines(ctx.rng)
        return _write(ctx.folder / f"{stem}.txt", txt_bytes(lines, encoding))
    return make


def copy_pair(ctx: Context, stem: str) -> list[Path]:
    """Identical bytes under two names that differ only in extension: 副本.docx and 副本.doc."""
    data = base_report(ctx, "docx")
    return _write(ctx.folder / "副本.docx", data) + _write(ctx.folder / "副本.doc", data)


def symlink_outside(ctx: Context, stem: str) -> list[Path]:
    """A link inside the raw folder to a report outside it (whose text holds the canary)."""
    target = ctx.outside / "外部报告.txt"
    target.write_bytes(txt_bytes(report_lines(ctx.rng) + [f"此文件位于输入目录之外 {ctx.canary}"]))
    link = ctx.folder / f"{stem}.txt"
    link.symlink_to(target)
    return [link]


def dangling_symlink(ctx: Context, stem: str) -> list[Path]:
    link = ctx.folder / f"{stem}.pdf"
    link.symlink_to(ctx.outside / f"不存在的文件{_token(ctx.rng)}.pdf")
    return [link]


def symlink_loop(ctx: Context, stem: str) -> list[Path]:
    """Two links pointing at each other: stat() fails with ELOOP."""
    first, second = ctx.folder / f"{stem}甲.txt", ctx.folder / f"{stem}乙.txt"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    return [first, second]


def symlink_dir_loop(ctx: Context, stem: str) -> list[Path]:
    """A folder link to its own parent: a walker that follows it sees every file again, forever."""
    link = ctx.folder / stem
    link.symlink_to(".")
    return [link]


def unreadable_file(ctx: Context, stem: str) -> list[Path]:
    """chmod 000 (meaningless as root, who reads it anyway)."""
    path = ctx.folder / f"{stem}.txt"
    path.write_bytes(base_report(ctx, "txt"))
    path.chmod(0)
    return [path]


def unreadable_folder(ctx: Context, stem: str) -> list[Path]:
    """A subfolder with reports in it, chmod 000: its files cannot even be listed (except by root)."""
    folder = ctx.folder / stem
    folder.mkdir()
    written = _write(folder / "锁定报告.txt", base_report(ctx, "txt")) + _write(folder / "锁定报告.pdf", base_report(ctx, "pdf"))
    folder.chmod(0)
    return written


def name_not_utf8(ctx: Context, stem: str) -> list[Path]:
    """A file name in GBK bytes (a zip made on Windows, unpacked on Linux): not valid UTF-8."""
    name = os.fsdecode("某县报告".encode("gbk") + f"_{stem}.txt".encode())
    return _write(ctx.folder / name, base_report(ctx, "txt"))


def name_newline(ctx: Context, stem: str) -> list[Path]:
    return _write(ctx.folder / f"换行\n{stem}.txt", base_report(ctx, "txt"))


def long_name(ctx: Context, stem: str) -> list[Path]:
    """A name of 240 bytes (80 CJK characters), near the 255-byte limit of most file systems."""
    return _write(ctx.folder / ("长" * (80 - len(stem) // 3 - 2) + f"{stem}.txt"), base_report(ctx, "txt"))


def appending(ctx: Context, stem: str) -> list[Path]:
    """A txt report the soak keeps appending to while the build runs (see Appender)."""
    return _write(ctx.folder / f"{stem}.txt", base_report(ctx, "txt"))


KINDS: tuple[Kind, ...] = (
    Kind("empty_docx", empty("docx"), "error", "empty_file"),
    Kind("empty_pdf", empty("pdf"), "error", "empty_file"),
    Kind("empty_txt", empty("txt"), "error", "empty_file"),
    Kind("truncated_docx", truncated("docx"), "error", "corrupt_file"),
    Kind("truncated_pdf", truncated("pdf"), "either", "corrupt_file", varies=True),
    Kind("byte_flips_docx", byte_flips("docx"), "either", varies=True),
    Kind("byte_flips_pdf", byte_flips("pdf"), "either", varies=True),
    Kind("byte_flips_txt", byte_flips("txt"), "either", varies=True),
    Kind("zip_bad_crc", zip_bad_crc, "error", "corrupt_file"),
    Kind("zip_bad_deflate", zip_bad_deflate, "error", "corrupt_file"),
    Kind("binary_as_pdf", binary_named("pdf"), "error", "corrupt_file", varies=True),
    Kind("binary_as_docx", binary_named("docx"), "error", "corrupt_file", varies=True),
    Kind("pdf_named_docx", wrong_extension("pdf", "docx"), "error", "corrupt_file"),
    Kind("docx_named_pdf", wrong_extension("docx", "pdf"), "error", "corrupt_file"),
    Kind("encrypted_pdf", encrypted_pdf, "error", "encrypted"),
    Kind("encrypted_looking_pdf", encrypted_looking_pdf, "either"),
    Kind("encrypted_docx", encrypted_docx, "error", "encrypted"),
    Kind("zip_bomb", zip_bomb, "error", "expands_too_large"),
    Kind("lying_sizes", lying_sizes, "either", varies=True),
    Kind("billion_laughs", billion_laughs, "either"),
    Kind("xxe", xxe, "either"),
    Kind("undeclared_entity", undeclared_entity, "either", "corrupt_file"),
    Kind("masked_400", txt_with_line(_masked_400), "document"),
    Kind("digits_400", txt_with_line(_digits_400), "document"),
    Kind("ones_120k_line", txt_with_line(_ones_120k), "document"),
    Kind("many_figures", txt_with_line(_many_figures), "document"),
    Kind("utf16_bom", encoded_txt("utf-16"), "document"),
    Kind("utf16le_no_bom", encoded_txt("utf-16-le"), "either"),
    Kind("gbk", encoded_txt("gbk"), "document"),
    Kind("big5", encoded_txt("big5", traditional=True), "document"),
    Kind("copy_pair", copy_pair, "either"),  # 副本.docx a document, 副本.doc unsupported_format
    Kind("symlink_outside", symlink_outside, "either"),
    Kind("dangling_symlink", dangling_symlink, "error", "read_failed"),
    Kind("symlink_loop", symlink_loop, "error", "read_failed"),
    Kind("symlink_dir_loop", symlink_dir_loop, "either"),
    Kind("unreadable_file", unreadable_file, "error", "read_failed"),
    Kind("unreadable_folder", unreadable_folder, "error", "read_failed"),
    Kind("name_not_utf8", name_not_utf8, "document"),  # read; recorded under its GB18030 reading
    Kind("name_newline", name_newline, "either"),
    Kind("long_name", long_name, "document"),
    Kind("appending", appending, "either", varies=True),  # read whole, or refused as still changing: timing
)
KINDS_BY_NAME = {k.name: k for k in KINDS}


# ---------------------------------------------------------------- helpers the soak uses on these files

class Appender(threading.Thread):
    """Appends a report line to a file every few milliseconds until stopped: a file still being
    written (a slow copy, a script logging into the folder) while the build reads the folder."""

    def __init__(self, path: Path, rng: random.Random, interval_s: float = 0.03):
        super().__init__(daemon=True)
        self.path, self.rng, self.interval_s = path, rng, interval_s
        self.stop = threading.Event()
        self.lines = 0

    def run(self) -> None:
        with self.path.open("ab") as handle:
            while not self.stop.wait(self.interval_s):
                handle.write(f"追加第{self.lines + 1}条:本月新收行政复议申请{self.rng.randint(1, 60)}件。\n".encode())
                handle.flush()
                self.lines += 1


def unlock(path: Path) -> None:
    """Give back the permissions unreadable_* took, so the tree can be removed."""
    if path.is_symlink() or not path.exists():
        return
    path.chmod(stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
    if path.is_dir():
        for child in path.iterdir():
            unlock(child)


def remove(path: Path) -> None:
    """Delete a generated file, link or folder, whatever its permissions."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        unlock(path)
        shutil.rmtree(path)
