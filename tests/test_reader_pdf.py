import pytest
from builders import PdfPage, write_pdf, write_scanned_pdf

from pipelines.ingest.document import ReadLimits, parse_document
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


def test_a_scan_of_no_text_is_no_text_layer_without_ocr_and_ocr_no_text_with_it(tmp_path):
    path = write_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(IngestError) as err:
        parse_document(path.name, path.read_bytes(), ReadLimits(ocr=False))
    assert err.value.kind == "no_text_layer"
    with pytest.raises(IngestError) as err:
        parse_document(path.name, path.read_bytes())
    assert err.value.kind == "ocr_no_text"


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


def test_body_lines_differing_only_in_figures_are_kept(tmp_path):
    """Each page ends with the same sentence and a different figure: body, not a running footer."""
    figures = [312, 87, 1045, 26]
    pages = [
        PdfPage(lines=[f"  {heading}", f"  全年办理法律援助案件{n}件。"])
        for heading, n in zip(["一、法律援助", "二、人民调解", "三、社区矫正", "四、普法宣传"], figures)
    ]
    path = write_pdf(tmp_path / "r.pdf", pages, running_header="某县司法局年度工作报告")
    texts = [b.text for b in parse_document(path.name, path.read_bytes()).blocks]
    assert [t for t in texts if t.startswith("全年")] == [f"全年办理法律援助案件{n}件。" for n in figures]
    assert "某县司法局年度工作报告" not in texts


def test_figure_lists_at_page_edges_are_kept_and_page_numbers_dropped(tmp_path):
    """A table-ish list of figures opening and closing every page survives; "- N -" does not."""
    rows = [[f"  乡镇调解委员会调解纠纷{a}件", f"  其中婚姻家庭纠纷{b}件", f"  成功调解{c}件"]
            for a, b, c in [(140, 31, 133), (95, 12, 90), (210, 47, 201)]]
    path = write_pdf(tmp_path / "r.pdf", [PdfPage(lines=lines) for lines in rows], page_numbers=True)
    texts = [b.text for b in parse_document(path.name, path.read_bytes()).blocks]
    # unpunctuated list lines rejoin into one paragraph; every figure line is in it, in order
    assert "".join(texts) == "".join(line.strip() for lines in rows for line in lines)


def test_running_footer_counting_pages_is_dropped(tmp_path):
    """A footer whose figures count the pages ("第 N 页 共 3 页") is a running line."""
    from builders import FONT
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "r.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page, sentence in enumerate(["全年开展普法活动58场次。", "受理行政复议申请19件。", "办理公证事项702件。"], start=1):
        c.setFont(FONT, 12)
        c.drawString(70, 760, sentence)
        c.drawString(70, 40, f"某县2023年法治政府建设报告 第 {page} 页 共 3 页")
        c.showPage()
    c.save()
    texts = [b.text for b in parse_document(path.name, path.read_bytes()).blocks]
    assert "".join(texts) == "全年开展普法活动58场次。受理行政复议申请19件。办理公证事项702件。"


def test_memory_error_while_parsing_is_recorded(tmp_path, monkeypatch):
    from pipelines.ingest.readers import pdf as pdf_reader

    def exhausted(*args, **kwargs):
        raise MemoryError

    path = _report(tmp_path)
    monkeypatch.setattr(pdf_reader, "_pdfium_lines", exhausted)
    with pytest.raises(IngestError) as err:
        parse_document(path.name, path.read_bytes())
    assert err.value.kind == "out_of_memory"
