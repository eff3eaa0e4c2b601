"""What real report prose does, class by class, in sentences written for these tests.

Each case is a phenomenon seen in published county reports (issue 11's error classes), shown in
a sentence of our own: the figure the extractor must take, and the ones it must leave alone.
"""

import pytest

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.model import Block, Location
from pipelines.ingest.normalize import normalize_text


def extracted(text, year=2024, section=()):
    block = Block(0, "paragraph", normalize_text(text), Location(paragraph=1), tuple(section))
    return extract_blocks([block], year)


def facts(text, year=2024, section=()):
    return sorted((f.indicator_code, f.value) for f in extracted(text, year, section).facts)


def case(text, *expected, section=()):
    return pytest.param(text, sorted((c, float(v)) for c, v in expected), section, id=text[:24])


BREAKDOWNS = [
    # a total, then its parts after 其中: only the total
    case("全年共办理公证事项1520件,其中国内公证1190件、涉外公证330件。", ("notarizations", 1520)),
    case("便民服务中心全年办件8650件,其中网上办件2100件,窗口办件6550件。", ("service_cases_handled", 8650)),
    # a wide total found through the topic, then the indicator's own words for a part: the part
    case("县法律援助中心全年受理指派案件3200件,其中法律援助案件610件。", ("legal_aid_cases", 610)),
    # a population, then the part the indicator counts by its defining word
    case("全县行政执法人员1,420名,其中持证1,366名。", ("enforcement_officers", 1366)),
    # ... but a total that names the indicator itself stays, its part is a breakdown
    case("全年共学法18次,其中学习习近平法治思想5次。", ("law_study_sessions", 18)),
    # a part of another kind after 其中 is a fact of its own
    case("调解矛盾纠纷640件,其中调解成功621件。", ("disputes_mediated", 640), ("mediation_success_count", 621)),
    # parts that state their share of a total
    case("受理征地拆迁类复议案件9件,占案件总数的31%。"),
    # parts by outcome of the cases just counted
    case("审结案件中维持21件、撤销3件。"),
    # a count of what was not done
    case("全县仍有3个乡镇未完成司法所规范化建设任务。"),
    # applications for disclosure are not information disclosed
    case("办理政府信息公开申请47件。"),
    # a count restricted by a property, or by the respondent
    case("以乡镇政府为被申请人的复议案件7件。"),
    # applications against the county government are decided by the city: not the county's docket
    case("以县政府为被申请人的行政复议案件11件。"),
    # a legal-aid breakdown by type names no lawsuits
    case("办理法律援助案件870件,其中刑事案件330件、民事案件528件、行政案件12件。", ("legal_aid_cases", 870)),
    # ... but the reporting government's own lawsuits are its figure
    case("县政府作为被告的行政应诉案件23件。", ("litigation_cases", 23)),
    # a total over several catalog things is neither's value
    case("完成规范性文件、重大行政决策等合法性审查162件。"),
    case("全年审核重大合同和规范性文件共48件。"),
    case("办理人大代表建议和政协委员提案共215件。"),
    # ... while each named apart is its own
    case("审查规范性文件21件和重大行政决策6件。", ("normative_docs_reviewed", 21), ("major_decisions_reviewed", 6)),
]

