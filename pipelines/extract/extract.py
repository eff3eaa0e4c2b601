"""A document's blocks → every quantity (mapped or not) and the indicator facts among them.

Pure: takes the parsed document and its year, returns records. Character offsets index the
document's normalised text (its blocks joined by newlines, as ``shufa text`` prints it), so
any fact can be found again in its source.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc

from ..ingest.model import Block
from .catalog import Catalog, Indicator, catalog
from .mapping import Context, Match, match_indicators, role_of, stated_year, unit_fits
from .quantities import Quantity, find_quantities, rules
from .segments import clause_spans, sentence_spans, span_containing

CONTEXT_CHARS = 20
REVIEW_BELOW = 0.9  # facts under this confidence are flagged needs_review (see README: what confidence means)


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """A fingerprint of the extractor: its code and its data files (catalog, word lists).

    Stored with every quantity and fact; a document extracted under another version is
    extracted again from its stored blocks, so a catalog edit reaches every document without
    anyone remembering to bump a number.
    """
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")) + sorted(package.glob("*.toml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class QuantityRecord:
    quantity_no: int
    block_no: int
    char_start: int
    char_end: int
    text: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str | None
    qualifier: str | None
    masked: bool
    role: str  # value | prior | change
    fact_year: int | None
    context_before: str
    context_after: str
    sentence: str
    indicator_code: str | None  # the best indicator, when it became a fact
    reject_reason: str | None  # why a figure with an indicator-like context is not a fact
    rule: str | None  # the rule that made it a fact (cue, carried_noun, prior_year, ...)
    cue: str | None  # the cue of the best candidate indicator, taken or not


@dataclass
class Fact:
    indicator_code: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str
    qualifier: str | None
    masked: bool
    fact_year: int | None
    block_no: int
    char_start: int
    char_end: int
    evidence: str
    confidence: float
    quantity_no: int
    rule: str  # cue | carried_noun | shared_figure | prior_year | level_after_prior | parallel_year
    cue: str  # the catalog cue that named the thing counted ("" when carried from an earlier figure)
    topic_scope: str  # where the indicator's topic word stood: segment | clause | sentence | section | none
    needs_review: bool  # confidence below REVIEW_BELOW: worth a human look before it is trusted


@dataclass
class Extraction:
    quantities: list[QuantityRecord]
    facts: list[Fact]


def _convert(value, factor):
    return None if value is None else round(value * factor, 6)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Text in simplified characters for matching (出庭應訴率 → 出庭应诉率), same length as the original.

    OpenCC converts character by character here; should a conversion ever change the length,
    the original is used so that spans stay valid.
    """
    converted = _t2s().convert(text)
    return converted if len(converted) == len(text) else text


def _table_contexts(block: Block, row: list[Block], q: Quantity) -> tuple[Quantity, Context, str]:
    """A table cell's figure takes its words from the rest of its row (指标 | 数值 | 单位)."""
    units = set(rules().units)
    label = " ".join(c.text for c in row if c is not block and c.text not in units)
    if q.unit is None:
        unit = next((c.text for c in row if c.text in units), None)  # a 单位 column
        if unit:
            q = Quantity(q.start, q.end, q.text, q.value, q.lower, q.upper, unit, q.qualifier, q.masked)
    row_text = " | ".join(c.text for c in row)
    section = simplified(" ".join(block.section_path))
    return q, Context(simplified(label), "", simplified(label), simplified(row_text), section, ""), row_text


_QUOTES = str.maketrans("", "", "“”\"「」『』‘’")
_ASIDE = re.compile(r"\((?:包括|含|包含)[^()]*\)")  # 结案(包括不予受理)86件: an aside, not the thing counted
_RIGHT_STARTS_ELSEWHERE = ("和", "及", "与", "并", "同时", "其中", "且", "以及", "、")
# a noun phrase does not start with an adverb or a predicate: 1235项全部实现网上可办, 39件中败诉2件
_RIGHT_PREDICATE = re.compile(r"全部|均|已|都|实现|分别|达到|同比|较|比|占|中(?![心学小国级型医药])")
_SAME_NOUN_JOINERS = ("、", "和", "及", "与", "")
_RIGHT_CUT = ("并", "同时", "其中")
_ADJECTIVE_ENDS = ("性", "型", "类")
_PERSON_UNITS = ("人", "人次", "名")
_HEADCOUNT_VERB = re.compile(r"(?:共|累计|共计)?(?:参训|参与培训|参加培训|培训|受训|参与|参加|覆盖|惠及|受益)(?:人员|人数)?(?:达|为|共)?$")


def _for_matching(text: str) -> str:
    """Words as matching sees them: quotes dropped (“一网通办”率 is 一网通办率), inclusion asides removed."""
    return _ASIDE.sub("", text).translate(_QUOTES)


