"""Extraction at its limits: numbers out of bounds, and sentences of thousands of figures.

A figure beyond 15 digits (or stars), or 1e15 and more once multiplied, is a quantity with a
``number_out_of_bounds`` reason, never a fact, never inf or nan, never an exception. A sentence of
thousands of figures costs the same per figure as a short one: the tests below count the work
(characters searched again, words looked up) instead of timing it.
"""

import json
import math
import random
from dataclasses import asdict

import pytest

from pipelines.extract import context, segments
from pipelines.extract.extract import extract_blocks
from pipelines.extract.mapping import _EXPLICIT_YEAR, _THIS_YEAR
from pipelines.extract.quantities import find_quantities
from pipelines.extract.scope import _MULTI_YEAR, _OTHER_LEVEL
from pipelines.ingest.model import Block, Location
from pipelines.ingest.normalize import normalize_text


def extract(text, year=2023, normalise=True):
    block = Block(0, "paragraph", normalize_text(text) if normalise else text, Location(paragraph=1), ())
    return extract_blocks([block], year)


def numbers(extraction):
    for record in extraction.quantities + extraction.facts:
        for name in ("value", "lower", "upper"):
            yield getattr(record, name)


OUT_OF_BOUNDS = [
    "全年办理法律援助案件" + "*" * 309 + "件。",
    "全年办理法律援助案件" + "*" * 400 + "件。",
    "全年办理法律援助案件" + "×" * 309 + "件。",
    "全年办理法律援助案件" + "×" * 400 + "件。",
    "全年办理法律援助案件" + "9" * 309 + "件。",
    "全年办理法律援助案件" + "1" * 400 + "件。",
    "全年办理法律援助案件" + "1" * 400 + ".5件。",
    "全年办理法律援助案件" + "1" * 16 + "件。",  # just past the bound
    "全年办理法律援助案件" + "*" * 400 + "万余件。",
    "全年办理法律援助案件" + "*" * 16 + "件。",
    "全年办理法律援助案件999999999999999亿件。",  # 15 digits, but 1e23 once multiplied
    "全年办理法律援助案件1亿999999999999999万件。",
    "全年办理法律援助案件" + "九" * 400 + "件。",
    "全年办理法律援助案件" + "九" * 5000 + "件。",  # an int too long for Python to print
    "法律援助案件办结率百分之" + "九" * 5000 + "。",
]


@pytest.mark.parametrize("text", OUT_OF_BOUNDS, ids=lambda t: f"{len(t)}chars")
def test_a_number_out_of_bounds_is_a_rejected_quantity(text):
    extraction = extract(text)
    rejected = [q for q in extraction.quantities if (q.reject_reason or "").startswith("number_out_of_bounds")]
    assert rejected, [(q.text[:20], q.reject_reason) for q in extraction.quantities]
    assert all(q.value is None and q.lower is None and q.upper is None and q.indicator_code is None for q in rejected)
    assert not any(f.quantity_no in {q.quantity_no for q in rejected} for f in extraction.facts)
    assert all(v is None or math.isfinite(v) for v in numbers(extraction))
    json.dumps([asdict(r) for r in extraction.quantities + extraction.facts], allow_nan=False, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("调解" + "*" * 309 + "件", "number_out_of_bounds: more than 15 digits"),
        ("调解" + "1" * 400 + "件", "number_out_of_bounds: more than 15 digits"),
        ("调解999999999999999亿件", "number_out_of_bounds: 1e15 or more"),
    ],
)
def test_find_quantities_keeps_the_span_and_the_reason(text, reason):
    [quantity] = find_quantities(text)
    assert quantity.text == text[2:] and quantity.reject_reason == reason
    assert (quantity.value, quantity.lower, quantity.upper) == (None, None, None)


def test_figures_within_the_bound_are_unchanged():
    assert [(f.indicator_code, f.value) for f in extract("全年办理法律援助案件123456789012345件。").facts] == [
        ("legal_aid_cases", 123456789012345.0)]
    [masked] = extract("全年办理法律援助案件" + "*" * 15 + "件。").facts
    assert masked.masked and (masked.lower, masked.upper) == (1e14, 1e15 - 1)
    assert [q.reject_reason for q in find_quantities("调解***件")] == [None]


def test_shufa_extract_json_rows_stay_valid_json():
    extraction = extract("全年办理法律援助案件" + "1" * 400 + "件,调解纠纷" + "*" * 400 + "件,受理复议申请12件。")
    rows = [{"value": q.value, "lower": q.lower, "upper": q.upper, "reason": q.reject_reason} for q in extraction.quantities]
    assert json.loads(json.dumps(rows, allow_nan=False)) == rows


