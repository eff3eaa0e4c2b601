"""Legacy Word (.doc, .wps) reading: real Word 97 files made by LibreOffice, look-alikes refused
with what they really are, and the converter's failures (missing, hanging, failing) recorded."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from builders import write_docx, write_txt
from legacy_word_files import (
    NO_SOFFICE_REASON, REPORT_CLOSING, REPORT_HEADING, REPORT_PARAGRAPHS, REPORT_SUBHEADING, REPORT_TABLE,
    REPORT_TITLE, SOFFICE, fake_soffice, ole_with_junk, process_gone, rename_ole_entry, report_items, rtf_bytes,
    set_word_flags, write_doc,
)

from pipelines.ingest.document import ReadLimits, parse_document
from pipelines.ingest.errors import IngestError
from pipelines.ingest.normalize import normalize_text
from pipelines.ingest.readers import legacy_word
from pipelines.ingest.readers.legacy_word import (
    CONVERSION_FAILED_KIND, CONVERTER_MISSING_KIND, read_legacy_word,
)

MAX = 200 * 1024 * 1024
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE_REASON)


@pytest.fixture(scope="module")
def report_doc(tmp_path_factory) -> bytes:
    if SOFFICE is None:
        pytest.skip(NO_SOFFICE_REASON)
    return write_doc(tmp_path_factory.mktemp("doc") / "报告.doc", report_items()).read_bytes()


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            pass
    return found


def _texts(result, kind=None):
    return [b.text for b in result.blocks if kind is None or b.kind == kind]


# --- real conversions -------------------------------------------------------------------------------


@needs_soffice
def test_a_word_97_file_reads_back_headings_paragraphs_and_table_cells(report_doc):
    assert report_doc.startswith(legacy_word.OLE_MAGIC)
    result = read_legacy_word(report_doc, MAX, 120)
    assert result.format == "doc"
    paragraphs = [b for b in result.blocks if b.kind != "table_cell"]
    assert [b.text for b in paragraphs] == [REPORT_TITLE, REPORT_HEADING, *REPORT_PARAGRAPHS, REPORT_SUBHEADING,
                                            REPORT_CLOSING]
    assert [b.heading_level for b in paragraphs if b.text in (REPORT_HEADING, REPORT_SUBHEADING)] == [1, 1]
    cells = {(b.location.table, b.location.row, b.location.col): b.text for b in result.blocks if b.kind == "table_cell"}
    assert cells == {(1, r + 1, c + 1): value for r, row in enumerate(REPORT_TABLE) for c, value in enumerate(row)}
    # the table stands where it was written: after the second heading, before the closing line
    texts = _texts(result)
    assert texts.index(REPORT_SUBHEADING) < texts.index("行政复议") < texts.index(REPORT_CLOSING)


@needs_soffice
def test_the_same_bytes_named_wps_read_the_same(report_doc):
    as_doc = parse_document("青石县报告.doc", report_doc)
    as_wps = parse_document("青石县报告.wps", report_doc)
    assert as_wps.format == as_doc.format == "doc"
    assert as_wps.text == as_doc.text
    assert [b.section_path for b in as_wps.blocks] == [b.section_path for b in as_doc.blocks]


@needs_soffice
def test_a_word_binary_renamed_docx_is_read_as_the_doc_it_is(report_doc):
    assert parse_document("改了扩展名.docx", report_doc).format == "doc"


@needs_soffice
def test_parse_document_reads_a_doc_through_the_pipeline_entry_point(report_doc):
    document = parse_document("旧报告.doc", report_doc)
    assert document.format == "doc"
    assert document.blocks[0].kind == "title" and document.blocks[0].text == REPORT_TITLE
    assert normalize_text("全年办理行政复议案件58件，纠错率为6.9%。") in document.text.splitlines()
    closing = next(b for b in document.blocks if b.text == normalize_text(REPORT_CLOSING))
    assert closing.section_path[-1] == normalize_text(REPORT_SUBHEADING)


@needs_soffice
def test_the_conversion_leaves_no_soffice_running_and_nothing_in_home_or_temp(report_doc, tmp_path, monkeypatch):
    home, temp = tmp_path / "home", tmp_path / "temp"
    home.mkdir()
    temp.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the reader's work directory goes
    read_legacy_word(report_doc, MAX, 120)
    assert list(home.iterdir()) == [] and list(temp.iterdir()) == []
    assert _processes_mentioning(str(temp)) == []


# --- decided from the bytes, without LibreOffice ----------------------------------------------------


@pytest.fixture
def no_converter(tmp_path, monkeypatch):
    """PATH without LibreOffice: anything decided from the bytes must not need it."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


def _error(data: bytes, name: str = "报告.doc") -> IngestError:
    with pytest.raises(IngestError) as caught:
        parse_document(name, data)
    return caught.value


def test_an_rtf_saved_as_doc_is_refused_naming_rtf(no_converter):
    data = rtf_bytes(["青石县2023年法治政府建设年度报告", "全年办理行政复议案件58件，纠错率为6.9%。"])
    error = _error(data)
    assert error.kind == "unsupported_format"
    assert "RTF" in error.reason and ".docx" in error.reason
    assert _error(b"\xef\xbb\xbf\r\n" + data, "报告.wps").kind == "unsupported_format"  # BOM and blank lines first


@pytest.mark.parametrize(
    "data, named",
    [
        ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>全年收到行政复议申请58件。</p></body></html>"
         .encode("utf-8"), "HTML"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n", "MHT"),
        ("%PDF-1.7\n%âãÏÓ\n".encode("latin-1"), "PDF"),
        ("青石县2023年法治政府建设年度报告\n全年办理法律援助案件132件。\n".encode("gb18030"), "plain text"),
        ('<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>'.encode(), "Word 2003 XML"),
    ],
)
def test_other_formats_saved_as_doc_are_refused_with_what_they_are(no_converter, data, named):
    error = _error(data)
    assert error.kind == "unsupported_format"
    assert named in error.reason


