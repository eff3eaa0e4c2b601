"""OCR of PDF pages without a text layer (pipelines/ingest/readers/ocr.py and its use in pdf.py).

The scans are drawn from text by tests/scans.py (a CJK TrueType font on a white A4 image at
200 dpi, blurred and speckled) and saved as image-only PDFs. The OCR engine is loaded
once for the module; each real OCR'd page costs a second or two, so the checks of one scan share
one reading, and the tests of page selection, limits and timeouts replace the recogniser by a fake.
"""

from __future__ import annotations

import difflib
import logging
import os
import time

import pytest
from builders import PdfPage, write_pdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from scans import ScanPage, blank_image, noise_image, render_scan, write_mixed_pdf, write_scan_pdf

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.document import ReadLimits, parse_document
from pipelines.ingest.errors import IngestError
from pipelines.ingest.normalize import normalize_text
from pipelines.ingest.readers import ocr, pdf
from pipelines.ingest.readers.ocr import OcrLine, lines_to_blocks
from pipelines.ingest.readers.ocr_options import OcrOptions
from pipelines.ingest.readers.pdf import read_pdf

TITLE = "清溪县2023年法治政府建设年度报告"
LEGAL_AID = "全年办理法律援助案件312件，调解成功率达98.6%。县乡村三级公共法律服务平台接待群众咨询4,517人次，较上年增长12.3%。"
REPORT = ScanPage(
    title=TITLE,
    paragraphs=[
        "一、深入推进依法行政",
        "全年县政府常务会议审议重大行政决策事项14项，组织合法性审查文件86件，提出修改意见203条，均在规定时限内办结。",
        "二、完善公共法律服务体系",
        LEGAL_AID,
    ],
    page_number=1,
)
ENFORCEMENT = ScanPage(
    paragraphs=["三、强化行政执法监督", "全县持证行政执法人员达到1,086人，评查行政执法案卷265卷，发现并整改问题37个。"],
    page_number=2,
)
PAGE_W, PAGE_H = A4
LEFT_MARGIN = 28 * mm  # where scans.render_scan starts a line, in points


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalize_text(a), normalize_text(b), autojunk=False).ratio()


@pytest.fixture(scope="module")
def engine():
    """The OCR engine, loaded once for the module (ocr.py keeps it for the process)."""
    return ocr.engine()


@pytest.fixture(scope="module")
def scan_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    # a worn copy: enough speckle and blur that the recogniser is less than sure (its confidence in
    # the legal-aid paragraph is about 0.98), though every figure still reads right at 200 dpi
    return write_scan_pdf(path, [render_scan(REPORT, noise=0.02, blur=1.2)]).read_bytes()


@pytest.fixture(scope="module")
def scanned(engine, scan_bytes):
    """The one-page scan read through parse_document, as the pipeline reads it."""
    return parse_document("扫描件.pdf", scan_bytes)


def test_models_ship_with_the_package():
    assert os.environ.get("ORT_DISABLE_TELEMETRY"), "importing ocr.py switches onnxruntime's telemetry off"
    paths = ocr.model_paths()
    assert set(paths) == {"det", "cls", "rec"}
    for path in paths.values():
        assert path.is_file() and path.stat().st_size > 100_000
        assert "site-packages" in path.parts or "dist-packages" in path.parts


def test_one_page_scan(scanned):
    texts = [b.text for b in scanned.blocks]
    assert scanned.ocr_pages == 1 and scanned.pages == 1
    # the figures come out exactly; the full-width comma of the scan is normalised as a text layer's is
    legal_aid = next(b for b in scanned.blocks if "法律援助" in b.text)
    assert "全年办理法律援助案件312件,调解成功率达98.6%。" in legal_aid.text
    assert "12.3%" in legal_aid.text
    assert similar(legal_aid.text, LEGAL_AID) > 0.97  # a paragraph of three lines, rejoined
    assert texts[0] == TITLE and scanned.blocks[0].kind == "title"
    assert [b.text for b in scanned.blocks if b.kind == "heading"] == ["一、深入推进依法行政", "二、完善公共法律服务体系"]
    assert legal_aid.section_path == ("二、完善公共法律服务体系",)
    assert len(scanned.blocks) == 5  # title, two headings, two paragraphs: the page number "- 1 -" is dropped
    assert not any(normalize_text(t).strip("- ") == "1" for t in texts)
    for block in scanned.blocks:
        assert block.location.page == 1
        x0, top, x1, bottom = block.location.bbox
        assert 0 <= x0 < x1 <= PAGE_W and 0 <= top < bottom <= PAGE_H
        assert 0 < block.confidence <= 1
    # bboxes are in points: the paragraph's continuation lines start at the drawn margin, and blocks run down the page
    assert abs(legal_aid.location.bbox[0] - LEFT_MARGIN) < 4
    tops = [b.location.bbox[1] for b in scanned.blocks]
    assert tops == sorted(tops)
    assert [b.location.paragraph for b in scanned.blocks] == [1, 2, 3, 4, 5]


