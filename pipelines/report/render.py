"""A CountyProfile as one standalone HTML page: inline CSS, charts as inline SVG, no script, no network.

SVG drawn here rather than by a charting library keeps the page a single file that any browser opens
from disk, and keeps the report free of a JavaScript dependency. Every plotted point and every table
value links (#anchor) to the evidence entry further down the same page. The page is for Chinese
analysts: every word they read is Chinese; English codes appear only small and grey, where they are
what one would type in SQL. The figures table also travels inside the page as a CSV data: URI, so the
one file is all there is to send.
"""

from __future__ import annotations

import base64
import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from importlib.resources import files
from math import floor, log10
from string import Template

from .fonts import CSS_FONT_STACK
from .labels import category_zh, format_zh, polarity_zh, qualifier_zh, source_zh
from .profile import CountyProfile, Figure, Rank, ScorecardYear, evidence_anchor

QUALIFIER_SIGNS = {"at_least": "≥", "at_most": "≤", "approx": "≈"}
SERIES_COLOUR = "#2563eb"
REFERENCE_COLOUR = "#9ca3af"  # the province median, drawn dashed behind the county's own line
AXIS_COLOUR = "#9ca3af"
BEIJING = timedelta(hours=8)  # China Standard Time has no daylight saving: a fixed offset from UTC is exact


# --------------------------------------------------------------------------------------------------
# numbers

def format_number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(figure: Figure) -> str:
    """The value as a reader should see it: masked figures and ranges show their bounds, qualifiers their sign."""
    unit = figure.unit if figure.unit == "%" else f" {figure.unit}"
    if figure.masked:
        return f"*** ({format_number(figure.lower)}–{format_number(figure.upper)}{unit})"
    if figure.value is None:
        return f"{format_number(figure.lower)}–{format_number(figure.upper)}{unit}"
    sign = QUALIFIER_SIGNS.get(figure.qualifier or "", "")
    return f"{sign}{format_number(figure.value)}{unit}"


def nice_ticks(low: float, high: float, count: int = 4, whole: bool = False) -> list[float]:
    """Round tick values covering LOW..HIGH (1, 2, 2.5 or 5 times a power of ten apart; WHOLE: integers only)."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** floor(log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    if whole:
        step = max(1, round(step))
    first = floor(low / step) * step
    ticks = []
    tick = first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


# --------------------------------------------------------------------------------------------------
# charts

@dataclass(frozen=True)
class Point:
    year: int
    value: float
    href: str
    tooltip: str
    label: str = ""  # drawn above the point when set


@dataclass(frozen=True)
class ChartFrame:
    """Pixel geometry of one chart: where the plot area sits inside the SVG."""

    width: int = 300
    height: int = 170
    left: int = 50
    right: int = 14
    top: int = 30
    bottom: int = 24
    inset: int = 18  # keeps the first and last year's points and labels off the edges

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right - 2 * self.inset

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom


def _text_width(text: str) -> float:
    """Width in font sizes: a Chinese (full-width) character is about one, a Latin one about half."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def fit_title(title: str, max_width: float) -> str:
    """TITLE cut to MAX_WIDTH font sizes with an ellipsis, so a long indicator name does not run off its
    chart; the full title stays in the SVG's <title> tooltip."""
    if _text_width(title) <= max_width:
        return title
    while title and _text_width(title) > max_width - 1:
        title = title[:-1]
    return title + "…"


