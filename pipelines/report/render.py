"""A CountyProfile as one standalone HTML page: inline CSS, charts as inline SVG, no script, no network.

SVG drawn here rather than by a charting library keeps the page a single file that any browser opens
from disk, and keeps the report free of a JavaScript dependency. Every plotted point and every table
value links (#anchor) to the evidence entry further down the same page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from math import floor, log10
from string import Template

from .fonts import CSS_FONT_STACK
from .profile import CountyProfile, Figure, Rank, ScorecardYear, evidence_anchor

QUALIFIER_SIGNS = {"at_least": "≥", "at_most": "≤", "approx": "≈"}
SERIES_COLOUR = "#2563eb"
AXIS_COLOUR = "#9ca3af"


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


def line_chart(points: list[Point], years: list[int], title: str, kind: str, *, y_ticks: list[float],
               invert: bool = False, frame: ChartFrame = ChartFrame(), tick_format=format_number) -> str:
    """An SVG line chart over YEARS; INVERT puts the smallest value on top (rank 1 is best)."""
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

    parts = [
        f'<svg class="chart chart-{escape(kind)}" data-chart="{escape(kind)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" height="{frame.height}" role="img" '
        f'font-family="{escape(CSS_FONT_STACK)}" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{frame.left}" y="18" font-size="13" fill="#1f2937">{escape(title)}</text>',
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


def trend_charts(profile: CountyProfile) -> str:
    """One small line chart per indicator with a known value in two or more years."""
    by_indicator: dict[str, list[Figure]] = defaultdict(list)
    for figure in profile.figures:
        if figure.value is not None:
            by_indicator[figure.indicator_code].append(figure)
    charts = []
    for figures in by_indicator.values():
        if len(figures) < 2:
            continue
        head = figures[0]
        points = [Point(f.year, f.value, f.evidence.anchor, f"{f.year}: {format_figure(f)}") for f in figures]
        ticks = _value_ticks([p.value for p in points], head.unit)
        charts.append(line_chart(points, profile.years, f"{head.name_zh} ({head.unit})", "trend", y_ticks=ticks))
    if not charts:
        return '<p class="muted">No indicator was reported in two or more years.</p>'
    return f'<div class="charts">{"".join(charts)}</div>'


def rank_charts(profile: CountyProfile) -> str:
    """Rank over the years (1 on top) for each indicator ranked against other counties in two or more years,
    then the rank table."""
    by_indicator: dict[str, list[Rank]] = defaultdict(list)
    for rank in profile.ranks:
        if rank.n_ranked >= 2:  # first of one says nothing
            by_indicator[rank.indicator_code].append(rank)
    charts = []
    for code, ranks in by_indicator.items():
        if len(ranks) < 2:
            continue
        deepest = max(r.n_ranked for r in ranks)
        step = max(1, -(-deepest // 4))
        ticks = sorted({1, *range(1, deepest + 1, step), deepest})
        points = [Point(r.year, r.rank, evidence_anchor(code, r.year), f"{r.year}: rank {r.rank} of {r.n_ranked}",
                        label=f"{r.rank}/{r.n_ranked}") for r in ranks]
        charts.append(line_chart(points, profile.years, ranks[0].name_zh, "rank", y_ticks=ticks, invert=True,
                                 tick_format=lambda t: f"#{int(t)}"))
    chart_html = f'<div class="charts">{"".join(charts)}</div>' if charts else \
        '<p class="muted">No indicator was ranked against other counties in two or more years.</p>'
    return chart_html + rank_table(profile)


def scorecard_section(profile: CountyProfile) -> str:
    """The score over the years (labelled with the county's place) and the scorecard table."""
    if not profile.scorecard:
        return '<p class="muted">This county has no scorecard: none of its figures could be ranked.</p>'
    points = [  # a score rests on all the year's figures: its point links to that year's column of the values table
        Point(s.year, s.score, f"year-{s.year}", f"{s.year}: score {s.score:.1f}, rank {s.score_rank} of {s.n_scored}",
              label=f"{s.score:.0f} (#{s.score_rank}/{s.n_scored})")
        for s in profile.scorecard
    ]
    chart = line_chart(points, profile.years, f"{profile.county.name} 综合得分 (0–100)", "scorecard",
                       y_ticks=[0, 25, 50, 75, 100], frame=ChartFrame(width=720, height=240, left=44, top=36))
    return f'<div class="charts wide">{chart}</div>' + scorecard_table(profile.scorecard)


# --------------------------------------------------------------------------------------------------
# tables

def scorecard_table(scorecard: list[ScorecardYear]) -> str:
    rows = "".join(
        f'<tr><td><a href="#year-{s.year}">{s.year}</a></td><td class="num">{s.score:.1f}</td>'
        f'<td class="num">{s.score_rank} of {s.n_scored}</td><td class="num">{s.indicators_reported}</td>'
        f'<td class="num">{s.indicators_ranked}</td><td class="num">{s.coverage:.0%}</td></tr>'
        for s in scorecard
    )
    header = "".join(f'<th class="num">{name}</th>' for name in
                     ("score", "rank", "indicators reported", "indicators ranked", "coverage"))
    return f'<table class="scorecard"><thead><tr><th>year</th>{header}</tr></thead><tbody>{rows}</tbody></table>'


def _change_marker(figure: Figure) -> str:
    if figure.abs_change is None or figure.prev_year is None:
        return ""
    arrow = "▲" if figure.abs_change > 0 else "▼" if figure.abs_change < 0 else "="
    direction = "up" if figure.abs_change > 0 else "down" if figure.abs_change < 0 else "flat"
    css = "flat" if direction == "flat" or figure.improved is None else \
        f"{direction}-{'good' if figure.improved else 'bad'}"
    pct = f", {figure.pct_change:+.1f}%" if figure.pct_change is not None else ""
    tooltip = f"{figure.abs_change:+,g} on {figure.prev_year}{pct}"
    return f'<span class="change {css}" title="{escape(tooltip)}">{arrow}</span>'


def values_table(profile: CountyProfile) -> str:
    """Indicators × years; each cell is the chosen value, linked to its evidence."""
    years = sorted({f.year for f in profile.figures})
    if not years:
        return '<p class="muted">No catalog figure was found in this county\'s reports.</p>'
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
            rows.append(f'<tr class="category"><th colspan="{len(years) + 1}">{escape(category)}</th></tr>')
        tds = []
        for year in years:
            figure = cells[code].get(year)
            if figure is None:
                tds.append('<td class="num muted">·</td>')
                continue
            conflict = '<span title="documents disagree on this value">†</span>' if figure.has_conflict else ""
            if figure.source == "corrected":
                who = f"corrected by {figure.correction_author}: {figure.correction_note or ''}"
                conflict += f'<span class="corrected" title="{escape(who)}">✎</span>'
            tds.append(f'<td class="num"><a href="#{figure.evidence.anchor}">{escape(format_figure(figure))}</a>'
                       f"{conflict}{_change_marker(figure)}</td>")
        rows.append(f'<tr><td title="{escape(head.name_en)}">{escape(head.name_zh)}</td>{"".join(tds)}</tr>')
    return (f'<table class="values"><thead><tr><th>indicator</th>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def rank_table(profile: CountyProfile) -> str:
    if not profile.ranks:
        return '<p class="muted">No figure of this county was ranked.</p>'
    years = sorted({r.year for r in profile.ranks})
    by_indicator: dict[str, dict[int, Rank]] = defaultdict(dict)
    names: dict[str, str] = {}
    for rank in profile.ranks:
        by_indicator[rank.indicator_code][rank.year] = rank
        names[rank.indicator_code] = rank.name_zh
    header = "".join(f'<th class="num">{y}</th>' for y in years)
    rows = []
    for code, ranks in by_indicator.items():
        tds = []
        for year in years:
            rank = ranks.get(year)
            if rank is None:
                tds.append('<td class="num muted">·</td>')
                continue
            moved = ""
            if rank.rank_change:
                moved = (f'<span class="change {"up-good" if rank.rank_change > 0 else "down-bad"}">'
                         f'{"▲" if rank.rank_change > 0 else "▼"}{abs(rank.rank_change)}</span>')
            tds.append(f'<td class="num"><a href="#{evidence_anchor(code, year)}">{rank.rank} of {rank.n_ranked}</a>'
                       f"{moved}</td>")
        rows.append(f'<tr><td>{escape(names[code])}</td>{"".join(tds)}</tr>')
    return (f'<table class="ranks"><thead><tr><th>indicator</th>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def evidence_list(profile: CountyProfile) -> str:
    items = []
    for figure in profile.figures:
        ev = figure.evidence
        section = f'<div class="where">{escape(" › ".join(ev.section_path))}</div>' if ev.section_path else ""
        items.append(
            f'<li id="{ev.anchor}"><div><b>{escape(figure.name_zh)}</b> {figure.year}: '
            f"{escape(format_figure(figure))}</div>"
            f'<div class="where"><span class="file" title="{escape(ev.path)}">{escape(ev.file_name)}</span> · '
            f"{escape(ev.location)} · characters {ev.char_start}–{ev.char_end}</div>{section}"
            f"<blockquote>{escape(ev.before)}<mark>{escape(ev.figure)}</mark>{escape(ev.after)}</blockquote></li>"
        )
    return f'<ol class="evidence">{"".join(items)}</ol>'


def documents_table(profile: CountyProfile) -> str:
    rows = "".join(
        f"<tr><td>{d.year or '?'}</td><td title=\"{escape(d.path)}\">{escape(d.file_name)}</td>"
        f"<td>{escape(d.format)}</td><td>{escape(d.report_type)}</td><td>{escape(d.issuer_role or '')}</td>"
        f"<td>{escape(d.county_as_written or '')}</td></tr>"
        for d in profile.documents
    )
    return ("<table><thead><tr><th>year</th><th>file</th><th>format</th><th>report type</th><th>issuer</th>"
            f"<th>county as written</th></tr></thead><tbody>{rows}</tbody></table>")


# --------------------------------------------------------------------------------------------------
# page

def _facts(profile: CountyProfile) -> str:
    years = profile.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    latest = profile.scorecard[-1] if profile.scorecard else None
    facts = [("reports", str(len(profile.documents))), ("years", span), ("figures", str(len(profile.figures)))]
    if latest:
        facts.append((f"score {latest.year}", f"{latest.score:.1f} (#{latest.score_rank}/{latest.n_scored})"))
    return "".join(f"<li>{escape(label)}<b>{escape(value)}</b></li>" for label, value in facts)


def render_profile(profile: CountyProfile) -> str:
    """The whole page as one HTML string."""
    county = profile.county
    written_as = sorted({d.county_as_written for d in profile.documents} - {county.name, None})
    former = f" · some reports name it {'、'.join(written_as)}" if written_as else ""
    template = Template(files(__package__).joinpath("template.html").read_text("utf-8"))
    return template.substitute(
        title=escape(f"{county.name} {county.code} · shufa county profile"),
        font_stack=CSS_FONT_STACK,
        heading=escape(f"{county.name} 法治建设数据概览"),
        subheading=escape(f"{county.full_name} · code {county.code} · {county.level or ''}{former}"),
        facts=_facts(profile),
        scorecard=scorecard_section(profile),
        trends=trend_charts(profile),
        ranks=rank_charts(profile),
        values=values_table(profile),
        evidence=evidence_list(profile),
        documents=documents_table(profile),
        footer=escape(f"Generated by shufa report from the published warehouse; {len(profile.documents)} report(s), "
                      f"{len(profile.figures)} figure(s)."),
    )
