import pytest
from builders import write_txt

from pipelines.ingest.document import parse_document
from pipelines.ingest.errors import IngestError

SIMPLIFIED = ["2023年柳城县法治政府建设年度报告", "一、强化组织领导", "全年办理法律援助案件312件,调解成功率达到98.6%。"]
TRADITIONAL = ["2023年柳城縣法治政府建設年度報告", "一、強化組織領導", "全年辦理法律援助案件312件,調解成功率達到98.6%。"]


@pytest.mark.parametrize(
    ("encoding", "newline", "bom", "lines", "detected"),
    [
        ("utf-8", "\n", False, SIMPLIFIED, "utf-8"),
        ("utf-8", "\r\n", True, SIMPLIFIED, "utf-8-sig"),
        ("utf-8", "\r", False, SIMPLIFIED, "utf-8"),  # old Mac line ends
        ("gb18030", "\r\n", False, SIMPLIFIED, "gb18030"),
        ("gbk", "\n", False, SIMPLIFIED, "gb18030"),  # GBK is a subset of GB18030
        ("big5", "\n", False, TRADITIONAL, "big5"),
        ("utf-16", "\n", False, SIMPLIFIED, "utf-16"),
    ],
)
def test_txt_encodings_and_line_ends(tmp_path, encoding, newline, bom, lines, detected):
    path = write_txt(tmp_path / "r.txt", lines, encoding=encoding, newline=newline, bom=bom)
    doc = parse_document(path.name, path.read_bytes())
    assert doc.encoding == detected
    assert [b.text for b in doc.blocks] == lines
    assert [b.location.paragraph for b in doc.blocks] == [1, 2, 3]
    assert doc.blocks[0].kind == "title"
    assert doc.blocks[2].section_path == (lines[1],)


def test_blank_lines_are_skipped_but_line_numbers_kept(tmp_path):
    path = write_txt(tmp_path / "r.txt", ["", "标题", "", "  ", "正文内容。"])
    doc = parse_document(path.name, path.read_bytes())
    assert [(b.location.paragraph, b.text) for b in doc.blocks] == [(2, "标题"), (5, "正文内容。")]


def test_binary_content_is_unreadable(tmp_path):
    data = b"\x00\x01\x02\xff\xfe\x00" * 100
    with pytest.raises(IngestError) as err:
        parse_document("x.txt", data)
    assert err.value.kind == "unreadable_encoding"


def test_seed_reports_read(seeds_dir):
    first = parse_document("000.txt", (seeds_dir / "000_89fdb8b83284fd56.txt").read_bytes())
    second = parse_document("002.txt", (seeds_dir / "002_f2a895eea4d4a3ab.txt").read_bytes())
    assert "##paid" not in second.text  # site markers removed
    assert "三、推进依法行政" in second.text  # ... and the text between them kept
    assert second.blocks[0].kind == "title" and second.blocks[0].text == "2023年县长个人述法报告"
    assert "％" not in first.text and "100%" in first.text  # NFKC
    headings = [b.section_path[-1] for b in first.blocks if b.kind == "heading"]
    assert headings[0] == "一、树牢法治观念,做法治建设的组织者"
    assert any(p.startswith("(一)") for p in headings)
