"""The faster forms in extraction find what the plain forms they replaced find.

Each test compares a matcher, pattern or shortcut with the slower form it stands for, on text built
from the rules' and the catalog's own words (so an edited list cannot make them disagree unseen):
the suffix table for the words before a figure, the excluded-span patterns rewritten to start with a
digit, the one-pass reading of cue words, the compiled exclude lists, the scanner's start class, the
test that skips Chinese numerals that are words, the document-at-once conversion to simplified
characters, and a short clause searched with ``endpos`` instead of a copy.
"""

import random
import re

import pytest

from pipelines.extract import quantities
from pipelines.extract.catalog import catalog
from pipelines.extract.context import simplified, simplified_texts
from pipelines.extract.mapping import _EXPLICIT_YEAR, _THIS_YEAR
from pipelines.extract.quantities import SuffixMatcher, _candidate, _excluded_spans, _number_start, rules
from pipelines.extract.scope import _MULTI_YEAR, _OTHER_LEVEL
from pipelines.extract.segments import ClauseText


def _texts(words, seed: int, n: int = 300, length: int = 8) -> list[str]:
    rng = random.Random(seed)
    filler = list("的了件次人场个万余多近约三十一二 ,、0123456789")
    return ["".join(rng.choice(words) if rng.random() < 0.5 else rng.choice(filler) for _ in range(length)) for _ in range(n)]


def _last_option_loop(text: str, pos: int, options) -> str | None:
    """What quantities.py did before: the first option, in list order, that ends at ``pos``."""
    return next((option for option in options if text.endswith(option, 0, pos)), None)


@pytest.mark.parametrize("name", ["before", "vague_prefixes"])
def test_suffix_matcher_agrees_with_the_loop_over_the_rules_lists(name):
    options = list(getattr(rules(), name))
    matcher = SuffixMatcher(options)
    for text in _texts(options, seed=len(name)):
        for pos in range(len(text) + 1):
            assert matcher(text, pos) == _last_option_loop(text, pos, options), (name, text, pos)


@pytest.mark.parametrize(
    ("words", "text", "pos", "expected"),
    [
        (("超过", "超"), "超过95%", 2, "超过"),  # the longest word ending there
        (("超过", "超"), "超95%", 1, "超"),
        (("大约", "约"), "约3000人", 0, None),  # nothing before the start
        (("近",), "将近3", 2, "近"),
        ((), "近3", 1, None),
    ],
)
def test_suffix_matcher_cases(words, text, pos, expected):
    assert SuffixMatcher(words)(text, pos) == expected


# The excluded-span patterns as first written: the ones in quantities.py start with a digit or a literal
# instead of a lookbehind, so a search skips to where one stands; the spans must be the same.
_ORIGINAL_EXCLUDED = [
    r"《[^》]{0,80}》",
    r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*(?:第\s*)?\d+\s*号",
    r"(?<!\d)\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号])?",
    r"(?<!\d)\d{1,2}\s*[日号](?![\d])",
    r"(?<!\d)\d{3,4}-\d{7,8}(?!\d)",
    r"\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)",
    r"^\s*\d{1,2}\s*[.、](?!\d)",
    r"(?<![\d.])(?:19|20)\d{2}\s*(?:年|-\d{2}-\d{2})",
]
_DATE_PIECES = ["19", "20", "2022", "1999", "3", "12", "0", "月", "日", "号", "年", "-", ".", " ", "\t", "٣",
                "件", "a", "-12-31", "〔", "〕", "(", ")", "三", "第", "《", "》", "、", "“", "”", "一是"]


def _original_excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in _ORIGINAL_EXCLUDED for m in re.finditer(pattern, text)]
    limit = rules().max_slogan_chars
    spans += [m.span() for m in re.finditer(rf"[“\"「『][^”\"」』]{{1,{limit}}}[”\"」』]", text)]
    return spans


def test_excluded_spans_are_those_of_the_patterns_as_first_written():
    assert len(quantities._EXCLUDED_SPANS) == len(_ORIGINAL_EXCLUDED)
    rng = random.Random(20240602)
    for _ in range(20000):
        text = "".join(rng.choice(_DATE_PIECES) for _ in range(rng.randint(0, 16)))
        assert sorted(_excluded_spans(text)) == sorted(_original_excluded_spans(text)), text


@pytest.mark.parametrize("k", range(len(quantities._EXCLUDED_SPANS)))
def test_an_excluded_pattern_needs_what_it_is_skipped_without(k):
    # a pattern is run only when the text holds one of its characters: any text it matches holds one
    pattern, needs = quantities._EXCLUDED_SPANS[k]
    rng = random.Random(k)
    for _ in range(5000):
        text = "".join(rng.choice(_DATE_PIECES) for _ in range(rng.randint(0, 12)))
        if pattern.search(text):
            assert any(char in text for char in needs), (pattern.pattern, text)


