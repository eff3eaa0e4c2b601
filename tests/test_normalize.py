import pytest

from pipelines.ingest.normalize import normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("调解成功率９８．５％", "调解成功率98.5%"),  # full-width digits and percent → ASCII
        ("收到申请２６件，审结２４件", "收到申请26件,审结24件"),  # full-width comma → ASCII
        ("（一）加强组织领导", "(一)加强组织领导"),
        ("##paidbegin##三、推进依法行政##paidend##", "三、推进依法行政"),  # markers gone, text kept
        ("## paidBegin ##正文", "正文"),
        ("  学法  12 次\t累计\n", "学法 12 次累计"),  # whitespace folded; kept beside digits only
        ("法 治 政 府", "法治政府"),  # layout spaces between CJK characters dropped
        ("\u3000\u3000全年开展活动", "全年开展活动"),  # ideographic indent
        ("＊＊县", "**县"),
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
