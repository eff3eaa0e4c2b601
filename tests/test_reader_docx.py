import io
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from builders import DocxTable, write_docx, write_zip_bomb_docx

from pipelines.ingest.document import ReadLimits, parse_document
from pipelines.ingest.errors import IngestError

MiB = 1024 * 1024
REPO = Path(__file__).resolve().parents[1]


def _parse(path, limits=ReadLimits()):
    return parse_document(path.name, path.read_bytes(), limits)


def test_paragraphs_and_tables_in_document_order(tmp_path):
    path = write_docx(
        tmp_path / "r.docx",
        [
            ("Title", "2022年平阳县法治政府建设年度报告"),
            ("Heading 1", "一、推进依法行政"),
            "全年受理行政复议申请26件。",
            DocxTable([["指标", "数值", "单位"], ["法律援助案件", "312", "件"]]),
            ("Heading 2", "(一)强化监督"),
            "办理人大代表建议45件。",
        ],
        header="平阳县人民政府",
        footer="第1页",
    )
    doc = _parse(path)
    assert [b.text for b in doc.blocks] == [
        "2022年平阳县法治政府建设年度报告",
        "一、推进依法行政",
        "全年受理行政复议申请26件。",
        "指标", "数值", "单位", "法律援助案件", "312", "件",
        "(一)强化监督",
        "办理人大代表建议45件。",
    ]  # header and footer are not there
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] == "title" and kinds[1] == "heading" and kinds[3] == "table_cell"
    cell = doc.blocks[7]
    assert (cell.location.table, cell.location.row, cell.location.col) == (1, 2, 2)
    assert cell.section_path == ("一、推进依法行政",)
    assert doc.blocks[-1].section_path == ("一、推进依法行政", "(一)强化监督")
    assert doc.blocks[2].location.paragraph == 3


def test_heading_styles_give_levels_without_numbering(tmp_path):
    path = write_docx(tmp_path / "r.docx", [("Heading 1", "组织领导"), ("Heading 2", "学法用法"), "会前学法12次。"])
    assert _parse(path).blocks[-1].section_path == ("组织领导", "学法用法")


def test_merged_cell_reported_once(tmp_path):
    path = write_docx(tmp_path / "r.docx", ["正文。", DocxTable([["主要指标", "", ""], ["调解成功率", "98.6", "%"]], merge_first_row=True)])
    cells = [b for b in _parse(path).blocks if b.kind == "table_cell"]
    assert [c.text for c in cells] == ["主要指标", "调解成功率", "98.6", "%"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04 this is not really a zip", "corrupt_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64, "encrypted"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "corrupt_file"),  # a damaged .doc renamed .docx
    ],
)
def test_broken_docx(tmp_path, data, kind):
    with pytest.raises(IngestError) as err:
        parse_document("r.docx", data)
    assert err.value.kind == kind


