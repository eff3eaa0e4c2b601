"""Every quantity in a piece of normalised report text, with its character span.

A pure function over one string: find number-like spans (Arabic, Chinese numerals, masked
``***``, ``百分之…``), convert only the span (a whole-text converter would also rewrite 统一,
一些, 十分), then read what is attached to it: a 万/亿 multiplier, 余/多/以上/近/不足
qualifiers, a range partner, and a unit. Things that look like numbers but are not figures
(years, dates, document numbers, titles in 《》, slogans in quotes, ordinals, hotlines) are
skipped. The word lists live in quantity_rules.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CANDIDATE = re.compile(
    r"(?P<pct>百分之(?P<pct_num>[零〇一二两三四五六七八九十百点]+))"
    rf"|(?P<arabic>\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d+)(?:\.(?P<frac>\d+))?"
    r"|(?P<mask>[*×]+(?:\.[*×]+)?)"
    rf"|(?P<cn>[{CHINESE_DIGITS}]+)"
)
_RANGE_JOIN = re.compile(r"\s*(?:-|~|—|–|至|到)\s*")
_EXCLUDED_SPANS = [
    re.compile(r"《[^》]{0,80}》"),  # titles of laws, plans, documents
    re.compile(r"[〔\[(【]\s*(?:19|20)\d{2}\s*[〕\])】]\s*(?:第\s*)?\d+\s*号"),  # 〔2016〕23号
    re.compile(r"(?<!\d)\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号])?"),  # 3月29日, 3月
    re.compile(r"(?<!\d)\d{1,2}\s*[日号](?![\d])"),  # 29日
    re.compile(r"(?<!\d)\d{3,4}-\d{7,8}(?!\d)"),  # phone numbers
    re.compile(r"\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)"),  # (3) (三): list and heading numbers
    re.compile(r"^\s*\d{1,2}\s*[.、](?!\d)"),  # 1. / 2、 at the start of a block
    re.compile(r"(?<![\d.])(?:19|20)\d{2}\s*(?:年|-\d{2}-\d{2})"),  # years
]


@dataclass(frozen=True)
class Rules:
    units: tuple[str, ...]
    multipliers: dict[str, int]
    after_number: dict[str, str]
    after_unit: dict[str, str]
    before: dict[str, str]
    hotlines: frozenset[str]
    chinese_decoys: tuple[str, ...]
    max_slogan_chars: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(files(__package__).joinpath("quantity_rules.toml").read_text("utf-8"))
    q = data["qualifiers"]
    return Rules(
        units=tuple(sorted(set(data["units"]), key=len, reverse=True)),
        multipliers=data["multipliers"],
        after_number=q["after_number"],
        after_unit=dict(sorted(q["after_unit"].items(), key=lambda kv: -len(kv[0]))),
        before=dict(sorted(q["before"].items(), key=lambda kv: -len(kv[0]))),
        hotlines=frozenset(data["exclusions"]["hotlines"]),
        chinese_decoys=tuple(data["exclusions"]["chinese_decoys"]),
        max_slogan_chars=int(data["exclusions"]["max_slogan_chars"]),
    )


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

    @property
    def is_percent(self) -> bool:
        return self.unit in ("%", "‰")


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in _EXCLUDED_SPANS for m in pattern.finditer(text)]
    limit = rules().max_slogan_chars
    spans += [m.span() for m in re.finditer(rf"[“\"「『][^”\"」』]{{1,{limit}}}[”\"」』]", text)]  # slogans
    return spans


def _chinese_value(span: str) -> float | None:
    if span == "百":
        return 100.0
    try:
        return float(cn2an.cn2an(span.replace("〇", "零"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _match_prefix(text: str, pos: int, options) -> str | None:
    for option in options:
        if text.startswith(option, pos):
            return option
    return None


@dataclass
class _Number:
    start: int
    end: int
    value: float | None
    digits: int  # masked: how many stars
    kind: str  # arabic | cn | mask | pct


def _number_at(match: re.Match) -> _Number:
    if match.group("pct"):
        return _Number(match.start(), match.end(), _chinese_value(match.group("pct_num")), 0, "pct")
    if match.group("arabic"):
        text = match.group("arabic").replace(",", "")
        frac = match.group("frac")
        return _Number(match.start(), match.end(), float(f"{text}.{frac}" if frac else text), len(text), "arabic")
    if match.group("mask"):  # **.*% keeps its integer digit count
        return _Number(match.start(), match.end(), None, len(match.group("mask").split(".")[0]), "mask")
    return _Number(match.start(), match.end(), _chinese_value(match.group("cn")), 0, "cn")


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text`` (normalised), left to right, spans non-overlapping."""
    r = rules()
    excluded = _excluded_spans(text)
    found: list[Quantity] = []
    pos = 0
    while True:
        match = _CANDIDATE.search(text, pos)
        if match is None:
            return found
        pos = match.end()
        if any(a <= match.start() < b for a, b in excluded):
            continue
        number = _number_at(match)
        quantity = _read_quantity(text, number, r)
        if quantity is not None:
            found.append(quantity)
            pos = quantity.end