def test_cue_words_are_read_in_one_pass_as_a_test_per_word_finds_them():
    cat = catalog()
    words = sorted({part for ind in cat.indicators for cue in ind.cues for part in cue.parts})
    for text in _texts(words, seed=3, n=2000, length=6) + ["", "受理行政复议申请12件", "召开政府常务会议专题研究法治工作"]:
        assert cat.cue_words_in(text) == {word for word in words if word in text}, text


def test_candidate_cues_are_the_candidates_cues_that_the_segment_holds():
    cat = catalog()
    words = sorted({part for ind in cat.indicators for cue in ind.cues for part in cue.parts})
    for text in _texts(words, seed=4, n=500, length=5):
        pairs = cat.candidate_cues(text)
        assert tuple(ind for ind, _ in pairs) == cat.candidates(text)
        for ind, cues in pairs:
            assert cues == tuple(c for c in ind.cues if all(part in text for part in c.parts)), (text, ind.code)


def test_compiled_exclude_lists_find_what_a_test_per_word_finds():
    cat = catalog()
    for ind in cat.indicators:
        for words, pattern in ((ind.exclude, ind.exclude_pattern), (ind.exclude_before, ind.exclude_before_pattern)):
            for text in _texts(list(words) or ["法治"], seed=len(ind.code), n=100, length=4):
                assert (pattern.search(text) is not None) == any(w in text for w in words), (ind.code, text)


def test_scanner_start_class_finds_where_the_scanner_matches():
    plain, start = _candidate(thousands=False), _number_start()
    pieces = ["百分之", "百", "十", "一", "是", "壹", "伍", "*", "×", ".", "12", "٣", "件", "统", ",", " "]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for pos in range(len(text) + 1):
            expected, first = plain.search(text, pos), start.search(text, pos)
            assert (first is None) == (expected is None), (text, pos)
            if first is not None:
                assert plain.match(text, first.start()).span() == expected.span(), (text, pos)
                assert text[first.start()].isdecimal() == bool(expected.group("arabic")), (text, pos)


def test_a_digit_is_what_isdecimal_tells():
    digit = re.compile(r"\d")
    assert all(bool(digit.match(chr(c))) == chr(c).isdecimal() for c in range(0x110000))


def test_a_chinese_numeral_the_follower_test_skips_is_never_a_figure():
    # where Matchers.numeral_follower does not match after a Chinese numeral, reading it gives no quantity
    r = rules()
    words = list(r.units) + list(r.after_number) + ["至", "到", "-", "~", "是", "律", "步", " ", "\t", "、", "次性"]
    numerals = ["一", "三", "十", "两万", "百", "壹拾", "伍", "九十九"]
    scanner, follower = _candidate(), r.compiled.numeral_follower
    rng = random.Random(6)
    skipped = 0
    for _ in range(5000):
        text = "".join(rng.choice(numerals if rng.random() < 0.4 else words) for _ in range(rng.randint(1, 6)))
        for match in scanner.finditer(text):
            if match.group("cn") and not follower.match(text, match.end()):
                skipped += 1
                number = quantities._number_at(match, r)
                assert quantities._read_quantity(text, number, r) is None, (text, match.span())
    assert skipped > 1000


def test_a_document_converted_at_once_is_its_blocks_converted_one_by_one():
    blocks = ["全縣辦理行政復議案件12件", "乾隆年間", "穿著制服", "頭髮", "", "一、堅持依法行政", "甚麼", "法治政府建設",
              "於是", "著名", "後來", "裏面"]
    rng = random.Random(7)
    for _ in range(300):
        texts = [rng.choice(blocks) + rng.choice(blocks) for _ in range(rng.randint(1, 6))]
        assert simplified_texts(texts) == [simplified(t) for t in texts], texts
    assert simplified_texts(["第一行\n第二行", "頭髮"]) == [simplified("第一行\n第二行"), simplified("頭髮")]


@pytest.mark.parametrize("pattern", [_THIS_YEAR, _EXPLICIT_YEAR, _OTHER_LEVEL, _MULTI_YEAR])
def test_a_short_clause_searched_to_a_figure_as_its_copied_prefix(pattern):
    rng = random.Random(8)
    pieces = ["2022", "2021 ", "年", "年度", "以来", "本年", "今年", "年底", "全省", "在", "率先", "近三年", "12件", ",", "至今"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))[: ClauseText.SHORT]
        clause = ClauseText(text)
        for end in range(len(text) + 1):
            prefix = text[:end]
            expected = list(pattern.finditer(prefix))
            assert clause.search(pattern, end) == (pattern.search(prefix) is not None), (text, end)
            found = clause.last(pattern, end)
            assert (found.span() if found else None) == (expected[-1].span() if expected else None), (text, end)