def test_a_docx_saved_as_doc_is_read_as_the_docx_it_is(no_converter, tmp_path):
    source = write_docx(tmp_path / "x.docx", [("Heading 1", REPORT_HEADING), REPORT_PARAGRAPHS[0]])
    document = parse_document("改名的报告.doc", source.read_bytes())
    assert document.format == "docx"
    assert document.text.splitlines() == [normalize_text(REPORT_HEADING), normalize_text(REPORT_PARAGRAPHS[0])]


def test_a_zip_that_is_no_docx_is_refused(no_converter, tmp_path):
    import zipfile

    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    error = _error(archive.read_bytes())
    assert error.kind == "unsupported_format" and "OpenDocument" in error.reason


def test_garbage_after_the_ole_signature_is_a_corrupt_file(no_converter):
    for size in (40, 4096):
        error = _error(ole_with_junk(size))
        assert error.kind == "corrupt_file", error
        assert "OLE2" in error.reason


@needs_soffice
def test_an_encrypted_word_binary_is_refused_before_conversion(report_doc, no_converter):
    error = _error(set_word_flags(report_doc, 0x0100))
    assert error.kind == "encrypted"


@needs_soffice
def test_an_ole_file_with_encryption_info_is_encrypted(report_doc, no_converter):
    error = _error(rename_ole_entry(report_doc, "1Table", "EncryptionInfo"))
    assert error.kind == "encrypted"


@needs_soffice
def test_an_ole_file_without_a_word_document_stream_is_unsupported(report_doc, no_converter):
    works = _error(rename_ole_entry(report_doc, "WordDocument", "CONTENTS"), "报告.wps")
    assert works.kind == "unsupported_format" and "Microsoft Works" in works.reason
    other = _error(rename_ole_entry(report_doc, "WordDocument", "WpsNative"), "报告.wps")
    assert other.kind == "unsupported_format" and "WordDocument" in other.reason and "WPS" in other.reason


# --- the converter missing, hanging, failing --------------------------------------------------------

# The OLE checks need a real Word binary, but not LibreOffice: a minimal one is not hand-made here,
# so these tests skip the byte checks and go straight to the conversion.


def _convert_only(monkeypatch, timeout_s: float = 30):
    monkeypatch.setattr(legacy_word, "_check_word_binary", lambda data: None)
    with pytest.raises(IngestError) as caught:
        read_legacy_word(legacy_word.OLE_MAGIC + b"\x00" * 512, MAX, timeout_s)
    return caught.value


def test_no_soffice_on_path_names_the_package_to_install(no_converter, monkeypatch):
    error = _convert_only(monkeypatch)
    assert error.kind == CONVERTER_MISSING_KIND
    assert "libreoffice-writer-nogui" in error.reason and "soffice" in error.reason


def test_a_hanging_conversion_is_a_timeout_and_leaves_no_process(tmp_path, monkeypatch):
    pid_file = tmp_path / "sleeper.pid"
    # soffice starts a child (as soffice starts soffice.bin) and waits for it
    fake_soffice(tmp_path / "bin", f"/bin/sleep 300 &\necho $! > '{pid_file}'\nwait")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    started = time.monotonic()
    error = _convert_only(monkeypatch, timeout_s=1.5)
    assert time.monotonic() - started < 30
    assert error.kind == "timeout" and "1.5 s" in error.reason
    sleeper = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not process_gone(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(sleeper)


def test_a_failing_conversion_reports_soffice_stderr(tmp_path, monkeypatch):
    fake_soffice(tmp_path / "bin", "echo 'Error: source file could not be loaded' >&2\nexit 1")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    error = _convert_only(monkeypatch)
    assert error.kind == CONVERSION_FAILED_KIND
    assert "status 1" in error.reason and "source file could not be loaded" in error.reason


def test_a_conversion_that_writes_nothing_is_a_failure(tmp_path, monkeypatch):
    fake_soffice(tmp_path / "bin", "echo 'convert input.doc -> out/input.docx'\nexit 0")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    error = _convert_only(monkeypatch)
    assert error.kind == CONVERSION_FAILED_KIND and "wrote no .docx" in error.reason


def test_the_text_file_in_a_doc_name_is_refused_as_plain_text(tmp_path, no_converter):
    path = write_txt(tmp_path / "副本.txt", ["青石县2023年法治政府建设年度报告", "全年办理法律援助案件5件。"])
    error = _error(path.read_bytes(), "副本.doc")
    assert error.kind == "unsupported_format" and "plain text" in error.reason and ".txt" in error.reason


@needs_soffice
def test_the_conversion_has_its_own_allowance_inside_the_reading_limit(report_doc):
    # reading may take 0.5 s, but LibreOffice's seconds count against convert_timeout_s instead
    document = parse_document("旧报告.doc", report_doc, ReadLimits(timeout_s=0.5, convert_timeout_s=120))
    assert document.format == "doc"


def test_a_hanging_conversion_through_parse_document_is_a_timeout(tmp_path, monkeypatch):
    fake_soffice(tmp_path / "bin", "exec /bin/sleep 300")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy_word, "_check_word_binary", lambda data: None)
    with pytest.raises(IngestError) as caught:
        limits = ReadLimits(timeout_s=30, convert_timeout_s=1)
        parse_document("旧报告.doc", legacy_word.OLE_MAGIC + b"\x00" * 512, limits)
    assert caught.value.kind == "timeout"
