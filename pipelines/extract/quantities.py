"""Every quantity in a piece of normalised report text, with its character span.

A pure function over one string: find number-like spans (Arabic, Chinese numerals in everyday
and financial 大写 forms, masked ``***``, ``百分之…``), convert only the span (a whole-text converter
would also rewrite 统一, 一些, 十分), then read what is attached to it: a 千/万/亿 multiplier,
余/多/以上/近/不足 qualifiers, a range partner, and a unit (with a parenthetical alternative such as
``场(次)``). Things that look like numbers but are not figures (years, dates, document numbers,
titles in 《》, slogans in quotes, ordinals, hotlines, vague 数十/几百) are skipped. A figure out of
bounds (more than ``max_digits`` digits or stars, or 10**max_digits or more once multiplied) keeps
its span with value and bounds None and a ``reject_reason``, rather than a rounded, overflowing or
infinite number: it is a quantity, never a fact. The word lists live in quantity_rules.toml.
"""

from __future__ import annotations

import math
import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from itertools import accumulate

import cn2an

# Characters that are magnitudes, not digits: a span made of them alone (十, 百, 千万) is a bare magnitude.
# cn2an reads one that starts with 十 (十, 十万); the others it refuses, and reports write them as 百余人, 万余人.
_MAGNITUDES = "十百千万亿拾佰仟"
_TENS = "十拾"


def _is_bare_magnitude(span: str) -> bool:
    return all(c in _MAGNITUDES for c in span) and span[0] not in _TENS


