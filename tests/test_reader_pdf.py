import pytest
from builders import PdfPage, write_pdf, write_scanned_pdf

from pipelines.ingest.document import parse_document
from pipelines.ingest.errors import IngestError

TITLE = "宁乡市2022年法治政府建设年度报告"


def _report(tmp_path, **kwargs):
    pages = [
        PdfPage(
            lines=[
                TITLE,
                "  一、加强组织领导",
                "  全年召开市委全面依法治市委员会会议3次,政府常务会议专题学法",  # sentence broken at line end
                "11次,领导干部累计学法时长达到42小时。",
                "  二、规范执法行为",
                "  全市持证行政执法人员达到1,236人,全年开展执法人员培训17场,评",
                "查行政执法案卷318卷。",
            ]
        ),
        PdfPage(
            lines=["  三、化解矛盾纠纷", "  调解矛盾纠纷2,480件,调解成功率98.7%。"],
            table=[["指标", "数值", "单位"], ["法律援助案件", "415", "件"]],
        ),
        PdfPage(lines=["  四、存在不足", "  法治宣传的针对性还需进一步增强。"]),
    ]
    return write_pdf(tmp_path / "r.pdf", pages, running_header="宁乡市法治政府建设年度报告", page_numbers=True, **kwargs)


def test_multi_page_pdf(tmp_path):
    path = _report(tmp_path)
    doc = parse_document(path.name, path.read_bytes())
    texts = [b.text for b in doc.blocks]
    assert doc.pages == 3
    assert texts[0] == TITLE and doc.blocks[0].kind == "title"
    # lines broken mid-sentence are rejoined without a space
    assert "全年召开市委全面依法治市委员会会议3次,政府常务会议专题学法11次,领导干部累计学法时长达到42小时。" in texts
    assert "全市持证行政执法人员达到1,236人,全年开展执法人员培训17场,评查行政执法案卷318卷。" in texts
    # running header and page numbers are gone
    assert not any("宁乡市法治政府建设年度报告" == t or t.startswith("-") for t in texts)
    # table cells are blocks with page and cell location, not part of the paragraphs
    cells = [b for b in doc.blocks if b.kind == "table_cell"]
    assert [c.text for c in cells] == ["指标", "数值", "单位", "法律援助案件", "415", "件"]
    assert (cells[4].location.page, cells[4].location.table, cells[4].location.row, cells[4].location.col) == (2, 1, 2, 2)
    assert cells[4].section_path == ("三、化解矛盾纠纷",)
    last = doc.blocks[-1]
    assert last.location.page == 3 and last.section_path == ("四、存在不足",)


def test_encrypted_pdf(tmp_path):
    path = _report(tmp_path, encrypt_password="secret")
    with pytest.raises(IngestError) as err:
        parse_document(path.name, path.read_bytes())
    assert err.value.kind == "encrypted"


def test_scanned_pdf_has_no_text_layer(tmp_path):
    path = write_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(IngestError) as err:
        parse_document(path.name, path.read_bytes())
    assert err.value.kind == "no_text_layer"


@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_truncated_pdf_is_corrupt(tmp_path, cut):
    data = _report(tmp_path).read_bytes()
    with pytest.raises(IngestError) as err:
        parse_document("r.pdf", data[: int(len(data) * cut)])
    assert err.value.kind in {"corrupt_file", "no_text_layer"}


def test_not_a_pdf(tmp_path):
    with pytest.raises(IngestError) as err:
        parse_document("r.pdf", "这不是PDF文件".encode())
    assert err.value.kind == "corrupt_file"


def test_cue_word_broken_across_lines_is_rejoined_for_extraction(tmp_path):
    from pipelines.extract.extract import extract_blocks

    path = write_pdf(
        tmp_path / "r.pdf",
        [PdfPage(lines=["  三、公共法律服务", "  全年县法律援助中心共受理和指派各类法律援", "助案件312件,为群众挽回经济损失86.5万元。"])],
    )
    doc = parse_document(path.name, path.read_bytes())
    facts = {(f.indicator_code, f.value) for f in extract_blocks(doc.blocks, 2023).facts}
    assert {("legal_aid_cases", 312), ("legal_aid_recovered", 86.5)} <= facts
