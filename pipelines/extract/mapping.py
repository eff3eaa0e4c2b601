"""Which indicator a quantity reports, decided from its own words outward.

For each figure the words of its *segment* (its clause, cut at the neighbouring figures) must
name the thing counted (an indicator's cue) and must not rule it out (its excludes). An
indicator with a topic also needs one topic word in the segment, the clause, the sentence or
the section headings, trusted in that order. Units must agree: a rate never matches a count.
Figures that compare (增加了88件, 同比增长21.4%) are not indicator values; a figure for the
previous year (较上年的412件) is a value of that year for the indicator of its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .catalog import Catalog, Cue, Indicator
from .quantities import Quantity
from .segments import TextBefore

# A change is the verb right before the figure (增加了88件, 同比增长21.4%, 较上年多12件) or a
# change noun (增幅为); a level reached (增至512人, 提升到97%, 压减至1个工作日) is this year's value.
_CHANGE = re.compile(
    r"(?:(?:增加|增长|减少|下降|提高|提升|上升|降低|增|减)了?|(?:增幅|降幅|增长率|增速|同比|环比)(?:为|达|达到|是)?"
    r"|(?:较|比)[^,;。]{0,8}(?:多|少)了?)(?:约|近)?$"
)
_PRIOR = re.compile(r"(?:较|比|与|同比)?(?:上年|去年|上一年度?|(?P<year>(?:19|20)\d{2})年度?)(?:同期)?(?:的)?$")
_EXPLICIT_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?!度?以来|至今|底前|计划|目标)")
_THIS_YEAR = re.compile(r"本年|今年|当年|(?<!\d)(?:年底|年末)")  # 年底 alone is this year's; 2022年底 is 2022's
_YEAR_WORD = "年"  # what every match of _EXPLICIT_YEAR and _THIS_YEAR holds
_SHARED_FIGURE = re.compile(r"[均都各](?:为|达|达到|是)?$")
_SUMMED_OVER_UNITS = re.compile(r"各部门|各单位|各乡镇|各村|各街道|各镇|村级|村\((?:居|社区)\)|各地")
_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_LEADING_SPACE = re.compile(r"\s*")
TOPIC_SCOPE_SCORE = {"segment": 4.0, "clause": 3.0, "sentence": 2.0, "section": 1.0}
NO_TOPIC_SCORE = 3.0
SCOPE_CONFIDENCE = {"none": 0.95, "segment": 0.95, "clause": 0.9, "sentence": 0.85, "section": 0.75}


class _made_once:
    """A property computed on first use and kept in the instance (``functools.cached_property`` without
    its lock, which costs more than the concatenation it saves; a context is used by one thread)."""

    def __init__(self, make):
        self.make, self.name = make, make.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.make(instance)  # found there, not here, from now on
        return value


@dataclass(frozen=True)
class Context:
    """The words around one figure, at widening scopes (quotes and inclusion asides already removed)."""

    left: str  # segment text before the figure
    right: str  # segment text after the figure (only what attaches to it: 36场普法活动)
    clause: str
    sentence: str
    section: str  # the section headings, joined
    clause_before: TextBefore  # clause text before the figure (for years), searched without copying it
    carried: str = ""  # earlier clauses of the sentence, back to the previous figure (topic carried over)
    subset: str = ""  # what the sentence says after a later 其中 (a part of what the figure counts)
    before: str = ""  # the figure's clause and the one before it, up to the figure (what activity it follows), bounded
    lead: str = ""  # the sentence up to the figure, bounded (its subject)
    noun_after: str = ""  # ``right`` when it is a noun the figure counts, "" when it is a predicate (全部实现网上可办)

    # segment and head are read for every candidate indicator of a figure: made once per context

    @_made_once
    def segment(self) -> str:
        return self.left + self.right

    @_made_once
    def head(self) -> str:
        """The words naming what the figure counts, where excludes apply: the segment without the
        modifiers before a 的 (出具审核意见的规范性文件共23件 counts 规范性文件, so 意见 does not rule
        it out) and without a predicate after it (1235项政务服务事项全部实现网上可办)."""
        return self.left.rsplit("的", 1)[-1] + self.noun_after


@dataclass(frozen=True)
class Match:
    """An indicator a figure reports, with why: the rule that decided, the cue, and where its topic stood."""

    indicator: Indicator
    score: float
    confidence: float
    cue: str = ""
    scope: str = ""  # segment | clause | sentence | section | none: where the topic word was found
    rule: str = "cue"  # cue | carried_noun | shared_figure | prior_year | level_after_prior | parallel_year


@lru_cache(maxsize=4096)  # asked twice for every figure; the words before figures recur (共办理, 同比增长)
def role_of(left: str) -> tuple[str, int | None]:
    """('change'|'prior'|'value', stated year) from the words right before a figure."""
    tail = left.rstrip()
    if _CHANGE.search(tail):
        return "change", None
    prior = _PRIOR.search(tail)
    if prior and prior.group(0):
        return "prior", int(prior.group("year")) if prior.group("year") else None
    return "value", None


def stated_year(clause_before: TextBefore, sentence: str) -> int | None:
    """The year stated for a figure: in its own clause (…,2022年我县取得执法证85人), or leading its sentence.

    A clause that says 本年/今年/年底 is about the report's own year whatever the sentence began with.
    """
    if _YEAR_WORD in clause_before:  # most clauses have none: nothing to search for
        if clause_before.search(_THIS_YEAR):
            return None
        last = clause_before.last(_EXPLICIT_YEAR)
        if last:
            return int(last.group("year"))
    lead = _EXPLICIT_YEAR.match(sentence, _LEADING_SPACE.match(sentence).end())  # sentence.lstrip(), not copied
    return int(lead.group("year")) if lead else None


def unit_fits(q: Quantity, ind: Indicator) -> bool:
    """Whether the figure's written unit is one the indicator accepts (a bare number fits any count)."""
    if q.unit is None:
        return not ind.is_rate
    return q.unit in ind.units


