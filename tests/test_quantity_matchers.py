"""The compiled prefix and decoy matchers of quantities.py find what a plain loop over the word lists finds.

They replaced loops of ``startswith`` (the slowest part of extraction); these tests compare them with
those loops on text built from the rules' own words, so a reordered or edited list cannot change a result.
"""

import random

import pytest

from pipelines.extract import quantities
from pipelines.extract.quantities import _in_a_decoy, _match_prefix, rules


def _first_prefix(text: str, pos: int, options) -> str | None:
    return next((option for option in options if text.startswith(option, pos)), None)


def _in_a_decoy_by_loop(text: str, start: int) -> bool:
    return any(text.startswith(d, i) and i <= start < i + len(d)
               for d in rules().chinese_decoys for i in range(max(0, start - len(d) + 1), start + 1))


def _texts(words: list[str], seed: int, n: int = 300) -> list[str]:
    rng = random.Random(seed)
    filler = list("的了件次人场个万余多近约三十一二")
    return ["".join(rng.choice(words) if rng.random() < 0.5 else rng.choice(filler) for _ in range(8)) for _ in range(n)]


@pytest.mark.parametrize("name", ["units", "after_number", "after_unit", "multipliers", "half_units", "multiplier_units"])
def test_prefix_matcher_agrees_with_a_loop(name):
    options = getattr(rules(), name)
    for text in _texts(list(options), seed=len(name)):
        for pos in range(len(text) + 1):
            assert _match_prefix(text, pos, options) == _first_prefix(text, pos, options), (name, text, pos)


def test_prefix_matcher_keeps_list_order_not_length():
    # a loop returns the first option in order: a shorter option listed first wins over a longer one
    assert _match_prefix("场次", 0, ("场", "场次")) == "场"
    assert _match_prefix("场次", 0, ("场次", "场")) == "场次"
    assert _match_prefix("x", 0, ()) is None


def test_decoy_check_agrees_with_a_loop():
    decoys = list(rules().chinese_decoys)
    for text in _texts(decoys, seed=7):
        for start in range(len(text)):
            assert _in_a_decoy(text, start) == _in_a_decoy_by_loop(text, start), (text, start)


def test_chinese_value_is_cached_and_unchanged():
    quantities._chinese_value.cache_clear()
    assert quantities._chinese_value("两万三千") == 23000
    assert quantities._chinese_value("两万三千") == 23000
    assert quantities._chinese_value.cache_info().hits == 1
