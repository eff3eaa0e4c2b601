"""The words around each figure of a block, as the indicator mapping reads them.

Pure: a block in, for each figure its quantity, its ``Context`` (segment, clause, sentence,
headings, and the words carried from elsewhere in the sentence), its evidence sentence and the
sentence's span. This is where what attaches to a figure is decided: the noun after it
(36场普法宣传活动), not the next phrase (…683件并整改问题); the noun a second measure shares
(2次、100余件); the activity a headcount follows (培训4场次,参训18人次).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache

from ..ingest.model import Block
from ..ingest.normalize import t2s
from .mapping import Context, role_of
from .quantities import Quantity, find_quantities, rules
from .segments import ClauseText, TextBefore, clause_spans, occurrences, sentence_spans


SIMPLIFIED_CACHE_CHARS = 512  # texts up to this long are remembered: headings, section paths, table cells


def simplified(text: str) -> str:
    """Text in simplified characters for matching (出庭應訴率 → 出庭应诉率), same length as the original.

    OpenCC converts character by character here; should a conversion ever change the length,
    the original is used so that spans stay valid. Short texts recur (every block of a section
    converts the same section path; headings and boilerplate recur across documents), so their
    conversion is remembered, in a bounded cache of a pure function.
    """
    return _simplified_short(text) if len(text) <= SIMPLIFIED_CACHE_CHARS else _simplified(text)


def _simplified(text: str) -> str:
    converted = t2s().convert(text)
    return converted if len(converted) == len(text) else text


_simplified_short = lru_cache(maxsize=8192)(_simplified)


def simplified_texts(texts: list[str]) -> list[str]:
    """``[simplified(text) for text in texts]``, in one conversion for all of them (a document's blocks).

    OpenCC replaces the longest dictionary word at each position, and no dictionary word holds a
    newline: the texts joined by newlines convert to their conversions joined by newlines. One call
    for a document costs far less than one per block, most of whose cost is the call's own. Texts
    that hold a newline themselves are converted one by one, and each keeps its original when its
    conversion would change its length, as ``simplified`` does.
    """
    if len(texts) < 2 or any("\n" in text for text in texts):
        return [simplified(text) for text in texts]
    converted = t2s().convert("\n".join(texts)).split("\n")
    if len(converted) != len(texts):
        return [simplified(text) for text in texts]
    return [new if len(new) == len(old) else old for old, new in zip(texts, converted)]


def _table_contexts(block: Block, row: list[Block], q: Quantity) -> tuple[Quantity, Context, str]:
    """A table cell's figure takes its words from the rest of its row (指标 | 数值 | 单位)."""
    units = set(rules().units)
    label = " ".join(c.text for c in row if c is not block and c.text not in units)
    if q.unit is None:
        unit = next((c.text for c in row if c.text in units), None)  # a 单位 column
        if unit:
            q = replace(q, unit=unit)
    row_text = " | ".join(c.text for c in row)
    section = simplified(" ".join(block.section_path))
    context = Context(simplified(label), "", simplified(label), simplified(row_text), section, TextBefore.of(""))
    return q, context, row_text


# How far back the activity a figure follows, and the subject of its sentence, are looked for:
# bounds that keep a sentence of thousands of figures linear.
NEAR_CHARS = 80
LEAD_CHARS = 160
# A headcount's activity (执法人员培训4场次,参训18人次) is named just before it: this far back, not to the
# sentence start, so a sentence of thousands of such pairs is read in linear time.
ACTIVITY_CHARS = 160
# Words carried into a clause's first figure reach back to the sentence's last level figure, at most
# this far: a run of thousands of changes (同比增长N件,…) after one level stays linear.
CARRY_CHARS = 400
_QUOTE_MARKS = "“”\"「」『』‘’"
_QUOTES = str.maketrans("", "", _QUOTE_MARKS)
_ANY_QUOTE = re.compile(f"[{re.escape(_QUOTE_MARKS)}]")
_ASIDE = re.compile(r"\((?:包括|含|包含)[^()]*\)")  # 结案(包括不予受理)86件: an aside, not the thing counted
_RIGHT_STARTS_ELSEWHERE = ("和", "及", "与", "并", "同时", "其中", "且", "以及", "、")
# a noun phrase does not start with an adverb or a predicate: 1235项全部实现网上可办, 39件中败诉2件
_RIGHT_PREDICATE = re.compile(r"全部|均|已|都|实现|分别|达到|同比|较|比|占|中(?![心学小国级型医药])")
_SAME_NOUN_JOINERS = ("、", "和", "及", "与", "")
_RIGHT_CUT = ("并", "同时", "其中")
_ADJECTIVE_ENDS = ("性", "型", "类")
_PERSON_UNITS = ("人", "人次", "名")
_HEADCOUNT_VERB = re.compile(r"(?:共|累计|共计)?(?:参训|参与培训|参加培训|培训|受训|参与|参加|覆盖|惠及|受益)(?:人员|人数)?(?:达|为|共)?$")


class SharedText(str):
    """A clause's or sentence's words, one object for the contexts of all the figures in it.

    Matching asks each figure's context whether its clause and sentence hold this or that word;
    the answer is kept, so a sentence of thousands of figures is read once per word, not once per
    figure and word. Otherwise a plain ``str``.
    """

    LONG = 256  # shorter texts stay plain: looking a word up in them costs no more than remembering it

    def __new__(cls, text: str) -> "SharedText":
        shared = super().__new__(cls, text)
        shared._holds = {}
        return shared

    @classmethod
    def of(cls, text: str) -> str:
        return cls(text) if len(text) >= cls.LONG else text

    def __contains__(self, word: str) -> bool:
        held = self._holds.get(word)
        if held is None:
            held = self._holds[word] = str.__contains__(self, word)
        return held


@lru_cache(maxsize=1024)
def _for_matching(text: str) -> str:
    """Words as matching sees them: quotes dropped (“一网通办”率 is 一网通办率), inclusion asides removed."""
    text = _ASIDE.sub("", text) if "(" in text else text
    # translate reads a long text slowly (a table lookup a character): only when there is a quote to drop
    return text.translate(_QUOTES) if _ANY_QUOTE.search(text) else text


def _unchanged(text: str) -> str:
    return text


def _matching_form(block_text: str):
    """``_for_matching`` for the pieces of one block's text: itself, or, for a block with no parenthesis
    and no quote mark (most of them), which then has nothing to drop in any piece, the identity, which
    neither hashes nor remembers the pieces (tests/test_extract_speed_equivalence.py)."""
    return _for_matching if "(" in block_text or _ANY_QUOTE.search(block_text) else _unchanged


@lru_cache(maxsize=1024)
def _section_words(section_path: tuple[str, ...]) -> str:
    """A block's section headings joined, as matching reads them: made once for all the blocks of a section."""
    return SharedText.of(simplified(" ".join(section_path)))


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
    for word in _RIGHT_CUT:  # kept.split(word, 1)[0], without making the list
        at = kept.find(word)
        if at >= 0:
            kept = kept[:at]
    return kept


def _containing(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    """The span holding ``pos`` (spans sorted and contiguous): a binary search, not a scan."""
    return spans[max(0, bisect_right(starts, pos) - 1)]


def _carried_from(quantities: list[Quantity], is_change: list[bool]):
    """For a clause starting at ``c_start`` in a sentence starting at ``s_start``: where the words carried
    into its first figure begin, the end of the sentence's last figure before the clause that is a level,
    not a change (案件同比增长15%,达到856件), or the sentence start.

    Ends of figures are increasing (spans do not overlap), so that figure is found by a binary search
    over a running 'last level so far' instead of walking back over every figure between.
    """
    ends = [q.end for q in quantities]
    if any(a >= b for a, b in zip(ends, ends[1:])):  # not expected; walk back as the rule reads
        def walk(i: int, c_start: int, s_start: int) -> int:
            for j in range(i - 1, -1, -1):
                if quantities[j].end < s_start:
                    break
                if quantities[j].end <= c_start and not is_change[j]:
                    return quantities[j].end
            return s_start
        return walk
    last_level: list[int] = [-1]  # last_level[k]: end of the last level among the first k figures
    for end, change in zip(ends, is_change):
        last_level.append(last_level[-1] if change else end)

    def find(i: int, c_start: int, s_start: int) -> int:
        level = last_level[bisect_right(ends, c_start, 0, i)]
        return level if level >= s_start else s_start
    return find


def figure_contexts(block: Block, rows: dict, text: str | None = None) -> list[tuple[Quantity, Context, str, tuple[int, int]]]:
    """(quantity, context for matching, evidence, sentence span) for each figure of a block.

    ``text``: the block's text in simplified characters, when the caller converted its document at
    once (``simplified_texts``).

    Linear in the figures of a block, and of a sentence or clause: each figure looks at its
    neighbours, at its clause and sentence (read once for all their figures: ``SharedText``,
    ``ClauseText``) and back through a bounded stretch of its sentence, so a block of thousands of
    figures costs no more per figure than a short one.
    """
    original = block.text
    text = simplified(original) if text is None else text
    quantities = find_quantities(text)
    if not quantities:  # most headings, many sentences: nothing to give words to
        return []
    if block.kind == "table_cell":
        row = rows[(block.location.page, block.location.table, block.location.row)]
        return [(*_table_contexts(block, row, q), (0, len(text))) for q in quantities]
    sentences = sentence_spans(text)
    sentence_starts = [a for a, _ in sentences]
    clauses_of: dict[tuple[int, int], tuple[list, list, str]] = {}  # a sentence's clauses, their starts, its text
    clause_texts: dict[tuple[int, int], ClauseText] = {}
    shared: dict[tuple[int, int], str] = {}

    for_matching = _matching_form(text)

    def words(a: int, b: int) -> str:
        """``_for_matching(text[a:b])`` for a span many figures share, made once."""
        made = shared.get((a, b))
        if made is None:
            made = shared[(a, b)] = SharedText.of(for_matching(text[a:b]))
        return made

    section = _section_words(block.section_path)
    is_change = [role_of(text[max(0, q.start - 12) : q.start])[0] == "change" for q in quantities]
    carried_from_for = _carried_from(quantities, is_change)
    subset_words = occurrences(text, "其中")  # for text.find("其中", q.end, s_end) by binary search
    items = []
    for i, q in enumerate(quantities):
        sentence = s_start, s_end = _containing(sentences, sentence_starts, q.start)
        if (of_sentence := clauses_of.get(sentence)) is None:
            spans = clause_spans(text, s_start, s_end)
            of_sentence = clauses_of[sentence] = (spans, [a for a, _ in spans], original[s_start:s_end])
        clauses, clause_starts, evidence = of_sentence
        clause_no = max(0, bisect_right(clause_starts, q.start) - 1)
        clause = c_start, c_end = clauses[clause_no]
        if (clause_text := clause_texts.get(clause)) is None:
            clause_text = clause_texts[clause] = ClauseText(text[c_start:c_end])
        previous = quantities[i - 1] if i > 0 and quantities[i - 1].end > c_start else None
        following = quantities[i + 1] if i + 1 < len(quantities) and quantities[i + 1].start < c_end else None
        prev_end = previous.end if previous else c_start
        next_start = following.start if following else c_end
        left = text[prev_end : q.start]
        if previous and left.strip() in _SAME_NOUN_JOINERS:
            # 清理规范性文件2次、100余件, 专题研究法治工作3次和5次: the next figure shares the noun
            before_previous = quantities[i - 2].end if i >= 2 else c_start
            left = text[max(c_start, before_previous) : previous.start]
        right = _attached_right(text[q.end : next_start])
        first_in_clause = previous is None
        # back to the previous figure that is a level, not a change (案件同比增长15%,达到856件)
        carried = text[max(carried_from_for(i, c_start, s_start), c_start - CARRY_CHARS) : c_start] if first_in_clause else ""
        if q.unit in _PERSON_UNITS and _HEADCOUNT_VERB.match(left.strip(" ,、")):
            # 执法人员培训4场次,参训18人次: the people of the activity just named
            carried = text[max(s_start, q.start - len(left) - ACTIVITY_CHARS) : q.start - len(left)]
        # what follows 其中 is about a part: its words do not describe a figure before it
        # (召开常务会议21次,其中专题研究法治工作3次: the 21 are not rule-of-law meetings)
        k = bisect_left(subset_words, q.end)
        subset_at = subset_words[k] if k < len(subset_words) and subset_words[k] + 2 <= s_end else -1
        clause_before_previous = clauses[clause_no - 1][0] if clause_no > 0 else s_start
        right_words = for_matching(right)
        context = Context(
            for_matching(left), right_words, words(c_start, c_end),
            words(s_start, subset_at if subset_at >= 0 else s_end), section,
            TextBefore(clause_text, q.start - c_start), for_matching(carried),
            words(subset_at, s_end) if subset_at >= 0 else "",
            for_matching(text[max(clause_before_previous, q.start - NEAR_CHARS) : q.start]),
            text[max(s_start, q.start - LEAD_CHARS) : q.start],
            "" if _RIGHT_PREDICATE.match(right) else right_words,
        )
        items.append((q, context, evidence, sentence))
    return items