def _attached_right(after: str) -> str:
    """The words after a figure that belong to it: the noun it counts, not the next phrase.

    36场普法宣传活动: the noun follows the figure. 评查案卷683件并整改问题: what follows 并 (and
    和, 及, a list comma) is another phrase. Coordinated adjectives stay together:
    16个行业性、专业性调解委员会.
    """
    if after.startswith(_RIGHT_STARTS_ELSEWHERE):
        return ""
    parts = after.split("、")
    kept = parts[0]
    for part in parts[1:]:
        if not kept.endswith(_ADJECTIVE_ENDS):
            break
        kept += "、" + part
    for word in _RIGHT_CUT:
        kept = kept.split(word, 1)[0]
    return kept


def _previous_end(quantities: list[Quantity], figure: Quantity, floor: int) -> int:
    return max([floor] + [p.end for p in quantities if p.end <= figure.start])


def _block_items(block: Block, rows: dict) -> list[tuple[Quantity, Context, str, tuple[int, int]]]:
    """(quantity, context for matching, evidence, sentence span) for each figure of a block."""
    original = block.text
    text = simplified(original)
    quantities = find_quantities(text)
    if block.kind == "table_cell":
        row = rows[(block.location.page, block.location.table, block.location.row)]
        return [(*_table_contexts(block, row, q), (0, len(text))) for q in quantities]
    sentences = sentence_spans(text)
    section = simplified(" ".join(block.section_path))
    is_change = [role_of(text[max(0, q.start - 12) : q.start])[0] == "change" for q in quantities]
    items = []
    for i, q in enumerate(quantities):
        s_start, s_end = span_containing(sentences, q.start)
        clauses = clause_spans(text, s_start, s_end)
        c_start, c_end = span_containing(clauses, q.start)
        prev_end = max([c_start] + [p.end for p in quantities[:i] if p.end <= q.start and p.end > c_start])
        next_start = min([c_end] + [n.start for n in quantities[i + 1 :] if n.start >= q.end and n.start < c_end])
        left = text[prev_end : q.start]
        if prev_end > c_start and left.strip() in _SAME_NOUN_JOINERS:
            # 清理规范性文件2次、100余件, 专题研究法治工作3次和5次: the next figure shares the noun
            previous_figure = next(p for p in reversed(quantities[:i]) if p.end == prev_end)
            left = text[max(c_start, _previous_end(quantities, previous_figure, c_start)) : previous_figure.start]
        right = _attached_right(text[q.end : next_start])
        first_in_clause = prev_end == c_start
        # back to the previous figure that is a level, not a change (案件同比增长15%,达到856件)
        carried_from = max([s_start] + [p.end for j, p in enumerate(quantities[:i])
                                         if s_start <= p.end <= c_start and not is_change[j]])
        carried = text[carried_from:c_start] if first_in_clause else ""
        if q.unit in _PERSON_UNITS and _HEADCOUNT_VERB.match(left.strip(" ,、")):
            carried = text[s_start : q.start - len(left)]  # 执法人员培训4场次,参训18人次: the people of the activity just named
        # what follows 其中 is about a part: its words do not describe a figure before it
        # (召开常务会议21次,其中专题研究法治工作3次: the 21 are not rule-of-law meetings)
        subset_at = text.find("其中", q.end, s_end)
        sentence = text[s_start : subset_at if subset_at >= 0 else s_end]
        clause_before_previous = max([s_start] + [a for a, b in clauses if b <= c_start])
        context = Context(
            _for_matching(left), _for_matching(right), _for_matching(text[c_start:c_end]),
            _for_matching(sentence), section, text[c_start : q.start], _for_matching(carried),
            _for_matching(text[subset_at:s_end]) if subset_at >= 0 else "",
            _for_matching(text[clause_before_previous : q.start]), _for_matching(text[s_start : q.start]),
            "" if _RIGHT_PREDICATE.match(right) else _for_matching(right),
        )
        items.append((q, context, original[s_start:s_end], (s_start, s_end)))
    return items


