"""Sentences and clauses of normalised text, as character spans.

Normalised text has ASCII punctuation (NFKC), so a clause boundary "," must be told apart
from a thousands separator: "1,236人" is one figure, "26件,审结24件" two clauses.
"""

from __future__ import annotations

import re

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
