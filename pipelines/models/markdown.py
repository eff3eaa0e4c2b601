"""Markdown tables, for the data dictionary (docs/tables.md) and the model assets' previews in Dagster.

One small escaping rule shared by both, so a Chinese sentence with a ``|`` or a line break in it
(evidence, section paths) cannot break a table in either place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(value: object, max_chars: int | None = None) -> str:
    """One value as a table cell: on one line, pipes escaped, NULL shown as such, long text shortened."""
    text = "NULL" if value is None else " ".join(str(value).split())
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return text.replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[object]], max_chars: int | None = None) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v, max_chars) for v in row) + " |" for row in rows]
    return "\n".join(lines)