_SHARE_OF_TOTAL = re.compile(r"^[,、]?\s*占(?:[^,。;]{0,8})?(?:总数|总量|总件数|比)")
_PER_UNIT = re.compile(r"每(?!年)|均|平均|人均")  # 每年 in an annual report is that year's count
# a count restricted by a property (以乡镇政府为被申请人的案件12件, 涉及征地拆迁的8件) is a part of the
# county's figure; a figure of the province or the nation is not the county's; a span of several
# years (近三年, “七五”普法以来) is no one year's value
# (县政府作为被告 is the reporter's own cases, no subset; 审结案件中维持37件 is a part by outcome)
_SUBSET = re.compile(r"以(?![县区市旗](?:人民)?政府为)[^,。;]{1,12}为被(?:申请人|告)|涉及|(?:案件|事项|纠纷)中")
_NEGATED = re.compile(r"未(?!成年|来)|尚未|没有")  # 2个乡镇未完成规范化达标: not standardised
_OTHER_LEVEL = re.compile(r"(?<![在居列占])(?:全省|全国|省内)(?!率先|第一|前列|首位|排名|领先|唯一)")  # 全省共办理…; not 在全省率先…
_MULTI_YEAR = re.compile(r"近[两二三四五六七八九十]年|[两二三四五六七八九十]年来|普法以来|五年以来|五年来")
_NOT_COUNTS = (  # rates and durations: 均 before them is an average figure, not a rule per unit
    "%", "‰", "工作日", "个工作日", "天", "小时", "学时", "课时")