def _cue_distance(ctx: Context, parts: tuple[str, ...]) -> float | None:
    """How far the cue's parts stand from the figure (chars); None when a part is missing.

    A part's distance is the nearer of its last occurrence before the figure and its first after it;
    the cue's is its farthest part's. Asked for every cue of every candidate indicator of every figure,
    so it keeps to locals instead of building a list of options per part
    (tests/test_extract_speed_equivalence.py checks it against that form).
    """
    left, right = ctx.left, ctx.right
    worst = 0
    for part in parts:
        at = left.rfind(part)
        distance = len(left) - at - len(part) if at >= 0 else -1
        after = right.find(part)
        if after >= 0 and (distance < 0 or after < distance):
            distance = after
        if distance < 0:
            return None
        if distance > worst:
            worst = distance
    return worst


def _topic_scope(ctx: Context, ind: Indicator, cue: Cue | None = None) -> str | None:
    """The narrowest scope naming the indicator's topic, or None.

    The nearest domain word decides: a rival (诉讼 for a reconsideration figure) found at a
    narrower scope than any topic word (or at the same) rules the indicator out, so a figure in a
    sentence about lawsuits is not a reconsideration count because the section heading says 复议,
    and 建议 in a sentence about 检察建议 is no deputies' suggestion. A cue that names its topic itself (调解率) is
    the last resort: it stands unless a rival is nearer (复议案件141件,调解75件,调解率60.5%).
    A topic only the headings give is not enough when the sentence names it for a part
    (召开常务会议21次,其中专题研究法治工作3次).
    """
    if not ind.topic:
        return "none"
    own = cue.parts if cue else ()
    topic = ind.topic_beside(cue)  # not the cue's own words
    rivals = ind.rivals
    for scope, text in (("segment", ctx.segment), ("clause", ctx.clause), ("sentence", ctx.sentence), ("section", ctx.section)):
        rival = bool(rivals) and any(word in text for word in rivals)  # most indicators have none
        if rival and scope != "section":  # a sentence is about one thing; headings list several (行政复议与应诉)
            return None
        if any(word in text for word in topic):
            if scope == "section" and any(word in ctx.subset for word in topic):
                return None
            return scope
        if rival:
            return None
        if scope == ind.topic_scope:
            break
    if sum(len(p) for p in own) >= 3 and any(word in part for part in own for word in ind.topic):
        return "segment"  # 调解成功率 names its topic; a bare 调解 or 化解 does not
    return None


def _cue_fits(cue: Cue, ctx: Context) -> bool:
    return not cue.topic or any(word in ctx.sentence for word in cue.topic)