_RANGE_JOIN = re.compile(r"\s*(?:-|~|—|–|至|到)\s*")
_RANGE_JOIN_WORDS = ("-", "~", "—", "–", "至", "到")  # what _RANGE_JOIN reads after its whitespace
# (pattern, characters of which the text must hold one for the pattern to match). A pattern that begins
# with a lookbehind is tried at every position of a text; one that begins with a digit or a literal skips
# to where one stands. So "not after a digit, one or two digits" is written "a digit not after a digit,
# maybe another": \d(?<!\d\d)\d? finds what (?<!\d)\d{1,2} finds (tests/test_extract_speed_equivalence.py).
_EXCLUDED_SPANS = [
    (re.compile(r"《[^》]{0,80}》"), "《"),  # titles of laws, plans, documents
    (re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*(?:第\s*)?\d+\s*号"), "号"),  # 〔2016〕23号
    (re.compile(r"\d(?<!\d\d)\d?\s*月\s*(?:\d{1,2}\s*[日号])?"), "月"),  # 3月29日, 3月
    (re.compile(r"\d(?<!\d\d)\d?\s*[日号](?!\d)"), "日号"),  # 29日
    (re.compile(r"\d(?<!\d\d)\d{2,3}-\d{7,8}(?!\d)"), "-"),  # phone numbers
    (re.compile(r"\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)"), "("),  # (3) (三): list and heading numbers
    (re.compile(r"^\s*\d{1,2}\s*[.、](?!\d)"), ".、"),  # 1. / 2、 at the start of a block
    (re.compile(r"(?:1(?<![\d.]1)9|2(?<![\d.]2)0)\d{2}\s*(?:年|-\d{2}-\d{2})"), "年-"),  # years, not after a digit or .
]
_SLOGAN_OPENERS = "“\"「『"  # a slogan's opening marks (Matchers.slogan)


@dataclass(frozen=True)
class Rules:
    units: tuple[str, ...]
    multipliers: dict[str, int]
    multiplier_units: tuple[str, ...]
    everyday_numerals: str
    financial_numerals: str
    vague_prefixes: tuple[str, ...]
    max_digits: int
    half_units: tuple[str, ...]
    after_number: dict[str, str]
    after_unit: dict[str, str]
    before: dict[str, str]
    hotlines: frozenset[str]
    chinese_decoys: tuple[str, ...]
    max_slogan_chars: int
    compiled: "Matchers"  # the lists above compiled once, for the scanner's lookups


@dataclass(frozen=True)
class Matchers:
    """The rules' word lists as matchers, built once when the rules are loaded.

    The scanner looks up units, qualifiers and multipliers after every figure; a compiled
    alternation answers each lookup in one call (``_alternation``), a suffix table the words
    written before it (``SuffixMatcher``), where loops over the lists cost one call per word.
    """

    unit: re.Pattern
    after_number: re.Pattern
    after_unit: re.Pattern
    multiplier: re.Pattern
    multiplier_unit: re.Pattern
    half_unit: re.Pattern
    before: "SuffixMatcher"
    vague_prefix: "SuffixMatcher"
    slogan: re.Pattern
    # Matches after a Chinese numeral that can still be a figure. Such a numeral needs a unit (_plausible),
    # which follows it after spaces, at once or after a range partner (三至五场, its join read by _RANGE_JOIN)
    # or an after-number qualifier (十余场): so after the spaces (taken possessively) stands the first
    # character of a unit, a qualifier or a join, or other whitespace (which the join's \s* reads). Where it
    # does not match, _read_quantity would return None: the numeral is a word (一是, 统一, 进一步), and
    # neither cn2an nor the exclusions need read it.
    numeral_follower: re.Pattern


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(files(__package__).joinpath("quantity_rules.toml").read_text("utf-8"))
    q = data["qualifiers"]
    numerals = data["numerals"]
    units = tuple(sorted(set(data["units"]), key=len, reverse=True))
    multipliers = data["multipliers"]
    multiplier_units = tuple(data["multiplier_units"])
    vague_prefixes = tuple(sorted(numerals["vague_prefixes"], key=len, reverse=True))
    half_units = tuple(sorted(numerals["half_units"], key=len, reverse=True))
    after_number = q["after_number"]
    after_unit = dict(sorted(q["after_unit"].items(), key=lambda kv: -len(kv[0])))
    before = dict(sorted(q["before"].items(), key=lambda kv: -len(kv[0])))
    max_slogan_chars = int(data["exclusions"]["max_slogan_chars"])
    compiled = Matchers(
        unit=_alternation(units),
        after_number=_alternation(after_number),
        after_unit=_alternation(after_unit),
        multiplier=_alternation(multipliers),
        multiplier_unit=_alternation(multiplier_units),
        half_unit=_alternation(half_units),
        before=SuffixMatcher(before),
        vague_prefix=SuffixMatcher(vague_prefixes),
        slogan=re.compile(rf"[“\"「『][^”\"」』]{{1,{max_slogan_chars}}}[”\"」』]"),
        numeral_follower=_follower_pattern((*units, *after_number, *_RANGE_JOIN_WORDS)),
    )
    return Rules(
        units=units,
        multipliers=multipliers,
        multiplier_units=multiplier_units,
        everyday_numerals=numerals["everyday"],
        financial_numerals=numerals["financial"],
        vague_prefixes=vague_prefixes,
        max_digits=int(numerals["max_digits"]),
        half_units=half_units,
        after_number=after_number,
        after_unit=after_unit,
        before=before,
        hotlines=frozenset(data["exclusions"]["hotlines"]),
        chinese_decoys=tuple(data["exclusions"]["chinese_decoys"]),
        max_slogan_chars=max_slogan_chars,
        compiled=compiled,
    )


def _follower_pattern(words) -> re.Pattern:
    """Spaces (taken possessively: none given back), then whitespace or the first character of one of
    ``words`` (see ``Matchers.numeral_follower``)."""
    firsts = "".join(sorted({word[0] for word in words if word}))
    return re.compile(rf" *+[\s{re.escape(firsts)}]")


_PERCENT_NUMERALS = "零〇一二两三四五六七八九十百点"  # what 百分之 is followed by


def _numeral_span() -> str:
    """The scanner's Chinese numeral branch (without its group): a 大写 figure starts with a 大写 character
    and goes on with 大写, 零, 万, 亿 (which have no 大写 form); it is scanned apart from everyday numerals
    so 队伍三支 reads 伍 (a word) and 三支, not 伍三 = 53."""
    everyday, financial = (re.escape(rules().everyday_numerals), re.escape(rules().financial_numerals))
    return rf"[{financial}][{financial}零万亿]*|[{everyday}]+"


@lru_cache(maxsize=None)
def _candidate(thousands: bool = True) -> re.Pattern:
    """The scanner for number-like spans; built from the numeral characters in the rules.

    ``thousands=False`` leaves out the 1,234,567 form: it finds the same spans wherever that form
    does not match (see ``find_quantities``).
    """
    arabic = r"\d{1,3}(?:,\d{3})+(?![\d,])|\d+" if thousands else r"\d+"
    return re.compile(
        rf"(?P<pct>百分之(?P<pct_num>[{_PERCENT_NUMERALS}]+))"
        rf"|(?P<arabic>{arabic})(?:\.(?P<frac>\d+))?"
        r"|(?P<mask>[*×]+(?:\.[*×]+)?)"
        rf"|(?P<cn>{_numeral_span()})"
    )


@lru_cache(maxsize=1)
def _number_start() -> re.Pattern:
    """The characters a span of the scanner (``_candidate``) can start with, as one character class.

    Each of them starts a span (a digit, a star, a numeral: every branch of the scanner reads one such
    character and needs no more), so the scanner's first match from a position is its match at the first
    of these characters. A digit (``\\d``, which is what ``str.isdecimal`` tells) starts an Arabic number:
    no other branch starts with one.
    """
    numerals = re.escape(rules().everyday_numerals + rules().financial_numerals)
    return re.compile(rf"[百\d*×{numerals}]")


@lru_cache(maxsize=1)
def _skip_to_number() -> re.Pattern:
    """Matches from a position over everything the scan passes before its next possible figure.

    That is the characters no span starts with (not in ``_number_start``), and the Chinese numerals that
    are words (一是, 统一): the scanner's numeral span, taken whole (atomic, as the scanner reads it), with
    no ``Matchers.numeral_follower`` after it, where the percent branch, which the scanner tries first,
    does not match (百分之五). Its match ends at the next start character whose span the scan reads on:
    a digit, a star, 百分之…, or a numeral with a follower. One call for a run of words, where a loop
    would turn once per numeral (tests/test_extract_speed_equivalence.py).
    """
    other = "[^" + _number_start().pattern[1:]  # the start class, negated
    follower = rules().compiled.numeral_follower.pattern
    word = rf"(?!百分之[{_PERCENT_NUMERALS}])(?>{_numeral_span()})(?!{follower})"
    return re.compile(rf"(?:{other}++|{word})*+")


_THOUSANDS_CHAIN = re.compile(r"\d{1,3}(?:,\d{3})+")


@dataclass(frozen=True)
class Quantity:
    """A figure as written. ``value`` is None when masked or a range; bounds say what is known."""

    start: int
    end: int
    text: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str | None
    qualifier: str | None  # at_least | at_most | approx | range | None (exact)
    masked: bool
    # why the figure can be no indicator's value whatever its words (number_out_of_bounds: …); its
    # value and bounds are None then. Kept in quantities.reject_reason.
    reject_reason: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit in ("%", "‰")


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are not figures (titles, dates, years, phone numbers, list numbers, slogans).

    A pattern is run only when the text holds one of the characters it cannot match without (月 for a
    month, 《 for a title): a substring test reads a text far faster than a pattern is tried at each of
    its positions, most blocks lack most of them, and the spans found are the same.
    """
    spans = [m.span() for pattern, needs in _EXCLUDED_SPANS if _holds_one_of(text, needs) for m in pattern.finditer(text)]
    if _holds_one_of(text, _SLOGAN_OPENERS):
        spans += [m.span() for m in rules().compiled.slogan.finditer(text)]  # slogans
    return spans


def _holds_one_of(text: str, characters: str) -> bool:
    """``any(c in text for c in characters)`` without a generator: asked nine times a block."""
    for character in characters:
        if character in text:
            return True
    return False


class _Spans:
    """Whether a position falls in any of some spans (which may overlap): a binary search, not a scan."""

    def __init__(self, spans):
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach = list(accumulate((b for _, b in spans), max))  # furthest end among the first k spans

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self._starts, pos)
        return k > 0 and self._reach[k - 1] > pos


@lru_cache(maxsize=4096)  # the same few numerals (一, 两, 三十…) recur in every document
def _chinese_value(span: str) -> int | float | None:
    """cn2an's reading of a numeral span (everyday or 大写), or None when it is not a number.

    cn2an reads 壹拾壹万壹仟 and 两万三千 itself; it refuses a bare magnitude (百, 千, 万, 百万),
    which reports write for 百余人 / 万余人, so that is read as one of it (一百, 一万).
    """
    span = span.replace("〇", "零")
    try:
        return cn2an.cn2an("一" + span if _is_bare_magnitude(span) else span, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _bounded(value: int | float | None, digits: int, r: Rules) -> tuple[float | None, bool]:
    """``value`` as a float, or (None, True) when it has more digits than a float keeps exactly.

    ``digits`` is the digit count as written (leading zeros dropped); the check comes before any
    float conversion, so a 400-digit figure neither overflows nor becomes inf.
    """
    if value is None:
        return None, False
    if digits > r.max_digits:
        return None, True
    result = float(value)
    return (result, False) if math.isfinite(result) else (None, True)


def _bounded_numeral(raw: int | float | None, r: Rules) -> tuple[float | None, bool]:
    """``_bounded`` for cn2an's reading; an int is measured without printing it (a huge one cannot be)."""
    if isinstance(raw, int) and abs(raw) >= 10**r.max_digits:
        return None, True
    return _bounded(raw, _written_digits(str(raw)), r)


def _written_digits(text: str) -> int:
    """Digits of a number as written, leading zeros dropped (a float in exponent form counts as too long)."""
    lowered = text.lower()
    if "e" in lowered or "inf" in lowered or "nan" in lowered:
        return 10**6
    return len(text.replace(".", "").replace("-", "").lstrip("0"))


_PREFIX_PATTERNS: dict[int, tuple[object, re.Pattern]] = {}


def _alternation(options) -> re.Pattern:
    """One compiled alternation of ``options`` in their order: a regex tries alternatives in order, so its
    match at a position is the first option that starts there, as a loop of startswith would find, in
    one call instead of one per option."""
    return re.compile("|".join(re.escape(option) for option in options) or "(?!)")


def _prefix_pattern(options) -> re.Pattern:
    """``_alternation(options)``, cached per options object (for lists other than the rules' own, whose
    patterns ``Matchers`` holds)."""
    cached = _PREFIX_PATTERNS.get(id(options))
    if cached is None or cached[0] is not options:
        cached = (options, _alternation(options))
        _PREFIX_PATTERNS[id(options)] = cached
    return cached[1]


def _match_prefix(text: str, pos: int, options) -> str | None:
    """The first of ``options`` (in order) that ``text`` has at ``pos``."""
    match = _prefix_pattern(options).match(text, pos)
    return match.group() if match else None


def _matched(pattern: re.Pattern, text: str, pos: int) -> str | None:
    """What ``pattern`` (one of ``Matchers``' alternations) matches at ``pos``, or None."""
    match = pattern.match(text, pos)
    return match.group() if match else None


class SuffixMatcher:
    """The longest of some words that ``text`` has just before ``pos``: one slice and set lookup per
    distinct word length, longest first, instead of an ``endswith`` per word.

    For a list sorted longest first (as the rules keep ``before`` and ``vague_prefixes``) the longest
    word ending at ``pos`` is the first of the list that does: two words of one length cannot both end
    there. tests/test_extract_speed_equivalence.py checks it against that loop.
    """

    __slots__ = ("_words", "_lengths")

    def __init__(self, words) -> None:
        self._words = frozenset(w for w in words if w)
        self._lengths = tuple(sorted({len(w) for w in self._words}, reverse=True))

    def __call__(self, text: str, pos: int) -> str | None:
        for length in self._lengths:
            if length <= pos and (word := text[pos - length : pos]) in self._words:
                return word
        return None


@dataclass
class _Number:
    start: int
    end: int
    value: float | None
    digits: int  # masked: how many stars
    kind: str  # arabic | cn | mask | pct
    too_long: bool = False  # more digits than max_digits: a figure, but its value is not kept


def _number_at(match: re.Match, r: Rules) -> _Number:
    start, end = match.span()
    if match.group("pct"):
        if _too_long_to_read(match.group("pct_num"), r):
            return _Number(start, end, None, 0, "pct", True)
        value, too_long = _bounded_numeral(_chinese_value(match.group("pct_num")), r)
        return _Number(start, end, value, 0, "pct", too_long)
    if match.group("arabic"):
        text = match.group("arabic").replace(",", "")
        frac = match.group("frac") or ""
        digits = len((text + frac).lstrip("0"))  # _written_digits of digits alone
        value, too_long = _bounded(f"{text}.{frac}" if frac else text, digits, r)
        return _Number(start, end, value, len(text), "arabic", too_long)
    if match.group("mask"):  # **.*% keeps its integer digit count
        stars = len(match.group("mask").split(".")[0])
        return _Number(start, end, None, stars, "mask", stars > r.max_digits)
    if _too_long_to_read(match.group("cn"), r):
        return _Number(start, end, None, 0, "cn", True)
    value, too_long = _bounded_numeral(_chinese_value(match.group("cn")), r)
    return _Number(start, end, value, 0, "cn", too_long)


def _too_long_to_read(numeral: str, r: Rules) -> bool:
    """A Chinese numeral span longer than any of max_digits digits is (九百九十九万九千九百九十九亿… is 29
    characters for 15 digits): too long, and not given to cn2an, whose time grows with the square of
    the span and whose int of thousands of digits could not even be printed."""
    return len(numeral) > 4 * r.max_digits


def _skip_spaces(text: str, pos: int) -> int:
    while text.startswith(" ", pos):
        pos += 1
    return pos


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (normalised), left to right, spans non-overlapping.

    Linear in the text: the 1,234,567 form is tried only where it can match. Tried at every group
    of ``111,111,…,111,`` (a chain that ends in a comma or a fourth digit, so no group of it is a
    thousands figure) it would read the rest of the chain again for each group.
    """
    r = rules()
    excluded = None  # the excluded spans, found when a first number could be a figure
    found: list[Quantity] = []
    pos = 0
    candidate, plain, skip = _candidate(), _candidate(thousands=False), _skip_to_number()
    failed_chain_end = -1  # the end of the last chain of ,ddd groups that was no thousands figure
    while True:
        at = skip.match(text, pos).end()  # past the characters and the numerals that are words (一是, 统一)
        if at == len(text):
            return _with_halves(text, found, r)
        if text[at].isdecimal() and not (at < failed_chain_end and text[at - 1] == ","):
            # a group inside a failed chain fails too: it runs to the same end, where the chain failed
            match = candidate.match(text, at)
            if "," not in match.group("arabic") and (chain := _THOUSANDS_CHAIN.match(text, at)):
                failed_chain_end = chain.end()
        else:
            match = plain.match(text, at)
        pos = match.end()
        if excluded is None:
            excluded = _Spans(_excluded_spans(text))
        if at in excluded:
            continue
        number = _number_at(match, r)
        quantity = _read_quantity(text, number, r)
        if quantity is not None:
            found.append(quantity)
            pos = quantity.end


def _with_halves(text: str, found: list[Quantity], r: Rules) -> list[Quantity]:
    """``found`` with 半 before a unit of time (压缩至半个工作日, 半天办结) read as 0.5 of it."""
    if "半" not in text:
        return found
    halves = []
    taken = _Spans((q.start, q.end) for q in found)
    for match in re.finditer("半", text):
        unit = _matched(r.compiled.half_unit, text, match.end())
        if unit and match.start() not in taken:
            before = text[max(0, match.start() - 1) : match.start()]
            if before and (before.isdigit() or before in r.everyday_numerals or before in "多大过个"):
                continue  # 一个半小时, 1年半, 多半, 大半: not a half of its own
            end = match.end() + len(unit)
            qualifier = r.after_unit.get(_matched(r.compiled.after_unit, text, end) or "")
            if qualifier:
                end += len(_matched(r.compiled.after_unit, text, end))
            lower = None if qualifier in ("at_most", "approx") else 0.5
            upper = None if qualifier in ("at_least", "approx") else 0.5
            halves.append(Quantity(match.start(), end, text[match.start() : end], 0.5, lower, upper, unit, qualifier, False))
    return sorted(found + halves, key=lambda q: q.start) if halves else found


def _read_quantity(text: str, number: _Number, r: Rules) -> Quantity | None:
    start, end = number.start, number.end
    before = text[start - 1 : start] if start else ""  # the character before the number
    if before == "第" or (number.kind == "cn" and before == "星"):
        return None  # ordinals: 第3, 第一
    if number.kind == "cn" and _not_a_chinese_figure(text, number, r):
        return None

    # a range partner: 1-2部, 3至5次
    upper_number = None
    join = _RANGE_JOIN.match(text, end)
    if join and number.kind in ("arabic", "cn"):
        partner = _candidate().match(text, join.end())
        if partner and (partner.group("arabic") or partner.group("cn")):
            candidate = _number_at(partner, r)
            if candidate.kind == number.kind and candidate.value is not None:
                upper_number, end = candidate, candidate.end

    multiplier, addend = 1, 0.0
    if number.kind in ("arabic", "mask"):  # a Chinese numeral carries its own 千/万 (两万三千)
        multiplier, end = _multiplier_at(text, end, r)
        if multiplier > 1 and number.kind == "arabic" and upper_number is None:
            addend, end = _compound_at(text, end, multiplier, r)
    qualifier = None
    after = _matched(r.compiled.after_number, text, _skip_spaces(text, end))
    if after:  # 160余场, and 240 余人次 on pages laid out with spaces
        qualifier = r.after_number[after]
        end = _skip_spaces(text, end) + len(after)
    if number.kind == "cn" and _is_bare_magnitude(text[number.start : number.end]) and qualifier is None:
        return None  # a bare 百/千/万 is a figure only as 百余人, 万多份; 千人计划, 百人宣讲团, 千万不要 are not
    unit_pos = _skip_spaces(text, end)
    unit = "%" if number.kind == "pct" else _matched(r.compiled.unit, text, unit_pos)
    if unit and number.kind != "pct":
        end = unit_pos + len(unit)
        end += len(_alternative_unit_at(text, end, r))
    after_unit = _matched(r.compiled.after_unit, text, end)
    if after_unit and (unit or number.kind == "pct"):
        qualifier = qualifier or r.after_unit[after_unit]
        end += len(after_unit)

    if not _plausible(text, number, unit, multiplier, qualifier, end, r):
        return None

    before_word = r.compiled.before(text, number.start)
    if before_word and qualifier is None:
        qualifier = r.before[before_word]
    value = None if number.value is None else number.value * multiplier + addend
    masked = number.kind == "mask"
    lower = upper = value
    if masked and not number.too_long:
        lower = float(10 ** (number.digits - 1)) * multiplier
        upper = float(10**number.digits - 1) * multiplier
    if upper_number is not None:
        lower, upper, value, qualifier = value, upper_number.value * multiplier, None, "range"
    elif qualifier == "at_least":
        upper = None
    elif qualifier == "at_most":
        lower = None if not masked else lower
    elif qualifier == "approx":
        lower = upper = None if not masked else lower
    quantity = Quantity(number.start, end, text[number.start : end], value, lower, upper, unit, qualifier, masked)
    return _within_bounds(quantity, number.too_long, r)


def _within_bounds(q: Quantity, too_long: bool, r: Rules) -> Quantity:
    """``q``, or ``q`` without value and bounds and with a reject reason when its number is out of bounds:
    written with more than max_digits digits (or stars), or 10**max_digits or more once multiplied
    (999999999999999亿件), or not a finite number at all. Such a figure is kept as a quantity, never a fact.
    """
    limit = 10**r.max_digits
    if too_long:
        why = f"number_out_of_bounds: more than {r.max_digits} digits"
    elif _not_below(q.value, limit) or _not_below(q.lower, limit) or _not_below(q.upper, limit):
        why = f"number_out_of_bounds: 1e{r.max_digits} or more"
    else:
        return q
    return replace(q, value=None, lower=None, upper=None, reject_reason=why)


def _not_below(value: float | None, limit: int) -> bool:
    """Whether a value is known and not below ``limit`` in size (nan is not below anything)."""
    return value is not None and not abs(value) < limit


def _not_a_chinese_figure(text: str, number: _Number, r: Rules) -> bool:
    """Chinese-numeral spans that are words, not figures, whatever follows them."""
    start, span = number.start, text[number.start : number.end]
    if _in_a_decoy(text, start):
        return True  # 一次性, 千家万户
    if len(span) == 1 and span in r.financial_numerals:
        return True  # 队伍, 陆续, 拾遗: one 大写 character alone is a word; 大写 figures are longer (贰万, 伍拾)
    if all(c in _MAGNITUDES for c in span) and r.compiled.vague_prefix(text, start):
        return True  # 数十场, 几百人, 数万: a vague amount, not a figure
    return False


def _multiplier_at(text: str, pos: int, r: Rules) -> tuple[int, int]:
    """The 千/万/亿 written at ``pos`` after a number, unless it belongs to a unit (万元, 千米).

    Pages laid out with spaces around figures (办理 1.3 万件) keep the multiplier across them.
    """
    at = _skip_spaces(text, pos)
    word = _matched(r.compiled.multiplier, text, at)
    if word is None or _matched(r.compiled.multiplier_unit, text, at):
        return 1, pos
    return r.multipliers[word], at + len(word)


def _compound_at(text: str, pos: int, multiplier: int, r: Rules) -> tuple[float, int]:
    """Further digits with a smaller multiplier, as in 1万2千人 (12000): their value and the new end."""
    addend = 0.0
    while (match := re.match(r"\d+", text[pos : pos + 16])) is not None:
        smaller, after = _multiplier_at(text, pos + match.end(), r)
        if not 1 < smaller < multiplier:
            break
        addend, pos, multiplier = addend + int(match.group()) * smaller, after, smaller
    return addend, pos


_ALTERNATIVE_UNIT = re.compile(r"\(([^()]{1,4})\)")


def _alternative_unit_at(text: str, pos: int, r: Rules) -> str:
    """A parenthesised alternative unit right after the unit, 场(次) or 件(次), to take into the span."""
    if not text.startswith("(", pos):  # most units stand alone: no copy, no match
        return ""
    match = _ALTERNATIVE_UNIT.match(text[pos : pos + 6])
    return match.group() if match and match.group(1) in r.units else ""


@lru_cache(maxsize=1)
def _decoy_pattern() -> tuple[re.Pattern, int]:
    """The decoy words, longest first, as one alternation, and the longest one's length."""
    decoys = sorted((d for d in rules().chinese_decoys if d), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, decoys)) or "(?!)"), max(map(len, decoys), default=0)