def line_chart(points: list[Point], years: list[int], title: str, kind: str, *, y_ticks: list[float],
               invert: bool = False, frame: ChartFrame = ChartFrame(), tick_format=format_number,
               reference: list[Point] = (), reference_label: str = "", title_suffix: str = "") -> str:
    """An SVG line chart over YEARS; INVERT puts the smallest value on top. REFERENCE is a second series
    (the province median) drawn dashed and grey, named by REFERENCE_LABEL in a small legend. A TITLE too
    long for the chart is shortened, never its TITLE_SUFFIX (the unit)."""
    first, last = years[0], years[-1]
    y_low, y_high = min(y_ticks), max(y_ticks)

    def x_of(year: int) -> float:
        if last == first:
            return frame.left + frame.inset + frame.plot_width / 2
        return frame.left + frame.inset + (year - first) / (last - first) * frame.plot_width

    def y_of(value: float) -> float:
        share = (value - y_low) / (y_high - y_low) if y_high > y_low else 0.5
        if invert:
            share = 1 - share
        return frame.top + (1 - share) * frame.plot_height

    budget = (frame.width - frame.left - 4) / 13 - _text_width(title_suffix)  # the title is 13 px
    shown_title, full_title = fit_title(title, budget) + title_suffix, title + title_suffix
    parts = [
        f'<svg class="chart chart-{escape(kind)}" data-chart="{escape(kind)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" height="{frame.height}" role="img" '
        f'font-family="{escape(CSS_FONT_STACK)}" font-size="11">',
        f"<title>{escape(full_title)}</title>",
        f'<text x="{frame.left}" y="18" font-size="13" fill="#1f2937">{escape(shown_title)}</text>',
    ]
    for tick in y_ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#eef0f3"/>')
        parts.append(f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7280">'
                     f"{escape(tick_format(tick))}</text>")
    axis_y = frame.top + frame.plot_height
    parts.append(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{axis_y}" y2="{axis_y}" '
                 f'stroke="{AXIS_COLOUR}"/>')
    label_every = -(-len(years) // 6)  # at most six year labels
    for i, year in enumerate(years):
        if i % label_every == 0 or year == last:
            parts.append(f'<text x="{x_of(year):.1f}" y="{axis_y + 16}" text-anchor="middle" fill="#6b7280">'
                         f"{year}</text>")
    ordered_reference = sorted(reference, key=lambda p: p.year)
    if ordered_reference:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x_of(p.year):.1f},{y_of(p.value):.1f}"
                     for i, p in enumerate(ordered_reference))
        parts.append(f'<path class="reference" d="{d}" fill="none" stroke="{REFERENCE_COLOUR}" stroke-width="1.5" '
                     f'stroke-dasharray="4 3"/>')
        for p in ordered_reference:
            parts.append(f'<circle class="reference-point" cx="{x_of(p.year):.1f}" cy="{y_of(p.value):.1f}" r="2.5" '
                         f'fill="{REFERENCE_COLOUR}"><title>{escape(p.tooltip)}</title></circle>')
        legend_x = frame.width - frame.right
        parts.append(f'<text x="{legend_x}" y="{frame.top - 9}" text-anchor="end" font-size="10" fill="#6b7280">'
                     f'<tspan fill="{SERIES_COLOUR}">━</tspan> 本县 <tspan fill="{REFERENCE_COLOUR}">┅</tspan> '
                     f"{escape(reference_label)}</text>")
    ordered = sorted(points, key=lambda p: p.year)
    if len(ordered) > 1:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x_of(p.year):.1f},{y_of(p.value):.1f}" for i, p in enumerate(ordered))
        parts.append(f'<path class="series" d="{d}" fill="none" stroke="{SERIES_COLOUR}" stroke-width="2.5" '
                     f'stroke-linejoin="round"/>')
    for p in ordered:
        x, y = x_of(p.year), y_of(p.value)
        parts.append(f'<a href="#{escape(p.href)}"><circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                     f'fill="{SERIES_COLOUR}" stroke="#fff" stroke-width="1.5"><title>{escape(p.tooltip)}</title>'
                     f"</circle></a>")
        if p.label:  # above the point, or below it when the point is at the top of the plot
            label_y = y - 9 if y - 9 > frame.top + 2 else y + 17
            parts.append(f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="middle" fill="#1f2937">'
                         f"{escape(p.label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _value_ticks(values: list[float], unit: str) -> list[float]:
    """Ticks a little beyond the values: never below 0 for non-negative data, never above 100 for shares."""
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 1)
    low = max(low - pad, 0) if low >= 0 else low - pad
    high = min(high + pad, 100) if unit == "%" and high <= 100 else high + pad
    whole = unit != "%" and all(float(v).is_integer() for v in values)
    return nice_ticks(low, high, whole=whole)


TREND_FRAME = ChartFrame(height=184, top=44)  # room under the title for the legend