VERB_OBJECT = [
    # the figure before the thing it counts
    case("先后召开2次县政府常务会议专题研究法治政府建设。", ("law_meetings", 2)),
    case("共举办了9期“法治大讲堂”。", ("law_lectures", 9)),
    # the counted thing several words before the figure
    case("通过常务会议、中心组学习等形式学习法律法规8次。", ("law_study_sessions", 8)),
    case("县委理论学习中心组集中学习习近平法治思想6次。", ("law_study_sessions", 6)),
    # what follows 并 is the next phrase, not the noun of the figure
    case("评查行政执法案卷215件并反馈问题31条。", ("case_files_reviewed", 215)),
    # coordinated adjectives stay with their noun
    case("建成12个行业性、专业性人民调解委员会。", ("mediation_organizations", 12)),
    # a second measure of the same thing shares its noun
    case("清理规范性文件3次、90余件。", ("normative_docs_cleaned", 90)),
    # figures given one by one for the things listed
    case("分别召开县委常委会会议、县政府常务会议专题研究法治工作2次和4次。", ("law_meetings", 2), ("law_meetings", 4)),
    # a predicate after the figure is not its noun
    case("全区政务服务事项1,480项全部实现网上可办。", ("gov_service_items", 1480)),
    case("一审行政应诉案件52件中败诉3件。", ("litigation_cases", 52), ("litigation_lost", 3)),
    # the noun of a list's first item names the rest
    case("建成公共法律服务中心1个、工作站15个、工作室210个。",
         ("legal_service_platforms", 1), ("legal_service_platforms", 15), ("legal_service_platforms", 210)),
    # a sub-body's meeting in a list after the committee's
    case("召开依法治县委员会全体会议1次、办公室会议2次。", ("law_meetings", 1), ("law_meetings", 2)),
    # 讲法治专题党课 is a lecture, though it spells 讲法
    case("党组书记讲法治专题党课1次。", ("law_lectures", 1)),
    # quotes do not split a cue
    case("“一网通办”率达98.6%。", ("online_service_rate", 98.6)),
    case("区级政务服务事项100%“全程网办”。", ("online_service_rate", 100)),
]

EVENTS_AND_PEOPLE = [
    # events and the people at them are different things
    case("开展执法人员培训5场次,参训210人次。", ("enforcement_training", 210)),
    case("组织执法人员业务培训3场次、培训160人。", ("enforcement_training", 160)),
    # a class for cadres and its headcount: the class counts, cadres are no enforcement staff
    case("举办法治专题培训班3场次,累计培训领导干部和执法人员1500余人次。", ("law_lectures", 3)),
]

ANOTHER_UNIT_OR_PERIOD = [
    case("全省共办理法律援助案件5.2万件。"),
    case("近三年共调解矛盾纠纷3100件。"),
    # a staffing rule is not a count
    case("每个村配备法律顾问1名。"),
    case("各执法单位均配备2名以上法制审核人员。"),
    # 每年 in an annual report is that year's count
    case("每年开展中心组专题学法10余次。", ("law_study_sessions", 10)),
    # the reporting office attending as an adviser is not a meeting it held
    case("法律顾问列席县政府常务会议14次。"),
]

SHARED_CUE_DIFFERENT_THING = [
    # an activity of another kind is no publicity event, whatever its name says
    case("开展法治督察活动3次。"),
    case("开展安全生产宣传活动24场。"),
    # publicity items counted in 件, application papers not
    case("发放法治宣传资料7.2万余份、宣传品1.8万件。", ("publicity_materials", 72000), ("publicity_materials", 18000)),
    case("精简申请材料36件。"),
    # a cadre-training audience is not the public reached by publicity
    case("组织全县干部职工学习《民法典》等法律法规9次,覆盖900余人次。", ("law_study_sessions", 9)),
    case("接访日共接待群众86人次。"),
    # four each: one figure for the things listed
    case("召开依法治县委员会、依法治县办会议各2次。", ("law_meetings", 2)),
    # a quality pass rate of case files is no exam pass rate
    case("经评查,法律援助案件质量合格率为99.1%。"),
    # people's mediation named by its case noun
    case("镇司法所全年受理人民调解案件74件,调解成功71件。", ("disputes_mediated", 74), ("mediation_success_count", 71)),
    # the audience of a talk on the civil code
    case("开展“民法典进校园”宣讲19场次,受众3,100余人次。", ("publicity_events", 19), ("publicity_audience", 3100)),
    # reconsideration mediation is no people's mediation
    case("办理行政复议案件96件,调解40件,调解率41.7%。"),
    # a completion rate of complaints is no service completion rate
    case("全年受理群众投诉举报280件,办结率100%。"),
    # 议案 inside 复议案件 is no deputies' motion
    case("全年办理行政复议案件33件。"),
    # suggestions of deputies, named without 代表
    case("办理人大建议128件、政协提案96件。", ("npc_suggestions_handled", 128), ("cppcc_proposals_handled", 96)),
    # a court hearing in a sentence after a reconsideration heading is litigation
    case("其中开庭审结41件。", section=("四、行政复议和行政应诉",)),
]

