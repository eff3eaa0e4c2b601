"""The faster forms of ingestion's per-document work give exactly what the plain forms gave.

Each plain form below is the straightforward code the fast one replaced; the tables hold the
cases where a shortcut could go wrong (names at the start, after a digit or 年, overlapping,
two-character and generic names, masked names; combining marks and odd whitespace).
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import PurePosixPath

import pytest

from pipelines.ingest.model import Location, RawBlock
from pipelines.ingest.normalize import _TYPED_FULL_WIDTH, fold_whitespace, nfkc, normalize_text
from pipelines.ingest.sections import assign_sections, heading_level, heading_title
from pipelines.metadata import detect
from pipelines.metadata.admin_divisions import admin_index
from pipelines.metadata.detect import Mentions, detect_metadata, find_mentions, patterns


@lru_cache(maxsize=1)
def _lengths_by_first_character() -> dict[str, list[int]]:
    index = admin_index()
    names = (*detect._county_words(), *index.city_names, *index.province_names, *index.province_short_names)
    lengths: dict[str, set[int]] = {}
    for name in names:
        if len(name) >= 2:
            lengths.setdefault(name[0], set()).add(len(name))
    return {first: sorted(found, reverse=True) for first, found in lengths.items()}


def plain_find_mentions(text: str) -> Mentions:
    """find_mentions as a scan that tries every position, by the lengths of names with that first character."""
    index = admin_index()
    words = detect._county_words()
    lengths = _lengths_by_first_character()
    found = Mentions(masked=bool(patterns().masked.search(text)))
    i, n = 0, len(text)
    parent = None
    while i < n:
        for length in lengths.get(text[i], ()):
            if i + length > n:
                continue
            word = text[i : i + length]
            county = words.get(word)
            is_city = word in index.city_names
            is_province = word in index.province_names or word in index.province_short_names
            if not (county or is_city or is_province):
                continue
            if county and (length == 2 or word in patterns().generic_names) and not (is_city or is_province):
                just_before = parent[1] if parent and parent[0] == i else None
                if not detect._name_stands(text, i, word, county, just_before):
                    continue
            if county:
                found.counties.append(county)
            if is_city:
                found.cities.append(word)
            if is_province:
                found.provinces.append(word)
            i += length
            parent = (i, word) if (is_city or is_province) else None
            break
        else:
            i += 1
    return found


MENTION_TEXTS = [
    "",
    "县",
    "泸县",
    "泸县召开全体会议",
    "去年泸县",
    "2021年泸县坚持依法行政",
    "关于息县推进普法的情况",
    "信阳市息县司法局",
    "河南省新县人民政府",
    "街道和县委一起开会",
    "全县城区道路整治",
    "阳泉市城区开展调解",
    "建设美丽新城区",
    "东城区、西城区和朝阳区",
    "北京市东城区2023年工作",
    "**县人民政府关于法治建设的报告",
    "某区司法局",
    "XX市、○○县",
    "通州区",
    "南通市通州区",
    "金平县坚持",
    "乾县2022年",
    "内蒙古自治区土默特左旗",
    "四川泸州泸县",
    "柳城县柳城县柳城县",
    "《意见》和县委",
    "“平安区”称号",
    "平安县积极",
    "重庆市万州区万州区",
    "宁乡市宁乡市人民政府",
    "广西壮族自治区柳州市柳城县",
    "县城区",
    "城区城区",
    "市区",
    "吉林省吉林市",
]


def _random_texts(count: int) -> list[str]:
    """Strings stitched from division names, their pieces, context words and filler."""
    index = admin_index()
    names = sorted({*index.by_name, *index.short_forms, *index.city_names, *index.province_names,
                    *index.province_short_names})
    rules = patterns()
    context = [*rules.short_name_predecessors, *rules.short_name_successors, *rules.generic_names,
               *rules.short_name_boundaries, "年", "2024", "7", "**县", "某镇", "》", "”", "和", "全", "的"]
    filler = "我们在县区市里推进工作依法一二三,。、;:《》“”0123456789年"
    rng = random.Random(20240611)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 7)):
            roll = rng.random()
            if roll < 0.35:
                parts.append(rng.choice(names))
            elif roll < 0.45:
                name = rng.choice(names)
                parts.append(name[: rng.randint(1, len(name))])
            elif roll < 0.75:
                parts.append(rng.choice(context))
            else:
                parts.append("".join(rng.choice(filler) for _ in range(rng.randint(1, 3))))
        texts.append("".join(parts))
    for _ in range(count // 4):  # one name's tail is the next one's head
        first, second = rng.choice(names), rng.choice(names)
        texts += [first + second, first[:-1] + second, second + first[1:]]
    return texts


@pytest.mark.parametrize("text", MENTION_TEXTS)
def test_find_mentions_matches_the_plain_scan(text):
    assert find_mentions(text) == plain_find_mentions(text)


def test_find_mentions_matches_the_plain_scan_on_stitched_texts():
    texts = _random_texts(1500)
    assert [find_mentions(t) for t in texts] == [plain_find_mentions(t) for t in texts]


@pytest.mark.parametrize("text", [*MENTION_TEXTS, "**县2023年工作", "和县人民政府,**县"])
def test_find_mentions_without_the_mask_search_finds_the_same_names(text):
    full, names_only = find_mentions(text), find_mentions(text, look_for_mask=False)
    assert (names_only.counties, names_only.cities, names_only.provinces) == (full.counties, full.cities, full.provinces)
    assert names_only.masked is False


FILLER_LINE = "今年以来各项工作稳步推进,群众满意度持续提升。\n" * 20  # pushes what follows past the opening


@pytest.mark.parametrize(
    ("body", "county", "status", "masked_flag"),
    [
        ("县政府办公室\n" + FILLER_LINE + "**县司法局", None, "masked", True),  # masked, names no county
        ("县政府办公室\n" + FILLER_LINE + "柳城县司法局,**县司法局", "柳城县", "resolved", False),
        ("**县人民政府\n" + FILLER_LINE + "柳城县司法局", None, "masked", True),  # masked in the opening
        ("县政府办公室\n" + FILLER_LINE, None, "unknown", False),
    ],
)
def test_a_masked_name_in_the_body_is_still_seen(body, county, status, masked_flag):
    meta = detect_metadata(PurePosixPath("folder/report.txt"), None, body)
    assert (meta.county, meta.county_status, "county_masked" in meta.flags) == (county, status, masked_flag)


@pytest.mark.parametrize(("char", "plain"), _TYPED_FULL_WIDTH)
def test_each_replaced_character_is_its_own_one_character_nfkd(char, plain):
    # what makes replacing it before NFKC harmless
    assert unicodedata.normalize("NFKD", char) == plain and len(plain) == 1
    assert unicodedata.normalize("NFKD", plain) == plain


NFKC_TEXTS = [
    "",
    "依法行政,稳步推进。",
    "全年办理案件１２３件（同比增长５％）；满意率９８．５％！",
    "“法治”：建设？是的！",
    "　开头有全角空格",
    "，\u0301组合符号跟在全角逗号后",
    "A\u030a（Å）",
    "e\u0301，e\u0301",
    "ｶﾞ，ﾊﾟ",  # half-width kana that compose
    "가\u11a8，한글",
    "㈠、第一部分 ①②③",
    "東城區，乾縣",
    "x\u0327\u0301：y",
    "\ufb01，ﬃ",
]


@pytest.mark.parametrize("text", NFKC_TEXTS)
def test_nfkc_matches_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_matches_unicodedata_around_every_replaced_character():
    # a replaced character between every kind of neighbour: combining marks, jamo, kana, compatibility forms
    neighbours = [chr(c) for c in range(0x20, 0x3100) if not 0xD800 <= c < 0xE000]
    for char, _ in _TYPED_FULL_WIDTH:
        for other in neighbours:
            for text in (char + other, other + char, other + char + other):
                assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)


_WHITESPACE = re.compile(r"\s+")
_EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
SPACES = "".join(sorted({*re.findall(r"\s", _EVERY_CHARACTER), *filter(str.isspace, _EVERY_CHARACTER)}))


@pytest.mark.parametrize(
    "text",
    ["", " ", "a", "  a  b  ", "\t第一\n\n第二\r\n", "\u3000全角\u3000空格\u3000", "a\u00a0b\u2003c\u200bd",
     "\x1c\x1d\x1e\x1fx\x85y\u2028z\u2029", SPACES, "x" + SPACES + "y"],
)
def test_fold_whitespace_matches_the_regex(text):
    assert fold_whitespace(text) == _WHITESPACE.sub(" ", text).strip()


def test_every_whitespace_character_is_folded_as_the_regex_folds_it():
    for space in SPACES:
        text = f"甲{space}乙{space}"
        assert fold_whitespace(text) == _WHITESPACE.sub(" ", text).strip(), hex(ord(space))


_SITE_MARKERS = re.compile(r"##\s*paid\s*(?:begin|end)\s*##", re.IGNORECASE)
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\u201c\u201d\u2018\u2019"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def plain_normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _SITE_MARKERS.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


@pytest.mark.parametrize(
    "text",
    [*NFKC_TEXTS, "两端 对齐 的 文字", "共 12 件 cases", "##paid begin## 正文 ## PAID END ##", "法 治,政 府",
     "“ 引 号 ”", "已经规范化的文本", "\u3000\u3000首行缩进的段落。"],
)
def test_normalize_text_matches_the_plain_form(text):
    assert normalize_text(text) == plain_normalize_text(text)


def plain_assign_sections(raw_blocks: list[RawBlock]) -> list[tuple]:
    """(kind, section path) per block, the path rebuilt from the heading stack at every block."""
    stack, out = [], []
    for raw in raw_blocks:
        kind, level = raw.kind, raw.heading_level
        if level is None and kind == "paragraph":
            level = heading_level(raw.text)
        if level is not None and kind != "table_cell":
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading_title(raw.text)))
            if kind == "paragraph":
                kind = "heading"
        out.append((kind, tuple(title for _, title in stack)))
    return out


def test_section_paths_match_the_plain_stack():
    texts = ["总体情况", "一、强化组织领导", "(一)健全工作机制。全年开会四次", "1.完善制度", "正文一段",
             "(1)细项", "二、推进依法决策", "一是开展合法性审查", "第二部分 存在问题", "正文又一段", "(二)补短板"]
    kinds = ["paragraph", "paragraph", "paragraph", "table_cell", "paragraph", "paragraph", "paragraph",
             "paragraph", "paragraph", "title", "paragraph"]
    raw = [RawBlock(t, Location(paragraph=i + 1), kind=k) for i, (t, k) in enumerate(zip(texts, kinds))]
    raw.append(RawBlock("样式标题", Location(paragraph=99), heading_level=2))
    blocks = assign_sections(raw)
    assert [(b.kind, b.section_path) for b in blocks] == plain_assign_sections(raw)