def _median_points(figures: list[Figure]) -> list[Point]:
    """The province median beside the county's own values, where it rests on at least two counties
    (over one county it is the county's own value and says nothing)."""
    return [Point(f.year, f.province_median, f.evidence.anchor,
                  f"{f.year}年 省内中位数 {format_number(f.province_median)}（{f.province_n_values}个县）")
            for f in figures if f.province_median is not None and f.province_n_values >= 2]


def trend_charts(profile: CountyProfile) -> str:
    """One small line chart per indicator with a known value in two or more years, the province median
    dashed behind it."""
    by_indicator: dict[str, list[Figure]] = defaultdict(list)
    for figure in profile.figures:
        if figure.value is not None:
            by_indicator[figure.indicator_code].append(figure)
    charts = []
    for figures in by_indicator.values():
        if len(figures) < 2:
            continue
        head = figures[0]
        points = [Point(f.year, f.value, f.evidence.anchor, f"{f.year}年：{format_figure(f)}") for f in figures]
        medians = _median_points(figures)
        ticks = _value_ticks([p.value for p in points + medians], head.unit)
        charts.append(line_chart(points, profile.years, head.name_zh, "trend", y_ticks=ticks, frame=TREND_FRAME,
                                 reference=medians, reference_label="省内中位数", title_suffix=f"（{head.unit}）"))
    if not charts:
        return '<p class="muted">没有哪项指标在两个或以上年份有数值。</p>'
    return f'<div class="charts">{"".join(charts)}</div>'


def _percent(share: float) -> str:
    return f"{share:.0%}"


def rank_charts(profile: CountyProfile) -> str:
    """Percentile over the years (best on top) for each indicator ranked against other counties in two or
    more years, then the rank table. Percentile, not rank: 3rd of 4 and 3rd of 30 are different places,
    and the number of counties ranked changes from year to year; each point is labelled rank/n."""
    by_indicator: dict[str, list[Rank]] = defaultdict(list)
    for rank in profile.ranks:
        if rank.percentile is not None:  # first of one says nothing
            by_indicator[rank.indicator_code].append(rank)
    charts = []
    for code, ranks in by_indicator.items():
        if len(ranks) < 2:
            continue
        points = [Point(r.year, r.percentile, evidence_anchor(code, r.year),
                        f"{r.year}年：第{r.rank}名，共{r.n_ranked}个县，百分位 {_percent(r.percentile)}",
                        label=f"{r.rank}/{r.n_ranked}") for r in ranks]
        charts.append(line_chart(points, profile.years, ranks[0].name_zh, "rank",
                                 y_ticks=[0, 0.25, 0.5, 0.75, 1], tick_format=_percent))
    chart_html = f'<div class="charts">{"".join(charts)}</div>' if charts else \
        '<p class="muted">没有哪项指标在两个或以上年份与其他县一同排名。</p>'
    return chart_html + rank_table(profile)


def scorecard_section(profile: CountyProfile) -> str:
    """The score over the years (labelled with the county's place) and the scorecard table."""
    if not profile.scorecard:
        return '<p class="muted">本县没有综合得分：它的数据都无法参与排名。</p>'
    points = [  # a score rests on all the year's figures: its point links to that year's column of the values table
        Point(s.year, s.score, f"year-{s.year}", f"{s.year}年：得分 {s.score:.1f}，第{s.score_rank}名，共{s.n_scored}个县",
              label=f"{s.score:.0f}（{s.score_rank}/{s.n_scored}）")
        for s in profile.scorecard
    ]
    chart = line_chart(points, profile.years, f"{profile.county.name} 综合得分（0–100）", "scorecard",
                       y_ticks=[0, 25, 50, 75, 100], frame=ChartFrame(width=720, height=240, left=44, top=36))
    return f'<div class="charts wide">{chart}</div>' + scorecard_table(profile.scorecard)


# --------------------------------------------------------------------------------------------------
# tables

def _code(code: str) -> str:
    """An English code, small and grey: for whoever writes the SQL, not in the way of the reader."""
    return f' <code class="code">{escape(code)}</code>'


