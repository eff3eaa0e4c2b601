"""parse_document and ingest_file: format dispatch, limits, and bad input turned into errors."""

import pytest
from builders import write_txt

from pipelines.ingest.corpus import FailedFile, ingest_corpus, ingest_file, scan_raw
from pipelines.ingest.document import ReadLimits, detect_format, parse_document
from pipelines.ingest.errors import ERROR_KINDS, IngestError


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "txt"), ("a.DOCX", "docx"), ("报告.pdf", "pdf"), ("a.doc", "doc"), ("a.wps", "doc"), ("a.htm", "html"),
     ("a.SHTML", "html"), ("a.mhtml", "mht"), ("a", None), ("a.xlsx", None), ("a.rtf", None)],
)
def test_detect_format(name, expected):
    if expected:
        assert detect_format(name) == expected
    else:
        with pytest.raises(IngestError) as err:
            detect_format(name)
        assert err.value.kind == "unsupported_format"


def test_a_known_unreadable_format_gets_a_hint():
    with pytest.raises(IngestError, match="save it as .docx"):
        detect_format("old.rtf")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.txt", b"", "empty_file"),
        ("a.pdf", b"", "empty_file"),
        ("a.txt", b"   \n\n  \r\n", "no_text"),
        ("a.txt", b"x" * 2048, None),
    ],
)
def test_bad_input_kinds(name, data, kind):
    if kind is None:
        assert parse_document(name, data).blocks
        return
    with pytest.raises(IngestError) as err:
        parse_document(name, data)
    assert err.value.kind == kind


def test_size_limit(tmp_path):
    path = write_txt(tmp_path / "big.txt", ["法治" * 600])
    outcome = ingest_file(path, "big.txt", ReadLimits(max_file_bytes=1000))
    assert isinstance(outcome, FailedFile)
    assert outcome.error_kind == "too_large" and "1,000-byte limit" in outcome.reason


def test_unknown_error_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        IngestError("something_new", "x")
    assert set(ERROR_KINDS) >= {"empty_file", "corrupt_file", "encrypted", "no_text_layer", "unsupported_format",
                                "unreadable_encoding", "too_large", "expands_too_large"}


def test_reader_crash_is_recorded_not_raised(tmp_path, monkeypatch):
    import pipelines.ingest.document as document

    def boom(data):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(document, "read_txt", boom)
    outcome = ingest_file(write_txt(tmp_path / "a.txt", ["正文。"]), "a.txt")
    assert isinstance(outcome, FailedFile) and outcome.error_kind == "read_failed" and "reader bug" in outcome.reason


def test_scan_skips_hidden_and_metadata_files(tmp_path):
    for name in ["a.txt", ".hidden.txt", "a.txt.meta.json", "manifest.csv", "sub/b.pdf", ".git/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert [p.relative_to(tmp_path).as_posix() for p in scan_raw(tmp_path)] == ["a.txt", "sub/b.pdf"]


def test_corpus_keeps_going_after_bad_files(tmp_path):
    write_txt(tmp_path / "a.txt", ["柳城县2023年法治政府建设年度报告", "正文。"])
    (tmp_path / "b.txt").write_bytes(b"")
    write_txt(tmp_path / "c.txt", ["平阳县2022年法治政府建设年度报告", "正文。"])
    seen = []
    result = ingest_corpus(tmp_path, progress=lambda done, total, _: seen.append((done, total)))
    assert [d.path for d in result.documents] == ["a.txt", "c.txt"]
    assert [(f.path, f.error_kind) for f in result.failures] == [("b.txt", "empty_file")]
    assert seen == [(1, 3), (2, 3), (3, 3)]