def extract_blocks(blocks: list[Block], doc_year: int | None, cat: Catalog | None = None) -> Extraction:
    """Quantities and facts of one document's blocks (``doc_year``: the year the report covers)."""
    cat = cat or catalog()
    rows: dict = defaultdict(list)
    for b in blocks:
        if b.kind == "table_cell":
            rows[(b.location.page, b.location.table, b.location.row)].append(b)
    quantities: list[QuantityRecord] = []
    facts: list[Fact] = []
    offset = 0
    for block in blocks:
        previous_indicator = previous_year = last_prior = None
        sentence_facts: list[tuple] = []  # (indicator, year, end, fact index, topic scope, segment) of this sentence's facts
        last_sentence = None
        for q, ctx, evidence, sentence_span in _block_items(block, rows):
            if sentence_span != last_sentence:
                previous_indicator, previous_year, last_sentence = None, None, sentence_span
                sentence_facts, last_prior = [], None
            role, role_year = role_of(ctx.left)
            fact_year = stated_year(ctx.clause_before, ctx.sentence) or doc_year
            if role == "prior":
                fact_year = role_year or (doc_year - 1 if doc_year else None)
            previous = (previous_indicator, previous_year)
            if last_prior and re.search(r"[,;:]", block.text[last_prior[1] : q.start]):
                last_prior = None
            matches, reason = _decide(q, ctx, cat, role, fact_year, previous, last_prior and last_prior[0])
            candidate = matches[0] if matches else None
            if matches:
                broader = _broader_total(block.text, q, ctx, matches[0], fact_year, sentence_facts)
                if broader is not None:
                    # 受理指派案件4459件,其中法律援助案件450件: the part names the indicator, the total was a wider count
                    total = facts.pop(broader)
                    quantities[total.quantity_no].indicator_code = None
                    quantities[total.quantity_no].rule = None
                    quantities[total.quantity_no].reject_reason = f"broader_than_its_part: {total.indicator_code}"
                    sentence_facts = [f for f in sentence_facts if f[3] != broader]
                reason = _part_of_a_total(block.text, q, ctx, matches[0], fact_year, sentence_facts)
                if reason:
                    matches = []
            record = QuantityRecord(
                quantity_no=len(quantities),
                block_no=block.block_no,
                char_start=offset + q.start,
                char_end=offset + q.end,
                text=block.text[q.start : q.end],
                value=q.value,
                lower=q.lower,
                upper=q.upper,
                unit=q.unit,
                qualifier=q.qualifier,
                masked=q.masked,
                role=role,
                fact_year=fact_year,
                context_before=block.text[max(0, q.start - CONTEXT_CHARS) : q.start],
                context_after=block.text[q.end : q.end + CONTEXT_CHARS // 2],
                sentence=evidence,
                indicator_code=matches[0].indicator.code if matches else None,
                reject_reason=reason,
                rule=matches[0].rule if matches else None,
                cue=candidate.cue or None if candidate else None,
            )
            quantities.append(record)
            for m in matches:
                facts.append(_fact(record, q, m, cat))
            last_prior = (matches[0].indicator, q.end) if matches and role == "prior" else None
            if matches and role == "value":
                previous_indicator, previous_year = matches[0].indicator, fact_year
                first = len(facts) - len(matches)
                sentence_facts += [(m.indicator.code, fact_year, q.end, first + k, m.scope, ctx.segment)
                                   for k, m in enumerate(matches)]
        offset += len(block.text) + 1
    return Extraction(quantities, facts)


def _broader_total(text: str, q: Quantity, ctx: Context, match: Match, year, sentence_facts) -> int | None:
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
    for earlier, earlier_year, end, index, scope, segment in sentence_facts:
        if earlier != ind.code or earlier_year != year or "其中" not in text[end : q.start]:
            continue
        if (names_topic and scope != "none") or (defined and not any(word in segment for word in ind.defining)):
            return index
    return None


def _part_of_a_total(text: str, q: Quantity, ctx: Context, match: Match, year, sentence_facts) -> str | None:
    """Why a figure that names an indicator is a part, not the county's figure, or None.

    - a breakdown after a total: 办理公证2397件,其中国内公证1860件 (the same indicator earlier in
      the sentence for the same year, 其中 between them);
    - a share: 受理治安类案件13件,占案件总数的22% (the next words give its share of a total);
    - a rule per unit or an average: 每个村配备法律顾问1名, 均配备2名以上;
    - a part by property (以乡镇政府为被申请人的案件12件), a figure of the province or nation
      (全省共办理…), a span of several years (近三年共…).
    """
    code = match.indicator.code
    for earlier, earlier_year, end, *_ in sentence_facts:
        if earlier == code and earlier_year == year and "其中" in text[end : q.start]:
            return f"breakdown_of_total: {code}"
    if _SHARE_OF_TOTAL.search(text[q.end : q.end + 16]):
        return f"share_of_total: {code}"
    if _SUBSET.search(ctx.left):
        return f"subset: {code}"
    if _NEGATED.search(ctx.head):
        return f"negated: {code}"
    if _OTHER_LEVEL.search(ctx.clause_before) or _OTHER_LEVEL.match(ctx.sentence):
        return f"other_level: {code}"
    if _MULTI_YEAR.search(ctx.clause_before) or _MULTI_YEAR.match(ctx.sentence):
        return f"multi_year: {code}"
    if q.unit not in _NOT_COUNTS and match.rule != "shared_figure" and _PER_UNIT.search(ctx.left):
        return f"per_unit: {code}"
    return None


def _carry(indicator: Indicator, rule: str) -> Match:
    """The previous figure's indicator, carried to a figure that refers back to it."""
    return Match(indicator, 0.0, 0.75, "", "", rule)


def _looks_like_year(q: Quantity) -> bool:
    """2019受理量 in a table header: a bare four-digit year, not a count."""
    return q.unit is None and q.value is not None and q.text.isdigit() and len(q.text) == 4 and 1949 <= q.value <= 2100


def _decide(q: Quantity, ctx: Context, cat: Catalog, role: str, fact_year, previous, prior_before=None) -> tuple[list[Match], str | None]:
    """The indicator(s) a figure is a value of, given its role and the sentence's earlier facts.

    ``prior_before``: the indicator of a previous year's figure just before this one in its clause
    (由上年的4个工作日压减至1个工作日: the 1 is this year's value of the same thing).
    """
    previous_indicator, previous_year = previous
    if _looks_like_year(q):
        return [], None
    matches, reason = match_indicators(q, ctx, cat)
    if role == "prior" and previous_indicator is not None and unit_fits(q, previous_indicator):
        # 较上年的412件: last year's value of what the sentence just reported
        matches = [m for m in matches if m.indicator is previous_indicator] or matches or [_carry(previous_indicator, "prior_year")]
    elif not matches and prior_before is not None and role == "value" and unit_fits(q, prior_before):
        matches, reason = [_carry(prior_before, "level_after_prior")], None
    elif (
        not matches
        and previous_indicator is not None
        and fact_year != previous_year
        and stated_year(ctx.clause_before, "") is not None
        and unit_fits(q, previous_indicator)
    ):
        # a parallel clause for another year: 审核规范性文件23件,2021年审核二十一件
        matches, reason = [_carry(previous_indicator, "parallel_year")], None
    if q.is_percent and q.value is not None and q.value > 100:
        return [], "percent_over_100"
    if role == "change" and matches:
        return [], f"change_not_value: {matches[0].indicator.code}"
    return matches, reason


def _fact(record: QuantityRecord, q: Quantity, match, cat: Catalog) -> Fact:
    indicator = match.indicator
    factor = 1.0
    if q.unit in cat.unit_conversions and cat.unit_conversions[q.unit][0] == indicator.unit:
        factor = cat.unit_conversions[q.unit][1]
    return Fact(
        indicator_code=indicator.code,
        value=_convert(q.value, factor),
        lower=_convert(q.lower, factor),
        upper=_convert(q.upper, factor),
        unit=indicator.unit,
        qualifier=q.qualifier,
        masked=q.masked,
        fact_year=record.fact_year,
        block_no=record.block_no,
        char_start=record.char_start,
        char_end=record.char_end,
        evidence=record.sentence,
        confidence=match.confidence,
        quantity_no=record.quantity_no,
        rule=match.rule,
        cue=match.cue,
        topic_scope=match.scope,
        needs_review=match.confidence < REVIEW_BELOW,
    )