def scorecard_table(scorecard: list[ScorecardYear]) -> str:
    rows = "".join(
        f'<tr><td><a href="#year-{s.year}">{s.year}</a></td><td class="num">{s.score:.1f}</td>'
        f'<td class="num">{s.score_rank} / {s.n_scored}</td><td class="num">{s.indicators_reported}</td>'
        f'<td class="num">{s.indicators_ranked}</td><td class="num">{s.coverage:.0%}</td></tr>'
        for s in scorecard
    )
    header = "".join(f'<th class="num">{name}</th>' for name in
                     ("得分", "排名 / 县数", "计分指标数", "当年可排名指标数", "覆盖率"))
    return f'<table class="scorecard"><thead><tr><th>年份</th>{header}</tr></thead><tbody>{rows}</tbody></table>'


def _change_marker(figure: Figure) -> str:
    if figure.abs_change is None or figure.prev_year is None:
        return ""
    arrow = "▲" if figure.abs_change > 0 else "▼" if figure.abs_change < 0 else "="
    direction = "up" if figure.abs_change > 0 else "down" if figure.abs_change < 0 else "flat"
    css = "flat" if direction == "flat" or figure.improved is None else \
        f"{direction}-{'good' if figure.improved else 'bad'}"
    pct = f"，{figure.pct_change:+.1f}%" if figure.pct_change is not None else ""
    tooltip = f"较{figure.prev_year}年 {figure.abs_change:+,g}{pct}"
    return f'<span class="change {css}" title="{escape(tooltip)}">{arrow}</span>'


def _median_note(figure: Figure) -> str:
    """The province median beside a value, with the number of counties it is over (this one included).
    Over this county alone it would only repeat the value, so the note says that instead."""
    if figure.province_median is None:
        return ""
    if figure.province_n_values == 1 and figure.value is not None:
        return '<div class="median" title="本省没有其他县报告这一指标的数值">省内仅本县</div>'
    title = f"{figure.year}年本省{figure.province_n_values}个有数值的县（含本县）的中位数"
    return (f'<div class="median" title="{escape(title)}">省中位 {escape(format_number(figure.province_median))}'
            f"（{figure.province_n_values}县）</div>")


def _value_cell(figure: Figure | None) -> str:
    if figure is None:
        return '<td class="num muted">·</td>'
    marks = '<span title="各份报告对这一数值说法不一">†</span>' if figure.has_conflict else ""
    if figure.source == "corrected":  # the English words are what the corrections file says
        who = f"已由分析员更正（corrected by {figure.correction_author}: {figure.correction_note or ''}）"
        marks += f'<span class="corrected" title="{escape(who)}">✎</span>'
    return (f'<td class="num"><a href="#{figure.evidence.anchor}">{escape(format_figure(figure))}</a>'
            f"{marks}{_change_marker(figure)}{_median_note(figure)}</td>")