def _read_quantity(text: str, number: _Number, r: Rules) -> Quantity | None:
    start, end = number.start, number.end
    before = text[max(0, start - 2) : start]
    if before.endswith("第") or (number.kind == "cn" and before.endswith("星")):
        return None  # ordinals: 第3, 第一
    if number.kind == "cn" and any(
        text.startswith(decoy, i) and i <= start < i + len(decoy)
        for decoy in r.chinese_decoys
        for i in range(max(0, start - len(decoy) + 1), start + 1)
    ):
        return None

    # a range partner: 1-2部, 3至5次
    upper_number = None
    join = _RANGE_JOIN.match(text, end)
    if join and number.kind in ("arabic", "cn"):
        partner = _CANDIDATE.match(text, join.end())
        if partner and (partner.group("arabic") or partner.group("cn")):
            candidate = _number_at(partner)
            if candidate.kind == number.kind and candidate.value is not None:
                upper_number, end = candidate, candidate.end

    multiplier = 1
    mult_word = _match_prefix(text, end, r.multipliers)
    if mult_word and not text.startswith(mult_word + "元", end) and number.kind != "cn":
        multiplier = r.multipliers[mult_word]
        end += len(mult_word)
    qualifier = None
    after = _match_prefix(text, end, r.after_number)
    if after:
        qualifier = r.after_number[after]
        end += len(after)
    unit_pos = _skip_spaces(text, end)
    unit = "%" if number.kind == "pct" else _match_prefix(text, unit_pos, r.units)
    if unit and number.kind != "pct":
        end = unit_pos + len(unit)
    after_unit = _match_prefix(text, end, r.after_unit)
    if after_unit and (unit or number.kind == "pct"):
        qualifier = qualifier or r.after_unit[after_unit]
        end += len(after_unit)

    if not _plausible(text, number, unit, multiplier, qualifier, end, r):
        return None

    before_word = _match_prefix_reverse(text, number.start, r.before)
    if before_word and qualifier is None:
        qualifier = r.before[before_word]
    value = None if number.value is None else number.value * multiplier
    masked = number.kind == "mask"
    lower = upper = value
    if masked:
        lower = float(10 ** (number.digits - 1) * multiplier)
        upper = float((10**number.digits - 1) * multiplier)
    if upper_number is not None:
        lower, upper, value, qualifier = value, upper_number.value * multiplier, None, "range"
    elif qualifier == "at_least":
        upper = None
    elif qualifier == "at_most":
        lower = None if not masked else lower
    elif qualifier == "approx":
        lower = upper = None if not masked else lower
    return Quantity(number.start, end, text[number.start : end], value, lower, upper, unit, qualifier, masked)


def _match_prefix_reverse(text: str, pos: int, options) -> str | None:
    for option in options:
        if text.endswith(option, 0, pos):
            return option
    return None


def _plausible(text: str, number: _Number, unit, multiplier, qualifier, end: int, r: Rules) -> bool:
    """Reject spans that look numeric but are not figures."""
    if number.value is None and number.kind != "mask":
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
