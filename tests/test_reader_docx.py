import pytest
from builders import DocxTable, write_docx, write_zip_bomb_docx

from pipelines.ingest.document import ReadLimits, parse_document
from pipelines.ingest.errors import IngestError


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
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "unsupported_format"),  # a .doc renamed .docx
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
    import zipfile

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
