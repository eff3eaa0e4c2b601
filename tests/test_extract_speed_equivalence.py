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

from pipelines.extract import context, mapping, quantities, scope
from pipelines.extract.catalog import catalog
from pipelines.extract.context import simplified, simplified_texts
from pipelines.extract.mapping import _EXPLICIT_YEAR, _THIS_YEAR
from pipelines.extract.quantities import SuffixMatcher, _candidate, _excluded_spans, _number_start, rules
from pipelines.extract.scope import _MULTI_YEAR, _OTHER_LEVEL
from pipelines.extract.segments import ClauseText, TextBefore


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


# --- the scan's skip over words, the cue distance, the matching form of a block, the word gates ---


def _skip_by_loop(text: str, pos: int) -> int:
    """What find_quantities did before ``_skip_to_number``: from the start class's next character, read the
    scanner's span and pass it when it is a Chinese numeral with no follower (a word), until one is not."""
    plain, start, follower = _candidate(thousands=False), _number_start(), rules().compiled.numeral_follower
    while (first := start.search(text, pos)) is not None:
        match = plain.match(text, first.start())
        if not (match.group("cn") and not follower.match(text, match.end())):
            return first.start()
        pos = match.end()
    return len(text)


def test_the_skip_to_a_number_ends_where_the_loop_over_numerals_stopped():
    r = rules()
    words = list(r.units[:12]) + list(r.after_number) + ["至", "到", "-", "是", "律", "步", " ", "\t", "、", "次性", "的"]
    numerals = ["一", "三", "十", "两万", "百", "百分之", "百分之五", "分之", "壹拾", "伍", "零", "万", "亿", "九十九", "7",
                "12", "٣", "*", "×", ".", ","]
    skip = quantities._skip_to_number()
    rng = random.Random(9)
    for _ in range(4000):
        text = "".join(rng.choice(numerals if rng.random() < 0.5 else words) for _ in range(rng.randint(0, 8)))
        for pos in range(len(text) + 1):
            assert skip.match(text, pos).end() == _skip_by_loop(text, pos), (text, pos)


@pytest.mark.parametrize(
    ("text", "pos", "expected"),
    [
        ("统一思想,一是加强学习", 0, 11),  # words only: to the end
        ("进一步开展三场讲座", 0, 5),  # 一 of 进一步 passed, 三 has a unit after it
        ("占百分之九十", 0, 1),  # 百分之 read as a percent, not passed as the numeral 百
        ("伍拾万元", 0, 0),
        ("队伍三支", 0, 2),  # 伍 alone is a word
        ("共 12 件", 0, 2),
    ],
)
def test_the_skip_to_a_number_cases(text, pos, expected):
    assert quantities._skip_to_number().match(text, pos).end() == expected == _skip_by_loop(text, pos)


def _cue_distance_with_options(ctx, parts):
    """mapping._cue_distance as first written: a list of the options per part, the nearest taken."""
    worst = 0
    for part in parts:
        left_at, right_at = ctx.left.rfind(part), ctx.right.find(part)
        options = ([len(ctx.left) - (left_at + len(part))] if left_at >= 0 else []) + ([right_at] if right_at >= 0 else [])
        if not options:
            return None
        worst = max(worst, min(options))
    return worst


def test_the_cue_distance_is_the_nearest_option_of_its_farthest_part():
    parts = ["调解", "案件", "受理", "件", "法律援助", "援助"]
    rng = random.Random(10)
    for left, right in zip(_texts(parts, seed=11, n=400), _texts(parts, seed=12, n=400)):
        ctx = mapping.Context(left, right, "", "", "", TextBefore.of(""))
        for n in (1, 2, 3):
            cue = tuple(rng.sample(parts, n))
            assert mapping._cue_distance(ctx, cue) == _cue_distance_with_options(ctx, cue), (left, right, cue)


@pytest.mark.parametrize(
    ("block", "plain"),
    [
        ("受理行政复议案件12件,审结10件", True),
        ("结案(包括不予受理)86件", False),
        ("“一网通办”率达到98%", False),
        ("开展「法律明白人」培训3期", False),
        ("", True),
    ],
)
def test_a_block_without_parentheses_or_quotes_is_matched_as_written(block, plain):
    # every piece of such a block is what _for_matching makes of it; others are given to _for_matching
    form = context._matching_form(block)
    assert (form is context._unchanged) == plain
    for a in range(len(block) + 1):
        for b in range(a, len(block) + 1):
            assert form(block[a:b]) == context._for_matching(block[a:b]), (block, a, b)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (_EXPLICIT_YEAR, (mapping._YEAR_WORD,)),
        (_THIS_YEAR, (mapping._YEAR_WORD,)),
        (_OTHER_LEVEL, scope._OTHER_LEVEL_WORDS),
        (_MULTI_YEAR, scope._MULTI_YEAR_WORDS),
    ],
)
def test_a_pattern_searched_only_where_its_words_stand_holds_one_in_every_match(pattern, words):
    # stated_year and part_of_a_total search a clause only when it holds one of these words
    pieces = ["2022", "2021 ", "年", "年度", "以来", "本年", "今年", "当年", "年底", "年末", "全省", "全国", "省内", "在",
              "率先", "近三年", "两年来", "五年以来", "普法以来", "12件", ",", "至今", "底前", "省", "全", "近"]
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        for match in pattern.finditer(text):
            assert any(word in match.group() for word in words), (pattern.pattern, text, match.group())
        before = TextBefore.of(text)
        for end in range(len(text) + 1):
            prefix = TextBefore(before.clause, end)
            assert all((word in prefix) == (word in text[:end]) for word in words), (text, end)


@pytest.mark.parametrize(("text", "characters", "expected"),
                         [("2023年", "年-", True), ("12件", "年-", False), ("", "《", False), ("a", "", False)])
def test_holds_one_of_is_any_character_in_the_text(text, characters, expected):
    assert quantities._holds_one_of(text, characters) == expected == any(c in text for c in characters)