def score(q: Quantity, ctx: Context, ind: Indicator, check_unit: bool = True,
          cues: tuple[Cue, ...] | None = None) -> Match | None:
    """``cues``: the indicator's cues whose parts all occur in the figure's segment, when known
    (``Catalog.candidate_cues``); a cue with a part the segment lacks cannot stand by the figure,
    so only those are measured (all of ``ind.cues`` otherwise)."""
    if check_unit and not unit_fits(q, ind):
        return None
    # an empty list's pattern never matches, but searching for it still reads the whole text
    if ind.exclude and ind.exclude_pattern.search(ctx.head):
        return None
    if ind.exclude_before and ind.exclude_before_pattern.search(ctx.before):
        return None
    best = None
    for cue in ind.cues if cues is None else cues:
        distance = _cue_distance(ctx, cue.parts)
        if distance is not None and (best is None or (cue.length, -distance) > best[:2]) and _cue_fits(cue, ctx):
            best = (cue.length, -distance, cue)
    if best is None:
        return None
    cue_length, neg_distance, cue = best
    scope = _topic_scope(ctx, ind, cue)
    if scope is None:
        return None
    topic_score = NO_TOPIC_SCORE if scope == "none" else TOPIC_SCOPE_SCORE[scope]
    points = cue_length + topic_score + 0.02 * neg_distance
    confidence = SCOPE_CONFIDENCE[scope]
    if q.unit is None:
        confidence -= 0.15
    if -neg_distance > 12:
        confidence -= 0.1
    if _SUMMED_OVER_UNITS.search(ctx.lead):
        confidence -= 0.15  # 全县各级各部门…, 各村(居)…: a sum over units or a sub-level figure, worth a look
    if "其中" in ctx.lead:
        confidence -= 0.1  # a part of something the sentence counted first
    return Match(ind, points, round(confidence, 2), cue.text, scope)


def _ruled_out(ctx: Context, ind: Indicator) -> str | None:
    """Why an indicator whose cue stands by the figure was not taken (for ``shufa extract --explain``)."""
    if any(all(part in ctx.segment for part in cue.parts) and not _cue_fits(cue, ctx) for cue in ind.cues):
        return f"cue_without_topic: {ind.code}"
    if (word := next((w for w in ind.exclude if w in ctx.head), None)):
        return f"excluded: {ind.code} ({word})"
    if (word := next((w for w in ind.exclude_before if w in ctx.before), None)):
        return f"excluded: {ind.code} (follows {word})"
    if _topic_scope(ctx, ind) is None:
        rival = next((w for w in ind.rivals if w in ctx.sentence), None)
        return f"no_topic: {ind.code}" + (f" (rival {rival})" if rival else "")
    return None


def _objects_named(q: Quantity, segment: str, category: str, catalog: Catalog) -> list[str]:
    """Indicators of the category, in units the figure fits, whose counted noun the segment names."""
    return [ind.code for ind in catalog.with_objects.get(category, ())
            if unit_fits(q, ind) and any(o in segment for o in ind.objects)]


def match_indicators(q: Quantity, ctx: Context, catalog: Catalog) -> tuple[list[Match], str | None]:
    """The indicator(s) a figure reports, best first, or ([], reason) when none fits.

    Several are returned only for a figure shared by several cues (参考率、合格率均为100%).
    A figure counting two catalog things at once (规范性文件、重大决策等合法性审查281件) is
    neither's value: it is kept with the reason ``combined``.
    """
    with_cues = catalog.candidate_cues(ctx.segment)
    matches = [m for ind, cues in with_cues if (m := score(q, ctx, ind, cues=cues))]
    decided_by = ctx
    if not matches and ctx.carried and not _WORD.search(ctx.right):
        # 组织"法律明白人"培训,受训人数达120人次: a figure that ends its clause with no noun of its own
        # takes the noun from an earlier clause of the sentence
        decided_by = replace(ctx, left=ctx.carried + ctx.left)
        matches = [replace(m, confidence=round(m.confidence - 0.15, 2), rule="carried_noun")
                   for ind in catalog.candidates(decided_by.segment) if (m := score(q, decided_by, ind))]
    if q.unit is None and matches:
        # a bare number (培育800法律明白人) counts only when its noun follows at once
        matches = [m for m in matches if any(ctx.right.startswith(c.parts[0]) for c in m.indicator.cues)]
    if not matches:
        wrong_unit = [m for ind, cues in with_cues if (m := score(q, ctx, ind, check_unit=False, cues=cues))]
        if wrong_unit:
            best = max(wrong_unit, key=lambda m: m.score)
            return [], f"unit_mismatch: {q.unit or 'no unit'} is not a unit of {best.indicator.code} ({best.indicator.unit})"
        return [], next((why for ind in catalog.candidates(ctx.segment) if unit_fits(q, ind) and (why := _ruled_out(ctx, ind))), None)
    matches.sort(key=lambda m: m.score, reverse=True)
    shared = bool(_SHARED_FIGURE.search(ctx.left.rstrip()))
    named = _objects_named(q, decided_by.segment, matches[0].indicator.category, catalog)
    if len(named) > 1 and not shared:
        return [], "combined: " + ", ".join(named)
    if shared:
        return [replace(m, rule="shared_figure") for m in matches], None
    return matches[:1], None
