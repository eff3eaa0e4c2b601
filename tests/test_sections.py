import pytest

from pipelines.ingest.model import Location, RawBlock
from pipelines.ingest.sections import assign_sections, heading_level, heading_title


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、树牢法治观念", 1),
        ("十二、其他工作", 1),
        ("第二部分 主要做法", 1),
        ("(一)加强组织领导", 2),
        ("1.严格规范性文件管理", 3),
        ("2、健全决策机制", 3),
        ("一是定期召开会议专题研究。", 3),
        ("(3)细化考核", 4),
        ("2022年以来,召开会议3次", None),  # a year is not a heading number
        ("1.5万份宣传资料", None),  # a decimal is not a heading number
        ("全年开展普法活动", None),
    ],
)
def test_heading_level(text, level):
    assert heading_level(text) == level


def test_heading_title_stops_at_first_sentence_end():
    assert heading_title("(一)加强组织领导,强化支持保障。始终把法治建设工作……") == "(一)加强组织领导,强化支持保障"


def _raw(text, kind="paragraph", level=None):
    return RawBlock(text=text, location=Location(paragraph=1), kind=kind, heading_level=level)


def test_section_paths_follow_nesting():
    blocks = assign_sections(
        [
            _raw("2023年某县法治政府建设年度报告", kind="title"),
            _raw("一、加强组织领导"),
            _raw("(一)压实责任。全年召开会议4次。"),
            _raw("正文段落"),
            _raw("312", kind="table_cell"),
            _raw("(二)强化考核"),
            _raw("二、严格执法"),
            _raw("全县执法人员812人"),
        ]
    )
    assert [b.section_path for b in blocks] == [
        (),
        ("一、加强组织领导",),
        ("一、加强组织领导", "(一)压实责任"),
        ("一、加强组织领导", "(一)压实责任"),
        ("一、加强组织领导", "(一)压实责任"),  # a table cell never opens a section
        ("一、加强组织领导", "(二)强化考核"),
        ("二、严格执法",),
        ("二、严格执法",),
    ]
    assert [b.kind for b in blocks][:3] == ["title", "heading", "heading"]
    assert [b.block_no for b in blocks] == list(range(8))


def test_word_heading_style_level_wins_over_text():
    blocks = assign_sections([_raw("加强组织领导", level=1), _raw("压实责任", level=2), _raw("正文")])
    assert blocks[2].section_path == ("加强组织领导", "压实责任")