def values_table(profile: CountyProfile) -> str:
    """Indicators × years; each cell is the chosen value, linked to its evidence, over the province median."""
    years = sorted({f.year for f in profile.figures})
    if not years:
        return '<p class="muted">本县报告中没有找到目录内的指标数据。</p>'
    cells: dict[str, dict[int, Figure]] = defaultdict(dict)
    heads: dict[str, Figure] = {}
    for figure in profile.figures:
        cells[figure.indicator_code][figure.year] = figure
        heads.setdefault(figure.indicator_code, figure)
    header = "".join(f'<th class="num" id="year-{y}">{y}</th>' for y in years)
    rows, category = [], None
    for code, head in heads.items():
        if head.category != category:
            category = head.category
            rows.append(f'<tr class="category"><th colspan="{len(years) + 2}">{escape(category_zh(category))}'
                        f"{_code(category)}</th></tr>")
        tds = "".join(_value_cell(cells[code].get(year)) for year in years)
        rows.append(f'<tr><td title="{escape(head.name_en)}">{escape(head.name_zh)}{_code(code)}</td>'
                    f'<td class="polarity">{escape(polarity_zh(head.polarity))}</td>{tds}</tr>')
    return (f'<table class="values"><thead><tr><th>指标</th><th>评价方向</th>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _rank_movement(rank: Rank) -> str:
    """The comparable move since last year: among the counties ranked both years, with the percentile change."""
    if rank.rank_change is None:
        return ""
    arrow, css = ("▲", "up-good") if rank.rank_change > 0 else ("▼", "down-bad") if rank.rank_change < 0 else ("=", "flat")
    pct = f"，百分位 {rank.percentile_change:+.0%}" if rank.percentile_change is not None else ""
    moved = "名次未变" if rank.rank_change == 0 else \
        f"{'上升' if rank.rank_change > 0 else '下降'}{abs(rank.rank_change)}位"
    tooltip = f"在{rank.year - 1}、{rank.year}两年均有排名的{rank.n_ranked_both}个县中{moved}{pct}"
    amount = abs(rank.rank_change) if rank.rank_change else ""
    return f'<span class="change {css}" title="{escape(tooltip)}">{arrow}{amount}</span>'


def _rank_cell(code: str, rank: Rank | None) -> str:
    if rank is None:
        return '<td class="num muted">·</td>'
    province = (f'<div class="median" title="在{escape(rank.province or "本省")}参与排名的县中">'
                f"省内 {rank.province_rank} / {rank.province_n}</div>")
    return (f'<td class="num"><a href="#{evidence_anchor(code, rank.year)}" title="第{rank.rank}名，共{rank.n_ranked}个县">'
            f"{rank.rank} / {rank.n_ranked}</a>{_rank_movement(rank)}{province}</td>")


def rank_table(profile: CountyProfile) -> str:
    if not profile.ranks:
        return '<p class="muted">本县没有可排名的数据。</p>'
    years = sorted({r.year for r in profile.ranks})
    by_indicator: dict[str, dict[int, Rank]] = defaultdict(dict)
    heads: dict[str, Rank] = {}
    for rank in profile.ranks:
        by_indicator[rank.indicator_code][rank.year] = rank
        heads.setdefault(rank.indicator_code, rank)
    header = "".join(f'<th class="num">{y}</th>' for y in years)
    rows = []
    for code, ranks in by_indicator.items():
        head = heads[code]
        tds = "".join(_rank_cell(code, ranks.get(year)) for year in years)
        rows.append(f"<tr><td>{escape(head.name_zh)}{_code(code)}</td>"
                    f'<td class="polarity">{escape(polarity_zh(head.polarity))}</td>{tds}</tr>')
    return (f'<table class="ranks"><thead><tr><th>指标</th><th>评价方向</th>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def evidence_list(profile: CountyProfile) -> str:
    items = []
    for figure in profile.figures:
        ev = figure.evidence
        section = f'<div class="where">{escape(" › ".join(ev.section_path))}</div>' if ev.section_path else ""
        items.append(
            f'<li id="{ev.anchor}"><div><b>{escape(figure.name_zh)}</b> {figure.year}年：'
            f"{escape(format_figure(figure))}</div>"
            f'<div class="where"><span class="file" title="{escape(ev.path)}">{escape(ev.file_name)}</span> · '
            f"{escape(ev.location)} · 字符 {ev.char_start}–{ev.char_end}</div>{section}"
            f"<blockquote>{escape(ev.before)}<mark>{escape(ev.figure)}</mark>{escape(ev.after)}</blockquote></li>"
        )
    return f'<ol class="evidence">{"".join(items)}</ol>'


def documents_table(profile: CountyProfile) -> str:
    rows = "".join(
        f"<tr><td>{d.year or '?'}</td><td title=\"{escape(d.path)}\">{escape(d.file_name)}</td>"
        f"<td>{escape(format_zh(d.format))}</td><td>{escape(d.report_type)}</td><td>{escape(d.issuer_role or '')}</td>"
        f"<td>{escape(d.county_as_written or '')}</td></tr>"
        for d in profile.documents
    )
    return ("<table><thead><tr><th>年份</th><th>文件</th><th>格式</th><th>报告类型</th><th>报告人</th>"
            f"<th>报告中的县名</th></tr></thead><tbody>{rows}</tbody></table>")


# --------------------------------------------------------------------------------------------------
# the figures as CSV, inside the page

CSV_COLUMNS = (
    "县级行政区代码", "县级行政区", "省份", "指标代码", "指标", "类别", "评价方向", "单位", "年份", "数值", "下限", "上限",
    "限定", "已隐去", "省内中位数", "省内有数值县数", "排名", "参与排名县数", "百分位", "排名变化（两年均有排名的县中）",
    "两年均有排名县数", "百分位变化", "省内排名", "省内参与排名县数", "数据来源", "来源文件", "原文",
)


def _csv_number(value: float | int | None) -> str:
    """A number as a spreadsheet should read it: no thousands separators, no trailing .0, no exponent."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def figures_csv(profile: CountyProfile) -> str:
    """One row per (indicator, year) the county reported: the values table in long form, with the province
    median, the ranks and the sentence, so an analyst can take it into a spreadsheet."""
    county = profile.county
    ranks = {(r.indicator_code, r.year): r for r in profile.ranks}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in profile.figures:
        r = ranks.get((f.indicator_code, f.year))
        ev = f.evidence
        rank_cols = ([r.rank, r.n_ranked, r.percentile, r.rank_change, r.n_ranked_both, r.percentile_change,
                      r.province_rank, r.province_n] if r else [None] * 8)
        writer.writerow([
            county.code, county.name, county.province or "", f.indicator_code, f.name_zh, category_zh(f.category),
            polarity_zh(f.polarity), f.unit, f.year, _csv_number(f.value), _csv_number(f.lower), _csv_number(f.upper),
            qualifier_zh(f.qualifier), "是" if f.masked else "否", _csv_number(f.province_median),
            f.province_n_values, *map(_csv_number, rank_cols), source_zh(f.source), ev.file_name,
            ev.before + ev.figure + ev.after,
        ])
    return out.getvalue()


def csv_data_uri(text: str) -> str:
    """TEXT as a data: URI, UTF-8 with a BOM: without the BOM, Excel reads a CSV as the local ANSI code page
    and the Chinese comes out garbled."""
    payload = base64.b64encode(b"\xef\xbb\xbf" + text.encode("utf-8")).decode("ascii")
    return f"data:text/csv;charset=utf-8;base64,{payload}"


def csv_link(profile: CountyProfile) -> str:
    county = profile.county
    name = "".join("_" if ch in '/\\\0"' else ch for ch in f"{county.code}-{county.name}-数据.csv")
    return (f'<a class="download" id="download" href="{csv_data_uri(figures_csv(profile))}" download="{escape(name)}">'
            f"⬇ 下载全部数据（CSV，{len(profile.figures)}行）</a>")


# --------------------------------------------------------------------------------------------------
# page

def format_built_at(built_at: datetime | None) -> str:
    """The warehouse's build time (stored in UTC) as a Chinese reader expects it: Beijing time."""
    if built_at is None:
        return "未记录"
    return f"{built_at + BEIJING:%Y-%m-%d %H:%M}（北京时间）"


def _facts(profile: CountyProfile) -> str:
    years = profile.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    latest = profile.scorecard[-1] if profile.scorecard else None
    facts = [("报告", f"{len(profile.documents)} 份"), ("年份", span), ("数据项", f"{len(profile.figures)} 项")]
    if latest:
        facts.append((f"{latest.year}年综合得分", f"{latest.score:.1f}（{latest.score_rank}/{latest.n_scored}）"))
    facts.append(("数据构建于", format_built_at(profile.built_at)))
    return "".join(f"<li>{escape(label)}<b>{escape(value)}</b></li>" for label, value in facts)


def render_profile(profile: CountyProfile) -> str:
    """The whole page as one HTML string."""
    county = profile.county
    written_as = sorted({d.county_as_written for d in profile.documents} - {county.name, None})
    former = f" · 部分报告称其为{'、'.join(written_as)}" if written_as else ""
    template = Template(files(__package__).joinpath("template.html").read_text("utf-8"))
    return template.substitute(
        title=escape(f"{county.name} {county.code} · 法治建设数据概览"),
        font_stack=CSS_FONT_STACK,
        heading=escape(f"{county.name} 法治建设数据概览"),
        subheading=escape(f"{county.full_name} · 行政区划代码 {county.code} · {county.level or ''}{former}"),
        facts=_facts(profile),
        scorecard=scorecard_section(profile),
        trends=trend_charts(profile),
        ranks=rank_charts(profile),
        download=csv_link(profile),
        values=values_table(profile),
        evidence=evidence_list(profile),
        documents=documents_table(profile),
        footer=escape(f"由 shufa report 据已发布的数据仓库生成；数据仓库构建于 {format_built_at(profile.built_at)}；"
                      f"{len(profile.documents)} 份报告，{len(profile.figures)} 项数据。"),
    )
