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


def test_spans_index_the_text():
    text = normalize_text("全年收到申请26件,审结24件,纠错率11.5%。")
    for quantity in find_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