def test_truncated_docx_is_corrupt(tmp_path):
    data = write_docx(tmp_path / "r.docx", ["一段正文。"] * 50).read_bytes()
    with pytest.raises(IngestError) as err:
        parse_document("r.docx", data[: len(data) // 2])
    assert err.value.kind == "corrupt_file"


def test_zip_without_document_part_is_corrupt(tmp_path):
    path = tmp_path / "r.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(IngestError) as err:
        _parse(path)
    assert err.value.kind == "corrupt_file"


def test_docx_expanding_past_limit_is_refused(tmp_path):
    path = write_zip_bomb_docx(tmp_path / "bomb.docx", expanded_bytes=5 * 1024 * 1024)
    assert path.stat().st_size < 100_000
    with pytest.raises(IngestError) as err:
        _parse(path, ReadLimits(max_docx_uncompressed_bytes=1024 * 1024))
    assert err.value.kind == "expands_too_large"


def test_docx_with_no_text(tmp_path):
    path = write_docx(tmp_path / "r.docx", [])
    with pytest.raises(IngestError) as err:
        _parse(path)
    assert err.value.kind == "no_text"


def _docx_with_document_xml(path, paragraphs, edit):
    """A docx of ``paragraphs`` whose word/document.xml is passed through ``edit`` (bytes -> bytes)."""
    source = write_docx(path, paragraphs).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            blob = original.read(info)
            target.writestr(info, edit(blob) if info.filename == "word/document.xml" else blob)
    path.write_bytes(out.getvalue())
    return path


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """``data`` with ``member``'s uncompressed size rewritten to ``size`` in its local header and central directory."""
    patched = bytearray(data)
    name = member.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(member).header_offset
    assert patched[offset:offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", patched, offset + 22, size)
    entry = data.index(b"PK\x01\x02")
    while True:  # central directory entries: 46 fixed bytes, then name, extra, comment
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, entry + 28)
        if data[entry + 46:entry + 46 + name_len] == name:
            struct.pack_into("<I", patched, entry + 24, size)
            return bytes(patched)
        entry += 46 + name_len + extra_len + comment_len


def test_docx_lying_about_its_sizes_is_refused_by_what_it_inflates_to(tmp_path, monkeypatch):
    """The declared sizes pass the check; the 5 MiB document.xml is stopped soon after the 1 MiB limit."""
    filler = "<w:p><w:r><w:t>本段文字反复出现，只为把文档撑大。</w:t></w:r></w:p>".encode()
    path = _docx_with_document_xml(
        tmp_path / "liar.docx", ["开头一段。"], lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler * (5 * MiB // len(filler)))
    )
    data = _declare_size(path.read_bytes(), "word/document.xml", 10_000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(info.file_size for info in archive.infolist()) < MiB  # the lie passes the declared-size check
    inflated = [0]
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        chunk = real_read(self, n)
        inflated[0] += len(chunk)
        return chunk

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    started = time.perf_counter()
    with pytest.raises(IngestError) as err:
        parse_document("liar.docx", data, ReadLimits(max_docx_uncompressed_bytes=MiB))
    assert err.value.kind == "expands_too_large"
    assert "1,048,576-byte limit" in err.value.reason
    assert inflated[0] < 2 * MiB  # stopped near the limit, not after the whole 5 MiB
    assert time.perf_counter() - started < 2


def test_undeclared_entities_do_not_lose_text(tmp_path):
    """HTML entities in document.xml (not well-formed XML) are repaired instead of losing the document."""
    path = _docx_with_document_xml(
        tmp_path / "r.docx",
        ["全县共建成法治文化公园九处。", "本年度新增村级公共法律服务点十四个。"],
        lambda xml: xml.replace(b"</w:p><w:p>", b"</w:p>&nbsp;<w:p>", 1).replace(
            "新增村级".encode(), "新增&ldquo;村级&rdquo;&foo;".encode()
        ),
    )
    texts = [b.text for b in _parse(path).blocks]
    assert texts[0] == "全县共建成法治文化公园九处。"
    assert texts[1] == "本年度新增“村级”&foo;公共法律服务点十四个。"  # a name HTML does not define is kept as written


def test_external_entities_are_still_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容不应出现")
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'.encode()
    path = _docx_with_document_xml(
        tmp_path / "r.docx",
        ["正文开始。"],
        lambda xml: xml.replace(b"<w:document ", doctype + b"<w:document ", 1).replace("正文开始".encode(), "正文开始&xxe;".encode()),
    )
    try:
        texts = [b.text for b in _parse(path).blocks]
    except IngestError as err:
        assert err.kind == "corrupt_file"
    else:
        assert not any("机密" in t for t in texts)


def test_memory_error_while_parsing_is_recorded(tmp_path, monkeypatch):
    from pipelines.ingest.readers import docx as docx_reader

    def exhausted(*args, **kwargs):
        raise MemoryError

    path = write_docx(tmp_path / "r.docx", ["一段正文。"])
    monkeypatch.setattr(docx_reader.docx, "Document", exhausted)  # the python-docx route
    monkeypatch.setattr(docx_reader, "_load_package", exhausted)  # the fast route
    with pytest.raises(IngestError) as err:
        _parse(path)
    assert err.value.kind == "out_of_memory"


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_AS on Windows")
def test_limit_memory_makes_large_allocations_fail_in_the_worker():
    code = (
        "from pipelines.ingest.worker_limits import limit_memory\n"
        "limit_memory(300 * 1024 * 1024)\n"
        "try:\n"
        "    block = bytearray(1024 * 1024 * 1024)\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
        "else:\n"
        "    print('allocated')\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "MemoryError"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_docx_too_big_for_the_worker_ceiling_is_out_of_memory(tmp_path):
    """Under a real ceiling, libxml2's failed allocation (a syntax error to lxml) is out_of_memory, not corrupt_file."""
    filler = "<w:p><w:r><w:t>一</w:t></w:r></w:p>".encode()
    path = _docx_with_document_xml(
        tmp_path / "big.docx", ["开头。"], lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler * (40 * MiB // len(filler)))
    )
    code = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from pipelines.ingest.document import parse_document\n"
        "from pipelines.ingest.errors import IngestError\n"
        "from pipelines.ingest.worker_limits import limit_memory\n"
        "data = Path(sys.argv[1]).read_bytes()\n"
        "used = int(re.search(r'VmSize:\\s+(\\d+) kB', Path('/proc/self/status').read_text()).group(1)) * 1024\n"
        "limit_memory(used + 200 * 1024 * 1024)\n"
        "try:\n"
        "    parse_document('big.docx', data)\n"
        "except IngestError as err:\n"
        "    print(err.kind)\n"
    )
    child = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "out_of_memory"


def test_limit_memory_never_raises_the_hard_limit():
    code = (
        "import resource\n"
        "from pipelines.ingest.worker_limits import limit_memory\n"
        "resource.setrlimit(resource.RLIMIT_AS, (400 * 1024 * 1024, 500 * 1024 * 1024))\n"
        "limit_memory(4 * 1024 ** 3)\n"
        "print(*resource.getrlimit(resource.RLIMIT_AS))\n"
    )
    if sys.platform == "win32":
        pytest.skip("no RLIMIT_AS on Windows")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == [str(500 * 1024 * 1024)] * 2
