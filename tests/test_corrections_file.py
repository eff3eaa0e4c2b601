"""The corrections file: every action read, every malformed row reported with its line, rows appended safely."""

from __future__ import annotations

import pytest

from pipelines.corrections.corrections_file import (
    COLUMNS, Correction, CorrectionsFileError, append_correction, format_value, parse_row, read_corrections,
)

GOOD = {"doc_id": "0123456789abcdef", "char_start": "118", "indicator_code": "legal_aid_cases", "action": "set",
        "value": "356", "note": "the table says 356", "author": "王分析", "date": "2026-11-30", "figure": "365件"}


@pytest.mark.parametrize(("change", "expected"), [
    ({}, Correction("0123456789abcdef", 118, "legal_aid_cases", "set", 356.0, "the table says 356", "王分析",
                    "2026-11-30", "365件")),
    ({"action": "REJECT", "value": ""}, Correction("0123456789abcdef", 118, "legal_aid_cases", "reject", None,
                                                    "the table says 356", "王分析", "2026-11-30", "365件")),
    ({"action": "confirm", "value": "", "figure": ""}, Correction("0123456789abcdef", 118, "legal_aid_cases", "confirm",
                                                                 None, "the table says 356", "王分析", "2026-11-30", "")),
    ({"action": "add", "value": "1,234.5"}, Correction("0123456789abcdef", 118, "legal_aid_cases", "add", 1234.5,
                                                        "the table says 356", "王分析", "2026-11-30", "365件")),
])
def test_each_action_is_read(change, expected):
    assert parse_row({**GOOD, **change}) == expected


@pytest.mark.parametrize(("change", "says"), [
    ({"doc_id": "平阳县报告"}, "doc_id"),
    ({"char_start": "-3"}, "char_start"),
    ({"char_start": "十二"}, "char_start"),
    ({"action": "delete"}, "action 'delete'"),
    ({"indicator_code": "法律援助"}, "indicator_code"),
    ({"value": ""}, "needs a value"),
    ({"action": "add", "value": "inf"}, "not a number"),
    ({"author": " "}, "author"),
    ({"date": "2026/11/30"}, "YYYY-MM-DD"),
])
def test_a_malformed_row_says_what_is_wrong(change, says):
    with pytest.raises(ValueError, match=says):
        parse_row({**GOOD, **change})


def test_the_file_reports_bad_rows_by_line_and_keeps_the_good_ones(tmp_path):
    path = tmp_path / "corrections.csv"
    rows = [",".join(COLUMNS), ",".join(GOOD[c] for c in COLUMNS), "", "0123456789abcdef,5,legal_aid_cases,bogus,,,x,2026-01-01,"]
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")  # as Excel saves it
    corrections, problems = read_corrections(path)
    assert [c.action for c in corrections] == ["set"]
    assert problems == [(4, "action 'bogus' is not one of confirm, reject, set, add")]


def test_a_missing_file_is_no_corrections_and_missing_columns_are_an_error(tmp_path):
    assert read_corrections(tmp_path / "none.csv") == ([], [])
    (tmp_path / "bad.csv").write_text("doc_id,value\n", encoding="utf-8")
    with pytest.raises(CorrectionsFileError, match="char_start"):
        read_corrections(tmp_path / "bad.csv")


def test_appended_rows_read_back_and_the_file_opens_in_excel(tmp_path):
    path = tmp_path / "data" / "corrections.csv"
    first = parse_row(GOOD)
    append_correction(path, first)
    with path.open("ab") as handle:
        handle.write(",".join(GOOD[c] for c in COLUMNS).replace("365件", "手写").encode())  # typed, no line end
    second = parse_row({**GOOD, "action": "add", "value": "1234567", "char_start": "7"})
    append_correction(path, second)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # one BOM, at the start
    assert path.read_bytes().count(b"\xef\xbb\xbf") == 1
    corrections, problems = read_corrections(path)
    assert problems == [] and corrections == [first, parse_row({**GOOD, "figure": "手写"}), second]
    assert "1234567" in path.read_text("utf-8-sig")


@pytest.mark.parametrize(("value", "shown"), [(None, ""), (105258.0, "105258"), (98.6, "98.6"), (1234567.0, "1234567")])
def test_values_are_written_as_typed(value, shown):
    assert format_value(value) == shown
