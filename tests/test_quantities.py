"""The quantity parser, rule by rule (text is normalised first, as the pipeline does)."""

import pytest

from pipelines.extract.quantities import find_quantities
from pipelines.ingest.normalize import normalize_text


def q(text):
    return [
        (x.text, x.value, x.lower, x.upper, x.unit, x.qualifier, x.masked)
        for x in find_quantities(normalize_text(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic, full-width, thousands separators, decimals
        ("开展了36场普法活动", [("36场", 36, 36, 36, "场", None, False)]),
        ("办理案件３１２件", [("312件", 312, 312, 312, "件", None, False)]),
        ("持证执法人员1,236人", [("1,236人", 1236, 1236, 1236, "人", None, False)]),
        ("调解成功率98.5％", [("98.5%", 98.5, 98.5, 98.5, "%", None, False)]),
        ("学习 12 次", [("12 次", 12, 12, 12, "次", None, False)]),
        # 半 before a unit of time is half of it; 半年 is a period, 一个半小时 not a half alone
        ("开办时间压缩至半个工作日以内", [("半个工作日以内", 0.5, None, 0.5, "个工作日", "at_most", False)]),
        ("半天办结", [("半天", 0.5, 0.5, 0.5, "天", None, False)]),
        ("半年来", []),
        ("一个半小时", []),
        # pages laid out with spaces keep 万 and 余 with their figure
        ("办理 2.6 万件", [("2.6 万件", 26000, 26000, 26000, "件", None, False)]),
        ("接待咨询 310 余人次", [("310 余人次", 310, 310, None, "人次", "at_least", False)]),
        # Chinese numerals: only the numeral span is converted
        ("召开常务会议三次", [("三次", 3, 3, 3, "次", None, False)]),
        ("举办培训班十二个", [("十二个", 12, 12, 12, "个", None, False)]),
        ("受理一百二十件", [("一百二十件", 120, 120, 120, "件", None, False)]),
        ("开展两场宣讲", [("两场", 2, 2, 2, "场", None, False)]),
        ("培训班两期,讲座一期", [("两期", 2, 2, 2, "期", None, False), ("一期", 1, 1, 1, "期", None, False)]),
        # 万 / 亿 multipliers, 万元 kept as a unit
        ("发放资料1.2万份", [("1.2万份", 12000, 12000, 12000, "份", None, False)]),
        ("印发材料12.5万余份", [("12.5万余份", 125000, 125000, None, "份", "at_least", False)]),
        ("受理3万件", [("3万件", 30000, 30000, 30000, "件", None, False)]),
        ("受众23.6万余人次", [("23.6万余人次", 236000, 236000, None, "人次", "at_least", False)]),
        ("覆盖三万余人", [("三万余人", 30000, 30000, None, "人", "at_least", False)]),
        ("挽回经济损失356.8万元", [("356.8万元", 356.8, 356.8, 356.8, "万元", None, False)]),
        # percentages
        ("出庭应诉率100%", [("100%", 100, 100, 100, "%", None, False)]),
        ("合格率达百分之九十八", [("百分之九十八", 98, 98, 98, "%", None, False)]),
        # qualifiers → bounds
        ("开展活动160余场", [("160余场", 160, 160, None, "场", "at_least", False)]),
        ("发放1万多份", [("1万多份", 10000, 10000, None, "份", "at_least", False)]),
        ("参与率98%以上", [("98%以上", 98, 98, None, "%", "at_least", False)]),
        ("超过95%", [("95%", 95, 95, None, "%", "at_least", False)]),
        ("近3000人", [("3000人", 3000, None, None, "人", "approx", False)]),
        ("约500份", [("500份", 500, None, None, "份", "approx", False)]),
        ("200人左右", [("200人左右", 200, None, None, "人", "approx", False)]),
        ("不足10件", [("10件", 10, None, 10, "件", "at_most", False)]),
        ("压缩至1个工作日以内", [("1个工作日以内", 1, None, 1, "个工作日", "at_most", False)]),
        # ranges
        ("制定1-2部", [("1-2部", None, 1, 2, "部", "range", False)]),
        ("开展3至5次", [("3至5次", None, 3, 5, "次", "range", False)]),
        # masked figures: value unknown, bounds from the digit count
        ("召开会议*次", [("*次", None, 1, 9, "次", None, True)]),
        ("调解***件", [("***件", None, 100, 999, "件", None, True)]),
        ("办结率**％", [("**%", None, 10, 99, "%", None, True)]),
        ("发放手册*****余册", [("*****余册", None, 10000, None, "册", "at_least", True)]),
        ("受理＊＊件", [("**件", None, 10, 99, "件", None, True)]),
        ("办理××件", [("××件", None, 10, 99, "件", None, True)]),
        # a figure with no unit right before a noun is still a quantity
        ("培育800法律明白人", [("800", 800, 800, 800, None, None, False)]),
        ("12345热线工单903件", [("903件", 903, 903, 903, "件", None, False)]),
        # comparisons: every figure is a quantity (roles are decided by the mapping)
        ("较上年的412件增加了88件,同比增长21.4%", [
            ("412件", 412, 412, 412, "件", None, False), ("88件", 88, 88, 88, "件", None, False),
            ("21.4%", 21.4, 21.4, 21.4, "%", None, False)]),
        ("涵盖28个部门224项事项", [("28个", 28, 28, 28, "个", None, False), ("224项", 224, 224, 224, "项", None, False)]),
    ],
)
def test_quantities(text, expected):
    assert q(text) == [tuple(float(v) if isinstance(v, int) else v for v in row) for row in expected]


@pytest.mark.parametrize(
    "text",
    [
        "2022年以来", "2023年度", "3月29日召开", "截至12月", "〔2016〕23号文件", "[2021]8号",
        "《**县2022年全面依法治县工作要点》", "《民法典》第一千零四十二条",
        "第一", "第3次会议", "一是", "(三)", "(3)", "1.严格规范性文件管理",
        "“八五”普法", "八五普法", "党的二十大", "“四重一大”", "一网一门一次", "“一网一门一次”改革", "三定方案",
        "拨打12348热线", "电话0772-1234567", "13800001111", "5G网络", "4A级景区",
        "一次性告知", "统一部署", "进一步", "一起研究", "一个环节", "一项重要工作", "十分重要", "万一", "**县", "**乡**村", "法治**建设",
    ],
)
def test_not_quantities(text):
    assert q(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # financial (大写) numerals: cn2an reads them; a 大写 span may carry 零, 万, 亿
        ("为群众挽回损失壹拾壹万壹仟元", [("壹拾壹万壹仟元", 111000, 111000, 111000, "元", None, False)]),
        ("全年代书文书叁佰伍拾件", [("叁佰伍拾件", 350, 350, 350, "件", None, False)]),
        ("奖补资金贰万元已拨付", [("贰万元", 20000, 20000, 20000, "元", None, False)]),
        ("垫付费用壹仟零伍元", [("壹仟零伍元", 1005, 1005, 1005, "元", None, False)]),
        ("专项经费贰亿元", [("贰亿元", 200000000, 200000000, 200000000, "元", None, False)]),
        ("执法队伍三支", [("三支", 3, 3, 3, "支", None, False)]),  # 伍 of 队伍 does not join 三
        ("队伍一百人", [("一百人", 100, 100, 100, "人", None, False)]),
        # 千 after Arabic digits is a multiplier, like 万; a smaller multiplier may follow a larger one
        ("参与群众2千余人", [("2千余人", 2000, 2000, None, "人", "at_least", False)]),
        ("发放调查问卷3千多份", [("3千多份", 3000, 3000, None, "份", "at_least", False)]),
        ("印制折页1.5千份", [("1.5千份", 1500, 1500, 1500, "份", None, False)]),
        ("累计1.5千", [("1.5千", 1500, 1500, 1500, None, None, False)]),
        ("奖励2千元", [("2千元", 2000, 2000, 2000, "元", None, False)]),
        ("覆盖1万2千人", [("1万2千人", 12000, 12000, 12000, "人", None, False)]),
        ("巡查道路3千米", [("3", 3, 3, 3, None, None, False)]),  # 千米 is a unit of length, not 3000
        # Chinese numerals with 千/万 inside, 余/多, bare magnitudes with a qualifier
        ("动员志愿者两万三千人", [("两万三千人", 23000, 23000, 23000, "人", None, False)]),
        ("旁听群众三千余人", [("三千余人", 3000, 3000, None, "人", "at_least", False)]),
        ("寄送一万二千份告知书", [("一万二千份", 12000, 12000, 12000, "份", None, False)]),
        ("组织巡回宣讲十余次", [("十余次", 10, 10, None, "次", "at_least", False)]),
        ("进社区宣传二十多场", [("二十多场", 20, 20, None, "场", "at_least", False)]),
        ("惠及居民千余人", [("千余人", 1000, 1000, None, "人", "at_least", False)]),
        ("线上观看万余人次", [("万余人次", 10000, 10000, None, "人次", "at_least", False)]),
        ("培训骨干百余人", [("百余人", 100, 100, None, "人", "at_least", False)]),
        # a parenthesised alternative unit is part of the span; the first unit is kept
        ("走进校园开展讲座58场(次)", [("58场(次)", 58, 58, 58, "场", None, False)]),
        ("核查线索20件（次）", [("20件(次)", 20, 20, 20, "件", None, False)]),
        ("约谈15人(次),", [("15人(次)", 15, 15, 15, "人", None, False)]),
        ("下沉指导30余场(次)以上", [("30余场(次)以上", 30, 30, None, "场", "at_least", False)]),
        # bounded: more digits (or stars) than a float keeps exactly → the span is kept, value and bounds are None
        ("登记123456789012345件", [("123456789012345件", 123456789012345, 123456789012345, 123456789012345,
                                    "件", None, False)]),
        ("登记1234567890123456件", [("1234567890123456件", None, None, None, "件", None, False)]),
        ("核查" + "*" * 15 + "件", [("*" * 15 + "件", None, 10**14, 10**15 - 1, "件", None, True)]),
        ("核查" + "*" * 16 + "件", [("*" * 16 + "件", None, None, None, "件", None, True)]),
        ("核查" + "*" * 400 + "件", [("*" * 400 + "件", None, None, None, "件", None, True)]),
        ("核查" + "9" * 400 + "件", [("9" * 400 + "件", None, None, None, "件", None, False)]),
        ("核查" + "九" * 400 + "件", [("九" * 400 + "件", None, None, None, "件", None, False)]),
    ],
)
def test_numeral_forms(text, expected):
    assert q(text) == [tuple(float(v) if isinstance(v, int) else v for v in row) for row in expected]


