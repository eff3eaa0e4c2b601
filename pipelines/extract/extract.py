"""A document's blocks → every quantity (mapped or not) and the indicator facts among them.

Pure: takes the parsed document and its year, returns records. Character offsets index the
document's normalised text (its blocks joined by newlines, as ``shufa text`` prints it), so
any fact can be found again in its source. The stages: ``context`` gives each figure its words,
``mapping`` decides the indicator they name, ``scope`` whether the figure is the county's value
or a part of one; this module keeps the sentence's state (the previous fact, last year's figure)
between figures and writes the records.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..fingerprint import files_digest
from ..ingest.model import Block
from .catalog import Catalog, Indicator, catalog
from .context import figure_contexts, simplified_texts
from .mapping import Context, Match, match_indicators, role_of, stated_year, unit_fits
from .quantities import Quantity
from .scope import SentenceFact, SentenceFacts, broader_total, part_of_a_total

CONTEXT_CHARS = 20
REVIEW_BELOW = 0.9  # facts under this confidence are flagged needs_review (see README: what confidence means)


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """A fingerprint of the extractor: its code and its data files (catalog, word lists).

    Stored with every quantity and fact; a document extracted under another version is
    extracted again from its stored blocks, so a catalog edit reaches every document without
    anyone remembering to bump a number.
    """
    package = Path(__file__).parent
    return files_digest(sorted(package.glob("*.py")) + sorted(package.glob("*.toml")), package)[:12]


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


def extract_blocks(blocks: list[Block], doc_year: int | None, cat: Catalog | None = None) -> Extraction:
    """Quantities and facts of one document's blocks (``doc_year``: the year the report covers)."""
    cat = cat or catalog()
    rows: dict = defaultdict(list)
    for b in blocks:
        if b.kind == "table_cell":
            rows[(b.location.page, b.location.table, b.location.row)].append(b)
    quantities: list[QuantityRecord] = []
    facts: list[Fact | None] = []  # None: a total its part replaced (kept as a hole so later indices hold)
    offset = 0
    for block, text in zip(blocks, simplified_texts([b.text for b in blocks])):
        previous_indicator = previous_year = last_prior = None
        sentence_facts = None  # this sentence's facts so far: made at the block's first figure, as at each sentence
        last_sentence = None
        for q, ctx, evidence, sentence_span in figure_contexts(block, rows, text):
            q = _finite(q)
            if sentence_span != last_sentence:
                previous_indicator, previous_year, last_sentence = None, None, sentence_span
                sentence_facts, last_prior = SentenceFacts(), None
            role, role_year = role_of(ctx.left)
            fact_year = stated_year(ctx.clause_before, ctx.sentence) or doc_year
            if role == "prior":
                fact_year = role_year or (doc_year - 1 if doc_year else None)
            previous = (previous_indicator, previous_year)
            if last_prior and re.search(r"[,;:]", block.text[last_prior[1] : q.start]):
                last_prior = None
            matches, reason = _decide(q, ctx, cat, role, fact_year, previous, last_prior and last_prior[0])
            if matches and not all(_converts_finitely(q, m.indicator, cat) for m in matches):
                matches, reason = [], "number_not_finite"
            candidate = matches[0] if matches else None
            if matches:
                broader = broader_total(block.text, q, ctx, matches[0], fact_year, sentence_facts)
                if broader is not None:
                    # 受理指派案件4459件,其中法律援助案件450件: the part names the indicator, the total was a wider count
                    total, facts[broader] = facts[broader], None
                    quantities[total.quantity_no].indicator_code = None
                    quantities[total.quantity_no].rule = None
                    quantities[total.quantity_no].reject_reason = f"broader_than_its_part: {total.indicator_code}"
                    sentence_facts.remove(broader)
                reason = part_of_a_total(block.text, q, ctx, matches[0], fact_year, sentence_facts)
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
                facts.append(_fact(record, q, m, cat, block.confidence))
            last_prior = (matches[0].indicator, q.end) if matches and role == "prior" else None
            if matches and role == "value":
                previous_indicator, previous_year = matches[0].indicator, fact_year
                first = len(facts) - len(matches)
                for k, m in enumerate(matches):
                    sentence_facts.add(SentenceFact(m.indicator.code, fact_year, q.end, first + k, m.scope, ctx.segment))
        offset += len(block.text) + 1
    return Extraction(quantities, [f for f in facts if f is not None])


def _finite(q: Quantity) -> Quantity:
    """``q``, or ``q`` rejected when a value or bound is inf or nan: no such number is ever stored or printed.

    ``find_quantities`` bounds every number already (``number_out_of_bounds``); this is the last guard.
    """
    if _finite_or_none(q.value) and _finite_or_none(q.lower) and _finite_or_none(q.upper):
        return q
    return replace(q, value=None, lower=None, upper=None, reject_reason=q.reject_reason or "number_not_finite")


def _finite_or_none(value: float | None) -> bool:
    return value is None or math.isfinite(value)


def _factor(q: Quantity, indicator: Indicator, cat: Catalog) -> float:
    """What the figure's unit is worth in the indicator's (万元 → 元: 10000), 1 when it is the same."""
    if q.unit in cat.unit_conversions and cat.unit_conversions[q.unit][0] == indicator.unit:
        return cat.unit_conversions[q.unit][1]
    return 1.0


def _converts_finitely(q: Quantity, indicator: Indicator, cat: Catalog) -> bool:
    """Whether ``q``'s values stay finite in the indicator's unit. ``q`` is finite already (``_finite``),
    so only a factor other than 1 (most units are the indicator's own) can make one infinite."""
    factor = _factor(q, indicator, cat)
    return factor == 1.0 or all(v is None or math.isfinite(v * factor) for v in (q.value, q.lower, q.upper))


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
    if q.reject_reason:  # a number out of bounds (see quantities): no indicator's value
        return [], q.reject_reason
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


def _fact(record: QuantityRecord, q: Quantity, match, cat: Catalog, ocr_confidence: float | None = None) -> Fact:
    """``ocr_confidence``: the recogniser's confidence in the block's text, when it was OCR'd; a figure
    read by OCR is only as sure as its reading, so it scales the mapping's confidence."""
    indicator = match.indicator
    factor = _factor(q, indicator, cat)
    confidence = match.confidence if ocr_confidence is None else round(match.confidence * ocr_confidence, 2)
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
        confidence=confidence,
        quantity_no=record.quantity_no,
        rule=match.rule,
        cue=match.cue,
        topic_scope=match.scope,
        needs_review=confidence < REVIEW_BELOW,
    )
