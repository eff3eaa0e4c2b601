"""The review worklist as files an analyst works from: ``review.csv`` to fill in, ``review.html`` to read.

The worklist (figures most worth a second look, most consequential first) comes in as plain dicts.
The CSV starts with the corrections-file columns in the corrections file's order, so an analyst types
an action (and author, date) into the rows they decide and the file imports as it stands; the
remaining columns are context, ignored on import. The HTML page shows the same rows grouped by county,
with the sentence each figure came from and the figure marked in it, so a decision can be made without
opening the report. Pure functions: no warehouse, no Dagster; the page is one file with no network.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template

from .corrections_file import COLUMNS as CORRECTION_COLUMNS
from .corrections_file import format_value

Row = Mapping[str, object]

CONTEXT_COLUMNS = ["rank", "reasons", "reason_text", "county", "county_code", "year", "indicator_name", "unit",
                   "evidence", "path"]
REVIEW_COLUMNS = [*CORRECTION_COLUMNS, *CONTEXT_COLUMNS]
LEFT_EMPTY = ("action", "note", "author", "date")  # the analyst's part of each row

REASON_LABELS = {
    "needs_review": "置信度低",
    "ocr": "OCR识别",
    "conflict": "来源不一致",
    "yoy_jump": "同比异常",
    "outlier": "偏离同类",
    "rate_contradicts_counts": "比率与数量不符",
    "masked": "数值被遮盖",
    "lost_indicator": "上年有今年无",
}
UNKNOWN_COUNTY = "未知县区"
COMMAND = "shufa correct confirm|reject|set"


# --------------------------------------------------------------------------------------------------
# review.csv

def write_review_csv(rows: Iterable[Row], path: Path) -> None:
    """Write the worklist as review.csv: BOM and CRLF so Excel and WPS open the Chinese text correctly,
    and the corrections columns first so the filled-in file is itself a corrections file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REVIEW_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(csv_record(row))


def csv_record(row: Row) -> dict[str, str]:
    """One worklist row as review.csv cells: strings throughout (None as ""), so what the analyst sees
    is what re-reading gives back, with the decision columns left blank for them."""
    record = {column: _text(row.get(column)) for column in REVIEW_COLUMNS}
    record.update(dict.fromkeys(LEFT_EMPTY, ""))
    record["value"] = format_value(_float_or_none(row.get("value")))
    record["reasons"] = ";".join(row.get("reasons") or [])
    return record


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # an int value (356) formats like 356.0


# --------------------------------------------------------------------------------------------------
# the figure in its sentence

def figure_position(evidence: str, figure: str, context_before: str) -> int | None:
    """Where in evidence the figure is, or None when it is not there. A figure written twice in one
    sentence (受理12件，办结12件) is told apart by what precedes it: the occurrence whose preceding text
    shares the longest tail with context_before, the text the extractor saw just before the figure."""
    if not figure or not evidence:
        return None
    best, best_score = None, -1
    for start in _occurrences(evidence, figure):
        score = _common_suffix_length(evidence[:start], context_before)
        if score > best_score:
            best, best_score = start, score
    return best


def _occurrences(text: str, needle: str) -> list[int]:
    """Every start of needle in text, overlapping ones included (a figure like 11 in 111)."""
    starts, start = [], text.find(needle)
    while start != -1:
        starts.append(start)
        start = text.find(needle, start + 1)
    return starts