def test_two_totals_replaced_in_one_sentence_keep_records_and_facts_consistent():
    # a part replaces its total twice in one sentence: the second must remove the right fact (it used
    # to pop by a stale position, and could raise IndexError)
    extraction = extract("受理案件30件,办理法律援助案件12件,其中8件法律援助案件,其中法律援助案件5件。")
    for fact in extraction.facts:
        assert extraction.quantities[fact.quantity_no].indicator_code == fact.indicator_code
    for q in extraction.quantities:
        if (q.reject_reason or "").startswith("broader_than_its_part"):
            assert q.quantity_no not in {f.quantity_no for f in extraction.facts}


# --- sentences of thousands of figures -------------------------------------------------------

N = 8000


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("全年办理案件" + ",".join(["12件"] * N) + "。", N),  # one clause a figure
        ("全年办理法律援助案件" + "、".join(["12件"] * N) + "。", N),  # one clause of N figures
        ("1、" * N, N),  # list numbers in one clause
        ("111," * N, N),  # 111,111,…, a chain with a comma at the end: no group is a thousands figure
    ],
    ids=["commas", "enumeration", "list", "chain"],
)
def test_a_sentence_of_thousands_of_figures(text, figures):
    assert len(extract(text, normalise=False).quantities) == figures


_RESUME, _CONTAINS = segments.ClauseText._resume_at, context.SharedText.__contains__


def _work(monkeypatch, text):
    """(figures, characters ClauseText searches again, characters read looking words up in shared texts)."""
    searched, scans = [0], [0]

    def counting_resume(self, pattern, end):
        k, r = _RESUME(self, pattern, end)
        searched[0] += end - r
        return k, r

    def counting_contains(self, word):
        scans[0] += len(self) if word not in self._holds else 0
        return _CONTAINS(self, word)

    monkeypatch.setattr(segments.ClauseText, "_resume_at", counting_resume)
    monkeypatch.setattr(context.SharedText, "__contains__", counting_contains)
    extraction = extract(text, normalise=False)
    return len(extraction.quantities), searched[0], scans[0]


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "2022年全年办理法律援助案件" + "、".join(["12件"] * n) + "。",
        lambda n: "1、" * n,
        lambda n: "全省办理法律援助案件" + ",".join([f"受理{1000 + i}件" for i in range(n)]) + "。",
    ],
    ids=["enumeration", "list", "clauses"],
)
def test_work_per_figure_does_not_grow_with_the_sentence(monkeypatch, make):
    small = _work(monkeypatch, make(1000))
    large = _work(monkeypatch, make(4000))
    assert large[0] == 4 * small[0]
    # characters searched again per figure: bounded by the window, whatever the clause's length
    assert large[1] <= 4 * small[1] * 1.05 + 100
    # a clause's or sentence's text is read once per word, not once per figure and word
    assert large[2] <= 4 * small[2] * 1.05 + 100


@pytest.mark.parametrize("pattern", [_THIS_YEAR, _EXPLICIT_YEAR, _OTHER_LEVEL, _MULTI_YEAR])
def test_clause_text_searches_as_the_copied_prefix_would(pattern, monkeypatch):
    monkeypatch.setattr(segments.ClauseText, "SHORT", 0)  # the kept matches and the window, even for short clauses
    rng = random.Random(20240601)
    pieces = ["2022", "2021 ", "  ", "年", "年度", "以来", "本年", "今年", "年底", "当年", "全省", "全国", "省内", "率先",
              "在", "近三年", "五年以来", "普法以来", "三年来", "办理", "12件", ",", "至今", "计划", "1", "9", " "]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        clause = segments.ClauseText(text)
        for end in sorted(rng.sample(range(len(text) + 1), min(len(text) + 1, 12))):
            prefix = text[:end]
            expected = list(pattern.finditer(prefix))
            assert clause.search(pattern, end) == (pattern.search(prefix) is not None), (text, end)
            found = clause.last(pattern, end)
            assert (found.span() if found else None) == (expected[-1].span() if expected else None), (text, end)


def _candidate_chars(monkeypatch, text) -> tuple[int, int]:
    """(figures, characters of context handed to the catalog's cue lookup over the whole text)."""
    from pipelines.extract.catalog import Catalog

    looked_up, lookup = [0], Catalog.candidates

    def counting(self, words):
        looked_up[0] += len(words)
        return lookup(self, words)

    monkeypatch.setattr(Catalog, "candidates", counting)
    return len(extract(text, normalise=False).quantities), looked_up[0]


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "全年办理法律援助案件300件," + ",".join(f"同比增长{i % 90 + 1}件" for i in range(n)) + "。",
        lambda n: "全年开展法治宣传活动" + ",".join(f"培训{i % 90 + 1}场次,参训{i % 900 + 100}人次" for i in range(n)) + "。",
    ],
    ids=["changes after one level", "activity and headcount pairs"],
)
def test_words_carried_into_a_figure_are_bounded(monkeypatch, make):
    # the words carried from earlier in the sentence reach back a bounded distance, not to its start
    small = _candidate_chars(monkeypatch, make(500))
    large = _candidate_chars(monkeypatch, make(2000))
    assert large[0] >= 4 * small[0] - 3
    assert large[1] <= 4 * small[1] * 1.05 + 100