def _in_a_decoy(text: str, start: int) -> bool:
    """Whether the character at ``start`` lies inside a decoy word (一次性, 千家万户). At each position that
    could begin one, the longest decoy there is tried: a shorter one starting there cannot reach further."""
    pattern, longest = _decoy_pattern()
    for i in range(max(0, start - longest + 1), start + 1):
        match = pattern.match(text, i)
        if match is not None and match.end() > start:
            return True
    return False


def _plausible(text: str, number: _Number, unit, multiplier, qualifier, end: int, r: Rules) -> bool:
    """Reject spans that look numeric but are not figures."""
    if number.value is None and number.kind != "mask" and not number.too_long:
        return False
    following = text[end : end + 1]
    if number.kind == "arabic":
        raw = text[number.start : number.end]
        if not unit and re.match(r"[A-Za-z]", text[number.end : number.end + 1]):
            return False  # 5G, 4A级
        if not unit and raw in r.hotlines:
            return False
        if not unit and len(raw.replace(",", "")) >= 7 and "." not in raw:
            return False  # phone and ID numbers
        return True
    if number.kind == "mask":
        return bool(unit) or multiplier > 1 or qualifier is not None and bool(unit)
    if number.kind == "cn":
        if not unit:
            return False  # 八五普法, 三定方案, 二十大: a Chinese numeral needs a unit to be a figure
        span = text[number.start : number.end]
        if span == "一" and following and following not in ",;。:!?、)":
            return False  # 一个环节, 一项工作: an article unless it ends the clause (讲座一期,)
        if span == "一" and text[max(0, number.start - 2) : number.start].startswith("一"):
            return False  # 一网一门一次, 一事一议: a parallel slogan
        return True
    return True  # 百分之…