def test_ocr_fact_confidence_is_scaled_by_block_confidence(scanned, tmp_path):
    """The extractor multiplies a figure's confidence by its OCR'd block's: the same sentence read
    from a text layer gives the legal-aid fact a higher confidence than read from the scan."""
    text_pdf = write_pdf(
        tmp_path / "text.pdf",
        [PdfPage(lines=[TITLE, "  二、完善公共法律服务体系", "  全年办理法律援助案件312件,调解成功率达98.6%。"])],
    )
    text_doc = parse_document(text_pdf.name, text_pdf.read_bytes())
    text_fact = next(f for f in extract_blocks(text_doc.blocks, 2023).facts if f.indicator_code == "legal_aid_cases")
    scan_fact = next(f for f in extract_blocks(scanned.blocks, 2023).facts if f.indicator_code == "legal_aid_cases")
    assert text_fact.value == scan_fact.value == 312
    block = scanned.blocks[scan_fact.block_no]
    assert block.confidence < 1
    assert scan_fact.confidence == round(text_fact.confidence * block.confidence, 2)
    assert scan_fact.confidence < text_fact.confidence


def test_mixed_pdf_keeps_page_order_and_ocrs_only_the_scan(engine, tmp_path):
    path = write_mixed_pdf(
        tmp_path / "mixed.pdf",
        [
            [TITLE, "  一、深入推进依法行政", "  全年县政府常务会议审议重大行政决策事项14项,组织合法性审查", "文件86件,提出修改意见203条。"],
            render_scan(ENFORCEMENT, noise=0.002, blur=0.6),
        ],
    )
    doc = parse_document(path.name, path.read_bytes())
    assert doc.ocr_pages == 1 and doc.pages == 2
    pages = [b.location.page for b in doc.blocks]
    assert pages == sorted(pages) and set(pages) == {1, 2}
    for block in doc.blocks:  # the text layer stays as it was: no bbox, no confidence
        if block.location.page == 1:
            assert block.confidence is None and block.location.bbox is None
        else:
            assert 0 < block.confidence <= 1 and block.location.bbox is not None
    texts = [b.text for b in doc.blocks]
    assert "全年县政府常务会议审议重大行政决策事项14项,组织合法性审查文件86件,提出修改意见203条。" in texts
    assert "三、强化行政执法监督" in texts
    body = next(b for b in doc.blocks if "1,086人" in b.text)
    assert body.location.page == 2 and body.section_path == ("三、强化行政执法监督",)
    assert "265卷" in body.text and "37个" in body.text


def test_ocr_off_is_no_text_layer(scan_bytes):
    with pytest.raises(IngestError) as err:
        read_pdf(scan_bytes, None)
    assert err.value.kind == "no_text_layer" and "SHUFA_OCR=off" in err.value.reason
    with pytest.raises(IngestError) as err:
        parse_document("扫描件.pdf", scan_bytes, ReadLimits(ocr=False))
    assert err.value.kind == "no_text_layer"


@pytest.mark.parametrize("image", [noise_image, blank_image], ids=["noise", "blank"])
def test_scan_without_readable_text(engine, tmp_path, image):
    path = write_scan_pdf(tmp_path / "photo.pdf", [image()])
    with pytest.raises(IngestError) as err:
        read_pdf(path.read_bytes(), OcrOptions())
    assert err.value.kind == pdf.OCR_NO_TEXT_KIND
    assert "OCR found no readable text" in err.value.reason


def test_ocr_page_timeout_real_engine(engine, scan_bytes):
    with pytest.raises(IngestError) as err:
        read_pdf(scan_bytes, OcrOptions(page_s=0.001))
    assert err.value.kind == "timeout"
    assert err.value.reason.startswith("OCR of page 1 took longer than 0.001 s")


# ---- page selection, limits and time limits, with a fake recogniser -----------------------------

FAKE_LINES = [
    OcrLine("一、健全依法决策机制", (111.0, 100.0, 271.0, 117.0), 0.99),
    OcrLine("全年审查行政规范性文件86件,提出修改意见", (111.0, 128.0, 527.0, 145.0), 0.9),
    OcrLine("203条。", (79.0, 156.0, 130.0, 173.0), 0.6),
    OcrLine("- 3 -", (280.0, 800.0, 312.0, 814.0), 0.95),
]


def fake_lines(n: int) -> list[OcrLine]:
    """What the fake recogniser reads on its n-th page: FAKE_LINES with another heading and figures
    (identical pages would be dropped as running headers and footers)."""
    heading, first, last = "一二三四五六"[n % 6], [86, 97, 112][n % 3], [203, 171, 158][n % 3]
    return [
        OcrLine(f"{heading}、健全依法决策机制", FAKE_LINES[0].bbox, 0.99),
        OcrLine(f"全年审查行政规范性文件{first}件,提出修改意见", FAKE_LINES[1].bbox, 0.9),
        OcrLine(f"{last}条。", FAKE_LINES[2].bbox, 0.6),
        FAKE_LINES[3],
    ]


