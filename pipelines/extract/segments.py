"""Sentences and clauses of normalised text, as character spans; a clause read up to each figure.

Normalised text has ASCII punctuation (NFKC), so a clause boundary "," must be told apart
from a thousands separator: "1,236人" is one figure, "26件,审结24件" two clauses. ``ClauseText``
answers what a pattern finds in a clause before one of its figures without reading the clause
again for every figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。!?;]")
_CLAUSE_BREAK = re.compile(r"[:,]")


def _is_thousands_comma(text: str, i: int) -> bool:
    return (
        text[i] == ","
        and i > 0
        and text[i - 1].isdigit()
        and text[i + 1 : i + 4].isdigit()
        and len(text[i + 1 : i + 4]) == 3
        and not text[i + 4 : i + 5].isdigit()
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of sentences; the closing punctuation belongs to its sentence."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def occurrences(text: str, word: str) -> list[int]:
    """Where ``word`` starts in ``text``, in order (``word`` does not overlap itself: 其中)."""
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text[start:end]`` (split at ``,`` and ``:``, not inside numbers)."""
    spans, clause_start = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if _is_thousands_comma(text, m.start()):
            continue
        spans.append((clause_start, m.start()))
        clause_start = m.end()
    spans.append((clause_start, end))
    return spans


class ClauseText:
    """A clause's text, searched up to each of its figures (``text[:end]``) by a few patterns.

    Asking each figure of a clause of thousands again from the clause start would be quadratic.
    A pattern is instead searched once in the whole clause: its matches starting well before
    ``end`` are exactly the matches ``text[:end]`` has there, and only the last characters before
    ``end`` are searched again (with ``endpos``, so a lookahead sees the end of the prefix as it
    would; a lookbehind still sees what precedes). Exact for patterns without ``^`` whose every
    attempt reads at most ``REACH`` characters from where it starts, not counting whitespace
    (``\\s*`` may run on): the year and level patterns read at most 8. tests/test_extract_limits.py
    checks it against searching the copied prefix.
    """

    REACH = 16
    SHORT = 64  # a clause this short is searched up to the figure directly, with nothing kept
    __slots__ = ("text", "_found", "_back")

    def __init__(self, text: str):
        self.text = text
        self._found: dict[re.Pattern, tuple[list[re.Match], list[int]]] = {}
        self._back: dict[int, int] = {}  # end -> where REACH + 1 characters that are not whitespace begin

    def _resume_at(self, pattern: re.Pattern, end: int) -> tuple[int, int]:
        """(k, r): the whole-text matches[:k] are the prefix's matches before r; the prefix is searched from r."""
        if pattern not in self._found:
            matches = list(pattern.finditer(self.text))
            self._found[pattern] = (matches, [m.start() for m in matches])
        matches, starts = self._found[pattern]
        if end not in self._back:
            r, budget, text = end, self.REACH + 1, self.text
            while r > 0 and budget > 0:  # back over REACH + 1 characters that are not whitespace
                r -= 1
                if not text[r].isspace():
                    budget -= 1
            self._back[end] = r
        r = self._back[end]
        k = bisect_left(starts, r)
        if k and matches[k - 1].end() > r:  # r inside a match: resume where it starts
            k -= 1
            r = starts[k]
        return k, r

    def search(self, pattern: re.Pattern, end: int) -> bool:
        """Whether ``pattern.search(self.text[:end])`` finds anything."""
        if len(self.text) <= self.SHORT:  # endpos: as if the text ended there, without copying it
            return pattern.search(self.text, 0, end) is not None
        k, r = self._resume_at(pattern, end)
        return k > 0 or pattern.search(self.text, r, end) is not None

    def last(self, pattern: re.Pattern, end: int) -> re.Match | None:
        """The last of ``pattern.finditer(self.text[:end])`` (positions in the clause), or None."""
        tail = None
        if len(self.text) <= self.SHORT:
            for tail in pattern.finditer(self.text, 0, end):
                pass
            return tail
        k, r = self._resume_at(pattern, end)
        for tail in pattern.finditer(self.text, r, end):
            pass
        return tail if tail is not None else (self._found[pattern][0][k - 1] if k else None)


@dataclass(frozen=True, slots=True)
class TextBefore:
    """The text of a figure's clause before the figure, as a clause offset: read by searching it."""

    clause: ClauseText
    end: int

    @classmethod
    def of(cls, text: str) -> "TextBefore":
        return cls(ClauseText(text), len(text))

    def search(self, pattern: re.Pattern) -> bool:
        return self.clause.search(pattern, self.end)

    def last(self, pattern: re.Pattern) -> re.Match | None:
        return self.clause.last(pattern, self.end)

    def __contains__(self, word: str) -> bool:
        """Whether the text holds ``word``: a pattern that cannot match without it need not be searched."""
        return self.clause.text.find(word, 0, self.end) >= 0

    def __str__(self) -> str:
        return self.clause.text[: self.end]
