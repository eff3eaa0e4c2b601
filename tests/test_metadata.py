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


# Reports whose title is missing or silent: the county is read from the whole text.
@pytest.mark.parametrize(
    ("title", "text", "county", "code"),
    [
        # a two-character name where it is clearly a subject
        (None, "2022年,新县在依法行政方面迈出新步伐。", "新县", "411523"),
        (None, "过去一年,息县人民政府把依法行政摆在突出位置。", "息县", "411528"),
        (None, "在上级党委的领导下,泗县坚持把法治建设作为基础工程。", "泗县", "341324"),
        (None, "去年,叶县积极组织人民调解员轮训。", "叶县", "410422"),
        (None, "信阳市息县司法局组织开展普法活动。", "息县", "411528"),
        # 和 + 县委 is no mention of 和县
        (None, "在市委和县委的领导下,泗县坚持依法行政。", "泗县", "341324"),
        ("2023年度法治政府建设工作报告", "2023年,在市政府和县委的支持下,息县人民政府推进依法行政。",
         "息县", "411528"),
        # 我县 / 区政府 throughout, the name once further down
        (None, "我县把普法融入基层治理。\n县政府印发《通海县普法工作计划》。\n我县全年办结复议案件。",
         "通海县", "530423"),
        (None, "区政府抓实依法行政。\n一、主要举措\n铜梁区普法讲师团下乡宣讲。", "铜梁区", "500151"),
        # an addressee line names the superior, not the author
        ("焦作市人民政府、中共修武县委:", "焦作市人民政府、中共修武县委:\n一年来,修武县把法治建设抓在手上。",
         "修武县", "410821"),
        (None, "中共文山州委、文山州人民政府:\n县委、县政府把法治建设摆上日程。\n丘北县司法局牵头落实。",
         "丘北县", "532626"),
        # a prefecture-level city's name is not its county-level namesake of the 1980s
        (None, "按照新乡市委的部署,获嘉县推进依法行政。", "获嘉县", "410724"),
        # traditional script
        (None, "2023年,東城區司法局全年辦理公證事項。", "东城区", "110101"),
        (None, "襄陽市谷城縣舉辦人民調解員培訓班。", "谷城县", "420625"),
        (None, "2023年,咸阳市乾县司法局开展普法。", "乾县", "610424"),  # OpenCC reads 乾县 as 干县
        # an autonomous county by its everyday short name
        (None, "2024年,金平县司法局办理法律援助案件。", "金平苗族瑶族傣族自治县", "532530"),
        # the publisher named in a page header or a source line
        ("天津市静海区人民政府", "天津市静海区人民政府\n区政府全年举办法治讲座四场。", "静海区", "120118"),
        (None, "来源:泗县人民政府\n县司法局开展送法下乡。", "泗县", "341324"),
        # a name used as an ordinary word does not outvote the county
        (None, "奉化区加快建设美丽新城区。\n奉化区获评“平安区”。\n全区推进依法行政。", "奉化区", "330213"),
        (None, "阳泉市城区人民政府推进依法行政。", "城区", "140302"),
        # the name the text repeats wins over one named in passing
        (None, "2023年,浏阳市来湘潭县交流调解经验。\n湘潭县司法局全年开展普法。\n湘潭县推进调解。", "湘潭县", "430321"),
    ],
)
def test_county_read_from_the_text(title, text, county, code):
    meta = detect_metadata(PurePosixPath("x.txt"), title, text)
    assert (meta.county, meta.county_code, meta.county_source) == (county, code, "text")


@pytest.mark.parametrize(
    "text",
    [
        "《发展规划纲要》和县委工作要点明确了年度任务。",  # 和 + 县委
        "全县城区开展普法宣传,郊区村民踊跃参与。",  # 城区, 郊区 as words
        "市政府和县政府联合开展执法检查。",
    ],
)
def test_words_that_look_like_county_names(text):
    meta = detect_metadata(PurePosixPath("x.txt"), None, text)
    assert meta.county is None and meta.county_status == "unknown"


@pytest.mark.parametrize(
    ("title", "text", "year", "source"),
    [
        # the report's title line beats a site's clock in the page header
        ("上海市宝山区人民政府 2018年7月2日星期一",
         "上海市宝山区人民政府 2018年7月2日星期一\n繁体版\n宝山区2024年度法治政府建设情况报告\n区政府推进依法行政。",
         2024, "title"),
        (None, "2023以来,镇党委抓好普法责任制落实。", 2023, "body"),
        # a year stated in the text beats the publication date
        (None, "发布时间:2025-01-10\n2024年,县司法局办理法律援助案件。", 2024, "body"),
        # no year in the text: the page is dated
        (None, "《法律援助法》施行三周年,县法律援助中心走进集市。", 2025, "body"),
        (None, "民法典颁布三周年,县司法局走进社区宣讲。", 2023, "body"),
        (None, "来源:县融媒体中心\n发布时间:2023-09-21\n县司法局开展乡村普法。", 2023, "published"),
        (None, "发布日期:2025-02-10 09:30\n日前,县司法局开展法律援助进企业活动。", 2025, "published"),
        # an annual report published early in the next year covers the year before
        ("县法治政府建设年度报告", "县法治政府建设年度报告\n发布时间:2025-02-10\n县政府推进依法行政。", 2024, "published"),
        ("县法治政府建设年度报告", "县法治政府建设年度报告\n发布时间:2025-06-10\n县政府推进依法行政。", 2025, "published"),
    ],
)
def test_year_covered(title, text, year, source):
    meta = detect_metadata(PurePosixPath("x.txt"), title, text)
    assert (meta.year, meta.year_source) == (year, source)


@pytest.mark.parametrize(
    ("text", "county", "status"),
    [
        # the publisher hid its own name: a county named further down is someone else's
        ("**县人民政府深入推进依法行政。\n组织干部赴安吉县学习考察。\n安吉县介绍经验。", None, "masked"),
        ("我县深入推进依法行政。\n全年办结复议案件。\n附件:**县法治政府建设工作要点", None, "masked"),
        # a masked example deep in a report that names itself is no masked report
        ("我县深入推进依法行政。" + "全县推进普法。" * 50 + "\n典型案例:某县居民申请法律援助。\n制定《华宁县工作要点》。",
         "华宁县", "resolved"),
    ],
)
def test_masked_names_in_the_text(text, county, status):
    meta = detect_metadata(PurePosixPath("x.txt"), None, text)
    assert (meta.county, meta.county_status) == (county, status)


def test_news_page_mentioning_a_report_is_dated_by_its_publication():
    text = "县政府召开常务会议\n发布时间:2025-02-12\n日前,县政府常务会议听取法治政府建设工作报告。"
    meta = detect_metadata(PurePosixPath("x.txt"), "县政府召开常务会议", text)
    assert (meta.year, meta.year_source) == (2025, "published")