@pytest.fixture
def fake_ocr(monkeypatch):
    """Replace the recogniser: each call is recorded (image shape, scale) and takes ``delay`` seconds."""
    calls: list[tuple] = []
    state = {"delay": 0.0}

    def fake_ocr_page(image, scale=1.0):
        calls.append((image.shape, scale))
        if state["delay"]:
            time.sleep(state["delay"])
        return fake_lines(len(calls) - 1)

    monkeypatch.setattr(ocr, "ocr_page", fake_ocr_page)
    return calls, state


def test_lines_to_blocks_joins_like_a_text_layer():
    blocks = lines_to_blocks(FAKE_LINES, page_no=3)
    assert [b.text for b in blocks] == ["一、健全依法决策机制", "全年审查行政规范性文件86件,提出修改意见203条。"]  # page number dropped
    heading, body = blocks
    assert (body.location.page, body.location.paragraph) == (3, 2)
    assert body.location.bbox == (79.0, 128.0, 527.0, 173.0)
    # character-weighted: 21 characters at 0.9, 5 at 0.6
    assert body.confidence == pytest.approx((21 * 0.9 + 5 * 0.6) / 26, abs=1e-4)
    assert heading.confidence == 0.99


def test_boxes_on_one_row_become_one_line():
    row = [
        OcrLine("415", (300.0, 200.0, 330.0, 214.0), 0.9),
        OcrLine("法律援助案件", (80.0, 199.0, 180.0, 215.0), 0.95),
        OcrLine("件", (400.0, 201.0, 414.0, 213.0), 0.99),
    ]
    (line,) = ocr.to_text_lines(row, page_no=1)
    assert line.text == "法律援助案件 415 件"
    assert (line.x0, line.x1, line.top, line.bottom) == (80.0, 414.0, 199.0, 215.0)


def test_only_pages_without_a_text_layer_are_ocrd(fake_ocr, tmp_path):
    calls, _ = fake_ocr
    picture = blank_image(30)
    path = write_mixed_pdf(
        tmp_path / "t.pdf",
        [
            (["  全年办理法律援助案件312件,调解成功率达98.6%。"], picture),  # text over a picture: its text layer
            (["- 2 -"], picture),  # a scan whose only text is a page number: OCR'd
            ["附件"],  # a short text page with nothing else on it: nothing to OCR
            picture,  # a scan
        ],
    )
    result = read_pdf(path.read_bytes(), OcrOptions())
    assert result.ocr_pages == 2 and len(calls) == 2
    assert [(b.location.page, b.confidence is None) for b in result.blocks] == [
        (1, True), (2, False), (2, False), (3, True), (4, False), (4, False)
    ]
    assert result.blocks[0].text == "全年办理法律援助案件312件,调解成功率达98.6%。"


def test_ocr_stops_at_max_pages(fake_ocr, tmp_path, caplog):
    calls, _ = fake_ocr
    path = write_scan_pdf(tmp_path / "s.pdf", [blank_image(30)] * 3)
    with caplog.at_level(logging.WARNING, logger=pdf.__name__):
        result = read_pdf(path.read_bytes(), OcrOptions(max_pages=2))
    assert result.ocr_pages == 2 and len(calls) == 2
    assert [b.location.page for b in result.blocks] == [1, 1, 2, 2]
    assert "not OCR'd (pages 3)" in caplog.text and "SHUFA_OCR_MAX_PAGES" in caplog.text
    scale = calls[0][1]
    assert scale == pytest.approx(ocr.RENDER_DPI / 72)


def test_ocr_page_timeout(fake_ocr, tmp_path):
    _, state = fake_ocr
    state["delay"] = 1.0
    path = write_scan_pdf(tmp_path / "s.pdf", [blank_image(30)] * 2)
    with pytest.raises(IngestError) as err:
        parse_document("s.pdf", path.read_bytes(), ReadLimits(timeout_s=30, ocr_page_s=0.2))
    assert err.value.kind == "timeout" and err.value.reason.startswith("OCR of page 1 took longer than 0.2 s")


def test_ocr_pages_do_not_eat_the_document_allowance(fake_ocr, tmp_path):
    """Each OCR'd page has its own allowance: two pages of 0.6 s fit in a 0.5 s document limit."""
    _, state = fake_ocr
    state["delay"] = 0.6
    path = write_scan_pdf(tmp_path / "s.pdf", [blank_image(30)] * 2)
    doc = parse_document("s.pdf", path.read_bytes(), ReadLimits(timeout_s=0.5, ocr_page_s=5))
    assert doc.ocr_pages == 2
