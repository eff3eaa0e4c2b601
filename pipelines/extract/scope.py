"""Sentence-level rules: when a figure that names an indicator is a part, not the county's figure.

Pure functions over the block text, the figure, its context and the sentence's earlier facts.
Each returns the reason kept in ``quantities.reject_reason`` (or the total a part replaces), so
``shufa extract --explain`` can say why a figure was not taken.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from .mapping import Context, Match
from .quantities import Quantity
from .segments import TextBefore, occurrences

class SentenceFact(NamedTuple):
    """A fact taken earlier in the same sentence, as the part-of-a-total rules need it."""

    indicator: str
    year: int | None
    end: int  # where its figure ends in the block text
    index: int  # its position in the document's facts
    topic_scope: str
    segment: str


_SHARE_OF_TOTAL = re.compile(r"^[,、]?\s*占(?:[^,。;]{0,8})?(?:总数|总量|总件数|比)")
_PER_UNIT = re.compile(r"每(?!年)|均|平均|人均")  # 每年 in an annual report is that year's count
# a count restricted by a property (以乡镇政府为被申请人的案件12件, 涉及征地拆迁的8件) is a part of the
# county's figure; a figure of the province or the nation is not the county's; a span of several
# years (近三年, “七五”普法以来) is no one year's value
# (县政府作为被告的应诉案件 are the reporter's own lawsuits, the litigation figure; reconsideration cases
# with any 被申请人 are another organ's docket; 审结案件中维持37件 is a part by outcome)
_SUBSET = re.compile(r"以(?![县区市旗](?:人民)?政府为被告)[^,。;]{1,12}为被(?:申请人|告)|涉及|(?:案件|事项|纠纷)中")
_NEGATED = re.compile(r"未(?!成年|来)|尚未|没有")  # 2个乡镇未完成规范化达标: not standardised
_OTHER_LEVEL = re.compile(r"(?<![在居列占])(?:全省|全国|省内)(?!率先|第一|前列|首位|排名|领先|唯一)")  # 全省共办理…; not 在全省率先…
_MULTI_YEAR = re.compile(r"近[两二三四五六七八九十]年|[两二三四五六七八九十]年来|普法以来|五年以来|五年来")
# words one of which every match of the pattern holds: a clause with none of them need not be searched
_OTHER_LEVEL_WORDS = ("省", "全国")
_MULTI_YEAR_WORDS = ("年", "以来")
_NOT_COUNTS = (  # rates and durations: 均 before them is an average figure, not a rule per unit
    "%", "‰", "工作日", "个工作日", "天", "小时", "学时", "课时")


@lru_cache(maxsize=4)  # asked for each figure of a block: the block's text is the same object
def _subset_words(text: str) -> list[int]:
    """Where 其中 stands in a block's text, in order."""
    return occurrences(text, "其中")


class SentenceFacts:
    """The facts taken so far in a sentence, grouped by (indicator, year), each group in order.

    The rules below ask for the earlier facts of a figure's indicator and year with 其中 between them
    and the figure: ``"其中" in text[earlier.end : q.start]`` for each earlier fact would read the
    sentence again per fact and figure. Ends grow in a group, so those facts are the group's first
    ones up to the last 其中 before the figure: a binary search.
    """

    def __init__(self) -> None:
        self._groups: dict[tuple[str, int | None], tuple[list[SentenceFact], list[int]]] = {}
        self._undefined: dict[tuple[str, int | None], tuple[int, int | None]] = {}  # see first_undefined

    def add(self, fact: SentenceFact) -> None:
        facts, ends = self._groups.setdefault((fact.indicator, fact.year), ([], []))
        facts.append(fact)
        ends.append(fact.end)

    def remove(self, index: int) -> None:
        """Drop the fact at ``index`` of the document's facts (a total its part replaced)."""
        for key, (facts, ends) in self._groups.items():
            if any(f.index == index for f in facts):
                kept = [f for f in facts if f.index != index]
                self._groups[key] = (kept, [f.end for f in kept])
                self._undefined.pop(key, None)

    def before_subset_word(self, text: str, indicator: str, year, pos: int) -> tuple[list[SentenceFact], int]:
        """(facts, k): ``facts[:k]`` are the facts of ``indicator`` and ``year`` with 其中 between them and ``pos``."""
        facts, ends = self._groups.get((indicator, year), ((), ()))
        found = _subset_words(text)
        last = bisect_right(found, pos - 2) - 1  # the last 其中 that ends by pos
        return facts, (bisect_right(ends, found[last]) if last >= 0 and facts else 0)

    def first_undefined(self, indicator: str, year, defining: tuple[str, ...], k: int) -> int | None:
        """The position of the group's first fact whose segment has none of ``defining``, if before ``k``.

        Remembered per group as far as it was looked for, so asking again for each figure reads
        each fact once (``defining`` is the indicator's own, the same for a group).
        """
        key = (indicator, year)
        facts = self._groups[key][0]
        looked, first = self._undefined.get(key, (0, None))
        while first is None and looked < len(facts):
            if not any(word in facts[looked].segment for word in defining):
                first = looked
            looked += 1
        self._undefined[key] = (looked, first)
        return first if first is not None and first < k else None


