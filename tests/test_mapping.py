"""Figure → indicator mapping, rule by rule, on single blocks (table-driven)."""

import pytest

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.model import Block, Location
from pipelines.ingest.normalize import normalize_text


def facts(text, year=2023, section=(), kind="paragraph"):
    block = Block(0, kind, normalize_text(text), Location(paragraph=1), tuple(section))
    return [(f.indicator_code, f.value, f.fact_year) for f in extract_blocks([block], year).facts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the clause decides; several figures in one clause
        ("全年收到行政复议申请26件,审结24件,直接纠错率11.5%。",
         [("reconsideration_received", 26, 2023), ("reconsideration_concluded", 24, 2023), ("reconsideration_correction_rate", 11.5, 2023)]),
        # the figure before its noun
        ("开展了36场普法宣传活动。", [("publicity_events", 36, 2023)]),
        ("召开4次常委会(依法治县委员会)。", [("law_meetings", 4, 2023)]),
        # Chinese numerals after the noun
        ("举办法治培训班两期,法治讲座一期。", [("law_lectures", 2, 2023), ("law_lectures", 1, 2023)]),
        # 万 with 余 on a decimal; at-least bounds survive
        ("受教育群众达23.6万余人次。", [("publicity_audience", 236000, 2023)]),
        # rates vs counts of the same topic
        ("调解矛盾纠纷520件,调解成功506件,调解成功率97.3%。",
         [("disputes_mediated", 520, 2023), ("mediation_success_count", 506, 2023), ("mediation_success_rate", 97.3, 2023)]),
        # two rates sharing one figure
        ("年度学法考试参考率、合格率均为100%。", [("law_exam_pass_rate", 100, 2023)]),  # 参考率 is no indicator
        ("政务服务事项网上可办率、按时办结率均达到100%。",
         [("online_service_rate", 100, 2023), ("service_completion_rate", 100, 2023)]),
        # a comparison: the earlier figure is last year's fact; the increase and growth are not facts
        ("全年办理法律援助案件500件,较上年的412件增加了88件,同比增长21.4%。",
         [("legal_aid_cases", 500, 2023), ("legal_aid_cases", 412, 2022)]),
        # a hotline touching a figure
        ("12345热线转办法律咨询工单903件。", [("legal_consultations", 903, 2023)]),
        # a figure with no unit right before its noun
        ("培育800法律明白人。", [("legal_literates_trained", 800, 2023)]),
        # traditional characters
        ("行政機關負責人出庭應訴率達100%。", [("court_appearance_rate", 100, 2023)]),
        # a figure that states another year
        ("2022年全县新增取得执法证件人员85人。", [("enforcement_officers", 85, 2022)]),
        ("全县共有持证执法人员812人,其中2022年新取得执法证件85人。",
         [("enforcement_officers", 812, 2023), ("enforcement_officers", 85, 2022)]),
        # the noun in an earlier clause of the sentence
        ("组织开展“法律明白人”培训,受训人数达1,200人次。", [("legal_literates_trained", 1200, 2023)]),
        # units normalised to the catalog's
        ("聘请律师12名担任政府法律顾问。", [("legal_advisors", 12, 2023)]),
        ("为困难群众挽回经济损失356.8万元。", [("legal_aid_recovered", 356.8, 2023)]),
        ("减免法律服务费用86,000元。", [("legal_aid_fees_waived", 8.6, 2023)]),
        # figures outside the catalog map to nothing
        ("新增就业2,300人,项目投资4.5亿元。", []),
        ("涵盖28个部门。", []),
    ],
)
def test_mapping(text, expected):
    assert sorted(facts(text)) == sorted((c, float(v), y) for c, v, y in expected)


def test_section_heading_supplies_the_topic():
    got = facts("全年收到申请17件,办结15件。", section=("四、深化依法治理", "(二)行政复议工作"))
    assert got == [("reconsideration_received", 17.0, 2023), ("reconsideration_concluded", 15.0, 2023)]
    assert facts("全年收到申请17件,办结15件。") == []  # without the heading there is no topic


def test_masked_fact_keeps_bounds():
    block = Block(0, "paragraph", "年内调处矛盾纠纷**件,调处率100%。", Location(paragraph=1), ())
    (count, rate) = extract_blocks([block], 2023).facts
    assert (count.indicator_code, count.value, count.lower, count.upper, count.masked) == ("disputes_mediated", None, 10, 99, True)
    assert rate.indicator_code == "mediation_success_rate" and rate.value == 100


def test_invalid_values_are_kept_as_quantities_with_a_reason():
    block = Block(0, "paragraph", "出庭应诉率达120%,开展执法培训23场。", Location(paragraph=1), ())
    result = extract_blocks([block], 2023)
    assert result.facts == []
    reasons = [q.reject_reason for q in result.quantities]
    assert reasons[0] == "percent_over_100"
    assert reasons[1].startswith("unit_mismatch")


def test_table_row_gives_the_cell_its_meaning():
    cells = [
        Block(0, "table_cell", "办理法律援助案件", Location(table=1, row=2, col=1), ()),
        Block(1, "table_cell", "312", Location(table=1, row=2, col=2), ()),
        Block(2, "table_cell", "件", Location(table=1, row=2, col=3), ()),
    ]
    (fact,) = extract_blocks(cells, 2023).facts
    assert (fact.indicator_code, fact.value, fact.unit, fact.block_no) == ("legal_aid_cases", 312, "件", 1)


def test_spans_index_the_document_text():
    blocks = [
        Block(0, "title", "柳城县2023年法治政府建设年度报告", Location(paragraph=1), ()),
        Block(1, "paragraph", "全年办理法律援助案件312件,调解成功率98.6%。", Location(paragraph=2), ()),
    ]
    text = "\n".join(b.text for b in blocks)
    for fact in extract_blocks(blocks, 2023).facts:
        assert text[fact.char_start : fact.char_end] in ("312件", "98.6%")
