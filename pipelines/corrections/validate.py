"""A correction checked against the published warehouse before it is written, so the key is right.

``shufa correct`` and ``shufa correct import`` both go through ``checked``: the document must be
ingested, a figure must start at ``char_start`` (a figure the extractor found, for confirm, reject and
set; a number in the text, for add), the indicator must be in the catalog, and what is confirmed or
rejected must be what the extractor took. The figure as written is filled in, which is what lets a
later build tell a correction that still fits from a stale one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from importlib.resources import files

import duckdb

from .corrections_file import Correction

# A figure as it starts in the text: digits (ASCII or full-width) or Chinese numerals, with separators.
_NUMBER_START = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿][0-9０-９.,，．零〇一二两三四五六七八九十百千万亿]*")


class CorrectionRefused(ValueError):
    """The correction does not fit the published warehouse; the message says what does."""


def _figure_at(con: duckdb.DuckDBPyConnection, correction: Correction) -> dict | None:
    sql = files(__package__).joinpath("sql", "figure_at.sql").read_text("utf-8")
    cursor = con.execute(sql, {"doc_id": correction.doc_id, "char_start": correction.char_start})
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


def checked(con: duckdb.DuckDBPyConnection, correction: Correction) -> Correction:
    """The correction with its figure filled in, or CorrectionRefused saying what is wrong."""
    here = _figure_at(con, correction)
    if here is None:
        raise CorrectionRefused(f"no document {correction.doc_id} in the warehouse (doc_id is documents.doc_id)")
    if here["status"] != "ingested":
        raise CorrectionRefused(f"document {correction.doc_id} ({here['path']}) is retracted: its file is gone or changed")
    known = con.execute("SELECT 1 FROM indicator_catalog WHERE code = ?", [correction.indicator_code]).fetchone()
    if not known:
        raise CorrectionRefused(f"{correction.indicator_code} is not in the indicator catalog (see dim_indicator)")
    if here["text_here"] is None:
        raise CorrectionRefused(f"char_start {correction.char_start} is outside {here['path']} "
                                f"({here['chars']} characters of text)")
    nearest = ", ".join(here["nearest_figures"] or []) or "none"
    facts = {f["indicator_code"]: f["value"] for f in here["facts"] or []}
    if correction.action == "add":
        match = _NUMBER_START.match(here["text_here"])
        if not match:
            raise CorrectionRefused(f"no number starts at char_start {correction.char_start} in {here['path']} "
                                    f"(the text there reads {here['text_here'][:12]!r})")
        figure = correction.figure or match.group(0)
        if here["figure"] and correction.indicator_code in facts:
            raise CorrectionRefused(f"the extractor already takes {here['figure']} as {correction.indicator_code}: "
                                    "use confirm or set")
    else:
        if here["figure"] is None:
            raise CorrectionRefused(f"no figure found by the extractor starts at char_start {correction.char_start} "
                                    f"in {here['path']}; the nearest are (char_start figure): {nearest}. "
                                    "A figure it missed is an add.")
        figure = here["figure"]
        if correction.action in ("confirm", "reject") and correction.indicator_code not in facts:
            taken = ", ".join(facts) or "no indicator"
            raise CorrectionRefused(f"the figure {figure} is not extracted as {correction.indicator_code} "
                                    f"(it is taken as {taken}); nothing to {correction.action}")
        if correction.action == "confirm" and correction.value is None:
            correction = replace(correction, value=facts[correction.indicator_code])
    if correction.figure and not here["text_here"].startswith(correction.figure):
        raise CorrectionRefused(f"the text at char_start {correction.char_start} reads {here['text_here'][:12]!r}, "
                                f"not the figure {correction.figure!r}")
    return replace(correction, figure=correction.figure or figure)
