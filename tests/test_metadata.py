import json
from pathlib import PurePosixPath

import pytest

from pipelines.metadata.detect import classify_report, detect_metadata, year_in_body


@pytest.mark.parametrize(
    ("title", "county", "code", "city", "year", "report_type", "role"),
    [
        ("柳城县2023年法治政府建设年度报告", "柳城县", "450222", "柳州市", 2023, "法治政府建设年度报告", None),
        ("关于平阳县2022年度法治政府建设情况的报告", "平阳县", "330326", "温州市", 2022, "法治政府建设年度报告", None),
        ("宁乡市市长2021年度述法报告", "宁乡市", "430182", "长沙市", 2021, "述法报告", "市长"),
        ("土默特左旗旗长履行推进法治建设第一责任人职责情况报告", "土默特左旗", "150121", "呼和浩特市", None, "述法报告", "旗长"),
        ("中共泸县县委书记2022年述法报告", "泸县", "510521", "泸州市", 2022, "述法报告", "县委书记"),
        ("江苏省南通市通州区2023年法治政府建设年度报告", "通州区", "320612", "南通市", 2023, "法治政府建设年度报告", None),
        ("柳城县司法局局长二〇二三年述法报告", "柳城县", "450222", "柳州市", 2023, "述法报告", "司法局局长"),
        ("柳城县2023年度工作总结", "柳城县", "450222", "柳州市", 2023, "other", None),
    ],
)
def test_title_metadata(title, county, code, city, year, report_type, role):
    meta = detect_metadata(PurePosixPath("x.txt"), title, title)
    assert (meta.county, meta.county_code, meta.city, meta.year, meta.report_type, meta.issuer_role) == (
        county, code, city, year, report_type, role,
    )
    assert meta.county_status == "resolved" and meta.county_source == "text"


def test_renamed_county_keeps_its_lineage():
    before = detect_metadata(PurePosixPath("x.txt"), "柳江县2015年法治政府建设年度报告", "")
    after = detect_metadata(PurePosixPath("x.txt"), "柳江区2016年法治政府建设年度报告", "")
    assert (before.county_code, after.county_code) == ("450221", "450206")
    assert before.county_lineage_code == after.county_lineage_code == "450206"


def test_ambiguous_name_is_flagged_not_guessed():
    meta = detect_metadata(PurePosixPath("x.txt"), "通州区2022年法治政府建设年度报告", "")
    assert meta.county_status == "ambiguous" and meta.county_code is None
    assert any(f.startswith("county_ambiguous") for f in meta.flags)


def test_ambiguous_name_resolved_by_folder():
    meta = detect_metadata(PurePosixPath("江苏省/南通市/report.txt"), "通州区2022年法治政府建设年度报告", "")
    assert meta.county_code == "320612" and meta.county_status == "resolved"


@pytest.mark.parametrize("title", ["**县2022年法治政府建设年度报告", "某县县长述法报告", "XX县2021年法治政府建设年度报告"])
def test_masked_county_is_flagged(title):
    meta = detect_metadata(PurePosixPath("x.txt"), title, title)
    assert meta.county is None and meta.county_code is None
    assert meta.county_status == "masked" and "county_masked" in meta.flags


def test_masked_text_falls_back_to_folder():
    meta = detect_metadata(PurePosixPath("柳城县/2022/report.txt"), "**县2022年法治政府建设年度报告", "")
    assert (meta.county_code, meta.county_source) == ("450222", "path")


def test_county_and_year_from_path_only():
    meta = detect_metadata(PurePosixPath("广西/柳城县/2021/述法.txt"), None, "我县坚持依法行政。")
    assert (meta.county_code, meta.county_source, meta.year, meta.year_source) == ("450222", "path", 2021, "path")


def test_nothing_known():
    meta = detect_metadata(PurePosixPath("report.txt"), None, "全年开展普法活动。")
    assert meta.county_status == "unknown" and meta.year is None
    assert {"county_unknown", "year_unknown"} <= set(meta.flags)


def test_supplied_metadata_wins():
    meta = detect_metadata(
        PurePosixPath("平阳县/report.txt"),
        "柳城县2023年法治政府建设年度报告",
        "",
        {"county_code": "330326", "year": 2021, "issuer_role": "县长"},
        "sidecar",
    )
    assert (meta.county, meta.county_code, meta.county_source) == ("平阳县", "330326", "sidecar")
    assert (meta.year, meta.year_source, meta.issuer_role) == (2021, "sidecar", "县长")
    assert meta.report_type == "法治政府建设年度报告"  # not supplied: from the title


def test_year_in_body_is_the_most_mentioned():
    assert year_in_body("2022年以来召开会议。2022年全年。2023年计划。2022年度。") == 2022
    assert year_in_body("没有年份") is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [("2023年县长个人述法报告", "述法报告"), ("党政主要负责人履行推进法治建设第一责任人职责情况报告", "述法报告"),
     ("法治政府建设年度报告", "法治政府建设年度报告"), ("2023年工作总结", "other")],
)
def test_classify_report(text, kind):
    assert classify_report(text) == kind


def test_seeds(seeds_dir):
    from pipelines.ingest.corpus import ingest_file

    first = ingest_file(seeds_dir / "000_89fdb8b83284fd56.txt", "000_89fdb8b83284fd56.txt")
    second = ingest_file(seeds_dir / "002_f2a895eea4d4a3ab.txt", "002_f2a895eea4d4a3ab.txt")
    assert (first.metadata.year, first.metadata.year_source) == (2022, "body")  # no year in a title
    assert (second.metadata.year, second.metadata.year_source) == (2023, "title")
    for doc in (first, second):
        assert doc.metadata.county is None and doc.metadata.county_status == "masked"
        assert doc.metadata.report_type == "述法报告"
    assert second.metadata.issuer_role == "县长"


def test_sidecar_and_manifest_files(tmp_path):
    from pipelines.metadata.sidecar import read_supplied_metadata

    report = tmp_path / "a.txt"
    report.write_text("我县全年开展普法活动。", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(json.dumps({"county": "柳城县", "year": "2022"}), encoding="utf-8")
    assert read_supplied_metadata(report) == ({"county": "柳城县", "year": 2022}, "sidecar", [])

    other = tmp_path / "b.txt"
    other.write_text("x", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,county_code,year\nb.txt,450222,2021\n", encoding="utf-8")
    assert read_supplied_metadata(other) == ({"county_code": "450222", "year": 2021}, "manifest", [])

    broken = tmp_path / "c.txt"
    broken.write_text("x", encoding="utf-8")
    (tmp_path / "c.txt.meta.json").write_text("{not json", encoding="utf-8")
    fields, source, flags = read_supplied_metadata(broken)
    assert fields == {} and source is None and flags[0].startswith("sidecar_invalid")


def test_ambiguous_title_resolved_by_opening_lines():
    body = "2021年,在南通市委、市政府的坚强领导下,我区深入推进法治政府建设。"
    meta = detect_metadata(PurePosixPath("x.txt"), "通州区2021年法治政府建设年度报告", body)
    assert (meta.county_code, meta.city) == ("320612", "南通市")