@pytest.mark.parametrize(
    "text",
    [
        "开展数十场活动", "走访几百户", "数万人", "上千人参加", "十几场", "几十场",
        "千人计划", "百人宣讲团", "万人大会", "千万不要", "千家万户",
        "队伍建设", "陆续出台", "拾遗补缺", "退伍军人", "陆家",
        "一网通办", "第三", "第二十场", "“八五”普法", "一次性告知", "三定方案", "2023年", "5月18日", "0771-2345678",
        "人民币贰万",  # a numeral with no unit is not a figure, in 大写 as in everyday numerals
    ],
)
def test_not_numeral_figures(text):
    assert q(text) == []


def test_spans_index_the_text():
    text = normalize_text("全年收到申请26件,审结24件,纠错率11.5%。宣讲58场(次),覆盖2千余人,挽回壹拾壹万元。")
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a chain of ,ddd groups is one thousands figure only when nothing but its end follows;
        # otherwise each part is read as it stands, and the next chain is judged afresh
        ("审结111,111,1111件,受理1,234,567件", [("111", 111), ("111", 111), ("1111件", 1111), ("1,234,567件", 1234567)]),
        ("受理12,345,6789件", [("12", 12), ("345", 345), ("6789件", 6789)]),
        ("1,234,5件和1,000人", [("1", 1), ("234", 234), ("5件", 5), ("1,000人", 1000)]),
        ("111,111,111,", [("111", 111), ("111", 111), ("111", 111)]),
    ],
)
def test_thousands_chains(text, expected):
    assert [(x.text, x.value) for x in find_quantities(normalize_text(text))] == [(t, float(v)) for t, v in expected]