LEVEL_REACHED = [
    case("全县持证执法人员增至634人。", ("enforcement_officers", 634)),
    case("政务服务事项网上可办率提升到97.5%。", ("online_service_rate", 97.5)),
    # this year's value, and last year's from 由上年的
    case("企业开办时间由上年的3个工作日压减至1个工作日。", ("business_setup_days", 3), ("business_setup_days", 1)),
    # only a verb of change makes a change
    case("办理法律援助案件增加了64件,同比增长12.3%。"),
    # after a change, the level takes the noun from before it
    case("法律援助案件同比增长9%,达到731件。", ("legal_aid_cases", 731)),
]

OBJECT_BEFORE_FIGURE = [
    case("对以县政府名义印发的14件规范性文件开展合法性审核。", ("normative_docs_reviewed", 14)),
    case("对县政府拟签订的57份协议进行审查。", ("contracts_reviewed", 57)),
    case("县政府现有6名法律顾问。", ("legal_advisors", 6)),
    # village legal advisers are not the government's
    case("全县共有村(社区)法律顾问152名。"),
    # the noun after 的 is what is counted: 意见 before it does not rule it out
    case("由司法局出具审核意见的规范性文件共31件。", ("normative_docs_reviewed", 31)),
]


@pytest.mark.parametrize(("text", "expected", "section"),
                         BREAKDOWNS + VERB_OBJECT + EVENTS_AND_PEOPLE + ANOTHER_UNIT_OR_PERIOD
                         + SHARED_CUE_DIFFERENT_THING + LEVEL_REACHED + OBJECT_BEFORE_FIGURE)
def test_real_prose(text, expected, section):
    assert facts(text, section=section) == expected


def test_prior_year_value_carries_its_year():
    got = [(f.indicator_code, f.value, f.fact_year) for f in extracted("企业开办时间由上年的3个工作日压减至1个工作日。").facts]
    assert got == [("business_setup_days", 3.0, 2023), ("business_setup_days", 1.0, 2024)]


def test_a_year_end_of_another_year_dates_its_figure():
    got = [(f.indicator_code, f.value, f.fact_year) for f in extracted("全县持有行政执法证件人员共计1,310人(2023年底为1,262人)。").facts]
    assert got == [("enforcement_officers", 1310.0, 2024), ("enforcement_officers", 1262.0, 2023)]


def test_a_heading_topic_yields_to_the_part_the_sentence_names():
    got = facts("主持召开县政府常务会议19次,其中专题研究法治政府建设工作4次。", section=("一、履行法治建设第一责任人职责",))
    assert got == [("law_meetings", 4.0)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("全年共办理公证事项1520件,其中国内公证1190件。", "breakdown_of_total: notarizations"),
        ("受理治安类复议案件9件,占案件总数的31%。", "share_of_total: reconsideration_received"),
        ("每个村配备法律顾问1名。", "per_unit: legal_advisors"),
        ("完成规范性文件、重大行政决策等合法性审查162件。", "combined: normative_docs_reviewed, major_decisions_reviewed"),
        ("全省共办理法律援助案件5200件。", "other_level: legal_aid_cases"),
        ("注销执法人员证件27名。", "excluded: enforcement_officers (注销)"),
    ],
)
def test_figures_not_taken_say_why(text, reason):
    reasons = [q.reject_reason for q in extracted(text).quantities if q.reject_reason]
    assert reason in reasons


def test_every_fact_says_why_it_was_taken():
    (fact,) = extracted("县政府常务会议会前学法12次。").facts
    assert (fact.rule, fact.cue, fact.topic_scope) == ("cue", "会前学法", "none")
    assert fact.confidence >= 0.9 and not fact.needs_review


def test_sums_over_units_need_review():
    (fact,) = extracted("全县各级各部门开展会前学法360次。").facts
    assert fact.indicator_code == "law_study_sessions" and fact.needs_review