def broader_total(text: str, q: Quantity, ctx: Context, match: Match, year, sentence_facts: SentenceFacts) -> int | None:
    """The fact index of a total this figure names more precisely after 其中, or None.

    The part is the indicator's figure and the total a wider count when
    - the total was taken through a generic cue and a topic (受理指派案件4459件: 受理+案件, 援助 near)
      and the part's own cue names the topic (其中法律援助案件450件), or
    - the part has one of the indicator's defining words and the total none (执法人员1,650名,其中持证1,580名).
    A total that names the indicator itself stays (办理公证2397件,其中国内公证1860件;
    共学法20次,其中学习习近平法治思想6次).
    """
    if match.rule != "cue":
        return None
    ind = match.indicator
    names_topic = bool(ind.topic) and any(word in match.cue for word in ind.topic)
    defined = any(word in ctx.segment for word in ind.defining)
    # the first earlier fact of the indicator and year, with 其中 between, that is a topic's total or has no defining word
    earlier, k = sentence_facts.before_subset_word(text, ind.code, year, q.start)
    if k == 0:
        return None
    first = None
    if names_topic:
        first = next((n for n in range(k) if earlier[n].topic_scope != "none"), None)
    if defined:
        undefined = sentence_facts.first_undefined(ind.code, year, ind.defining, k if first is None else first)
        first = undefined if undefined is not None else first
    return earlier[first].index if first is not None else None


def part_of_a_total(text: str, q: Quantity, ctx: Context, match: Match, year, sentence_facts: SentenceFacts) -> str | None:
    """Why a figure that names an indicator is a part, not the county's figure, or None.

    - a breakdown after a total: 办理公证2397件,其中国内公证1860件 (the same indicator earlier in
      the sentence for the same year, 其中 between them);
    - a share: 受理治安类案件13件,占案件总数的22% (the next words give its share of a total);
    - a rule per unit or an average: 每个村配备法律顾问1名, 均配备2名以上;
    - a part by property (以乡镇政府为被申请人的案件12件), a figure of the province or nation
      (全省共办理…), a span of several years (近三年共…).
    """
    code = match.indicator.code
    if sentence_facts.before_subset_word(text, code, year, q.start)[1]:
        return f"breakdown_of_total: {code}"
    if _SHARE_OF_TOTAL.search(text[q.end : q.end + 16]):
        return f"share_of_total: {code}"
    if _SUBSET.search(ctx.left):
        return f"subset: {code}"
    if _NEGATED.search(ctx.head):
        return f"negated: {code}"
    if _found_before(ctx.clause_before, _OTHER_LEVEL, _OTHER_LEVEL_WORDS) or _OTHER_LEVEL.match(ctx.sentence):
        return f"other_level: {code}"
    if _found_before(ctx.clause_before, _MULTI_YEAR, _MULTI_YEAR_WORDS) or _MULTI_YEAR.match(ctx.sentence):
        return f"multi_year: {code}"
    if q.unit not in _NOT_COUNTS and match.rule != "shared_figure" and _PER_UNIT.search(ctx.left):
        return f"per_unit: {code}"
    return None


def _found_before(before: TextBefore, pattern: re.Pattern, words: tuple[str, ...]) -> bool:
    """``before.search(pattern)``, searched only when the text holds one of ``words`` (which every match of
    ``pattern`` holds): most clauses hold none, and a substring test costs less than a pattern search."""
    for word in words:
        if word in before:
            return before.search(pattern)
    return False