def _common_suffix_length(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def highlight_evidence(evidence: str, figure: str, context_before: str) -> str:
    """The sentence as HTML with the figure in <mark>; unmarked when the figure is not in it, because
    marking a guess would point the analyst at the wrong number."""
    start = figure_position(evidence, figure, context_before)
    if start is None:
        return escape(evidence)
    end = start + len(figure)
    return f"{escape(evidence[:start])}<mark>{escape(evidence[start:end])}</mark>{escape(evidence[end:])}"


# --------------------------------------------------------------------------------------------------
# review.html

def write_review_html(rows: Sequence[Row], path: Path, title: str, generated_at: str) -> None:
    """Write the worklist as one standalone page (inline CSS, no script, no network), so it opens from
    disk or as an e-mail attachment on any analyst's machine."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_review_html(rows, title, generated_at), encoding="utf-8")


def render_review_html(rows: Sequence[Row], title: str, generated_at: str) -> str:
    """The page as a string; kept apart from writing so it can be checked without a file."""
    rows = list(rows)
    template = Template(files(__package__).joinpath("review_template.html").read_text("utf-8"))
    return template.substitute(
        title=escape(title),
        generated_at=escape(generated_at),
        count=len(rows),
        body=_body(rows),
    )


def _body(rows: list[Row]) -> str:
    """A contents list and a section per county, or a plain statement that there is nothing to do:
    an empty page would leave the analyst wondering whether the build failed."""
    if not rows:
        return '<p class="empty">没有需要复核的数字。Nothing to review.</p>'
    groups = group_by_county(rows)
    return _contents(groups) + "\n".join(_section(i, county, group) for i, (county, group) in enumerate(groups))


def group_by_county(rows: Iterable[Row]) -> list[tuple[tuple[str | None, str | None], list[Row]]]:
    """Rows by (county, county_code), counties in the order they first appear, so the county with the
    most consequential row comes first. The code is part of the key: two counties may share a name."""
    groups: dict[tuple[str | None, str | None], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.get("county"), row.get("county_code")), []).append(row)
    return list(groups.items())


def county_heading(county: str | None, county_code: str | None) -> str:
    """The section heading, as plain text: 平阳县 (330326), or 未知县区 when the county is not known."""
    if county is None:
        return UNKNOWN_COUNTY + (f" ({county_code})" if county_code else "")
    return f"{county} ({county_code})" if county_code else county


def _contents(groups: list[tuple[tuple[str | None, str | None], list[Row]]]) -> str:
    items = "".join(f'<li><a href="#county-{i}">{escape(county_heading(*key))}</a> '
                    f'<span class="muted">{len(group)}</span></li>' for i, (key, group) in enumerate(groups))
    return f"<nav><ol>{items}</ol></nav>\n"


def _section(index: int, key: tuple[str | None, str | None], rows: list[Row]) -> str:
    province = rows[0].get("province")
    small = f" <small>{escape(str(province))} · {len(rows)} 条</small>" if province else f" <small>{len(rows)} 条</small>"
    header = ("<tr><th>#</th><th>年份</th><th>指标</th><th>数值</th><th>原因</th><th>原文</th><th>文件</th>"
              "<th>更正命令</th></tr>")
    body = "\n".join(_table_row(row) for row in rows)
    return (f'<section id="county-{index}">\n<h2>{escape(county_heading(*key))}{small}</h2>\n'
            f"<table>\n<thead>{header}</thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</section>")


def _table_row(row: Row) -> str:
    """One figure: where it is, what it says, why it is on the list, and the key to name it by."""
    cells = [
        f'<td class="num">{escape(_text(row.get("rank")))}</td>',
        f'<td class="num">{escape(_text(row.get("year")))}</td>',
        f'<td>{escape(_text(row.get("indicator_name")))}<br>'
        f'<span class="code">{escape(_text(row.get("indicator_code")))}</span></td>',
        f'<td class="num">{_value_cell(row)}</td>',
        f"<td>{reason_badges(row.get('reasons') or [])}<br>{escape(_text(row.get('reason_text')))}</td>",
        '<td class="evidence">' + highlight_evidence(_text(row.get("evidence")), _text(row.get("figure")),
                                                     _text(row.get("context_before"))) + "</td>",
        f'<td class="path">{escape(_text(row.get("path")))}</td>',
        f"<td>{command_hint(row)}</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def _value_cell(row: Row) -> str:
    """The value with its unit, the figure as written under it, and a tag when an analyst already
    changed it, so a second correction of a correction is a conscious one."""
    value = _float_or_none(row.get("value"))
    text = "—" if value is None else format_value(value) + _text(row.get("unit"))
    parts = [escape(text)]
    if row.get("figure"):
        parts.append(f'<span class="muted">原文 {escape(_text(row.get("figure")))}</span>')
    if row.get("source") == "corrected":
        parts.append('<span class="tag">已更正 corrected</span>')
    return "<br>".join(parts)


def reason_badges(reasons: Iterable[str]) -> str:
    """Each reason code as a small labelled badge; an unknown code shows as itself rather than vanish."""
    return "".join(f'<span class="badge {escape(code)}" title="{escape(code)}">'
                   f"{escape(REASON_LABELS.get(code, code))}</span>" for code in reasons)


def command_hint(row: Row) -> str:
    """The figure's key (doc_id char_start indicator_code) ready to copy after ``shufa correct ...``;
    a figure with no position in a document (an indicator missing this year) can only be added."""
    doc_id, char_start = row.get("doc_id"), row.get("char_start")
    if doc_id is None or char_start is None:
        return '<span class="muted">无原文位置：在 review.csv 中用 add</span>'
    key = f"{doc_id} {char_start} {_text(row.get('indicator_code'))}"
    return f'<span class="cmd">{escape(COMMAND)}</span> <code class="key">{escape(key)}</code>'
