"""The formats analysts actually have, through a real `shufa build`: a saved GBK county page, an .mht,
a scanned PDF, a Word 97 .doc, and each bad input of those kinds beside them. Every good file becomes a
document with its county, year and figures; every bad one gets its own ingest_errors row."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import html_pages as pages
import pytest
from legacy_word_files import NO_SOFFICE_REASON, SOFFICE, ole_with_junk, report_items, rtf_bytes, write_doc
from scans import ScanPage, noise_image, render_scan, write_scan_pdf

REPO = Path(__file__).resolve().parents[1]

SCAN = ScanPage(
    title="泰顺县2023年法治政府建设年度报告",
    paragraphs=["全年共办理法律援助案件418件，为受援群众挽回经济损失236万元。",
                "行政机关负责人出庭应诉率达到100%，人民调解成功率为97.3%。"],
)


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if SOFFICE is None:
        pytest.skip(NO_SOFFICE_REASON)
    root = tmp_path_factory.mktemp("formats")
    raw = root / "raw"
    (raw / "网页").mkdir(parents=True)
    (raw / "扫描").mkdir()
    (raw / "旧文档").mkdir()
    (raw / "网页" / "平阳县2023年报告.htm").write_bytes(pages.gbk_report_page())
    (raw / "网页" / "另存为.mht").write_bytes(pages.mht_report())
    (raw / "网页" / "404.html").write_bytes(pages.nginx_404_page())
    (raw / "网页" / "附件下载.shtml").write_bytes(pages.attachment_only_page())
    write_scan_pdf(raw / "扫描" / "泰顺县报告扫描件.pdf", [render_scan(SCAN, noise=0.04, seed=3)])
    write_scan_pdf(raw / "扫描" / "手机拍照.pdf", [noise_image()])
    write_doc(raw / "旧文档" / "青石县2023年报告.doc", report_items())
    (raw / "旧文档" / "其实是RTF.doc").write_bytes(rtf_bytes(["青石县2023年法治政府建设年度报告"]))
    (raw / "旧文档" / "坏了.wps").write_bytes(ole_with_junk())
    warehouse = root / "w.duckdb"
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse", str(warehouse)],
                            capture_output=True, text=True, cwd=REPO, timeout=900, env={**os.environ, "SHUFA_WORKERS": "2"})
    return warehouse, result


def test_the_build_succeeds_and_reads_each_good_file(built):
    warehouse, result = built
    assert result.returncode == 0, result.stderr
    docs = dict(rows(warehouse, "SELECT path, format FROM documents"))
    assert docs == {"网页/平阳县2023年报告.htm": "html", "网页/另存为.mht": "mht", "扫描/泰顺县报告扫描件.pdf": "pdf",
                    "旧文档/青石县2023年报告.doc": "doc"}


def test_each_bad_input_has_its_own_row(built):
    warehouse, _ = built
    errors = dict(rows(warehouse, "SELECT path, error_kind FROM ingest_errors"))
    assert errors == {
        "网页/404.html": "no_article",
        "网页/附件下载.shtml": "attachment_only",
        "扫描/手机拍照.pdf": "ocr_no_text",
        "旧文档/其实是RTF.doc": "unsupported_format",
        "旧文档/坏了.wps": "corrupt_file",
    }
    reasons = dict(rows(warehouse, "SELECT path, reason FROM ingest_errors"))
    assert "error page" in reasons["网页/404.html"] and pages.ATTACHMENT_NAME in reasons["网页/附件下载.shtml"]
    assert "RTF" in reasons["旧文档/其实是RTF.doc"]


def test_the_web_page_has_its_county_from_the_site_and_none_from_the_sidebar(built):
    warehouse, _ = built
    [(county, page_title)] = rows(warehouse, "SELECT county, page_title FROM documents WHERE path = '网页/平阳县2023年报告.htm'")
    assert county == "平阳县" and pages.SITE in page_title
    texts = " ".join(t for (t,) in rows(warehouse, """SELECT b.text FROM document_blocks b JOIN documents d USING (doc_id)
                                                      WHERE d.path = '网页/平阳县2023年报告.htm'"""))
    assert not [c for c in pages.OTHER_COUNTIES if c in texts] and pages.ICP not in texts


def test_the_scan_is_ocrd_with_boxes_and_its_facts_carry_the_recognition_confidence(built):
    warehouse, _ = built
    [(ocr_pages, county, year)] = rows(warehouse, "SELECT ocr_pages, county, year FROM documents WHERE path LIKE '扫描/泰顺%'")
    assert (ocr_pages, county, year) == (1, "泰顺县", 2023)
    blocks = rows(warehouse, """SELECT b.page, b.bbox, b.ocr_confidence FROM document_blocks b JOIN documents d USING (doc_id)
                                WHERE d.path LIKE '扫描/泰顺%'""")
    assert blocks and all(page == 1 and len(bbox) == 4 and 0 < conf <= 1 for page, bbox, conf in blocks)
    facts = dict(rows(warehouse, """SELECT f.indicator_code, f.value FROM indicator_facts f JOIN documents d USING (doc_id)
                                    WHERE d.path LIKE '扫描/泰顺%'"""))
    assert facts["legal_aid_cases"] == 418 and facts["court_appearance_rate"] == 100
    [(ocr_conf, text_conf)] = rows(warehouse, """
        SELECT max(f.confidence) FILTER (WHERE d.ocr_pages > 0), max(f.confidence) FILTER (WHERE d.ocr_pages = 0)
        FROM indicator_facts f JOIN documents d USING (doc_id) JOIN document_blocks b USING (doc_id, block_no)
        WHERE f.indicator_code = 'legal_aid_cases'""")
    [(block_conf,)] = rows(warehouse, """SELECT min(b.ocr_confidence) FROM indicator_facts f JOIN documents d USING (doc_id)
                                         JOIN document_blocks b USING (doc_id, block_no)
                                         WHERE d.path LIKE '扫描/泰顺%' AND f.indicator_code = 'legal_aid_cases'""")
    assert ocr_conf <= round(0.95 * block_conf, 2) + 0.005 and ocr_conf <= text_conf


def test_a_rerun_reads_nothing_again_and_keeps_every_row(built, tmp_path):
    warehouse, _ = built
    before = rows(warehouse, "SELECT count(*) FROM indicator_facts")
    copy = tmp_path / "w.duckdb"
    shutil.copy(warehouse, copy)
    raw = warehouse.parent / "raw"
    (raw / "网页" / "新的.txt").write_text("泰顺县2023年法治政府建设年度报告\n全年受理法律援助案件12件。", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse", str(copy)],
                            capture_output=True, text=True, cwd=REPO, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "1 new, 0 changed" in result.stdout and "1 parsed" in result.stdout, result.stdout
    assert rows(copy, "SELECT count(*) FROM indicator_facts")[0][0] == before[0][0] + 1
