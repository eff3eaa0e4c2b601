"""The analysts' corrections file: one row per decision about one figure, read and written here.

A correction names a figure by the document's content (``doc_id``, a hash of its bytes) and the
figure's position in the document's normalised text (``char_start``, as ``shufa text FILE`` prints
it), and repeats the figure as written (``figure``), so a correction survives re-extraction and
``--full`` rebuilds and is reported stale, never applied silently, when the text at that position is
no longer that figure. Pure functions: no warehouse, no Dagster.

Columns: ``doc_id, char_start, indicator_code, action, value, note, author, date, figure``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import asdict, dataclass, fields
from datetime import date as Date
from pathlib import Path

ACTIONS = {
    "confirm": "the fact is right: it leaves the worklist",
    "reject": "the figure at doc_id/char_start is not indicator_code",
    "set": "the figure is indicator_code with value (a wrong value, a wrong indicator, or an unmapped figure)",
    "add": "a figure the extractor missed, at char_start: indicator_code with value",
}
NEEDS_VALUE = {"set", "add"}
_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
_INDICATOR = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Correction:
    doc_id: str
    char_start: int
    indicator_code: str
    action: str
    value: float | None
    note: str
    author: str
    date: str  # ISO date, YYYY-MM-DD
    figure: str = ""  # the figure as written at char_start (356件); "" when not given


COLUMNS = [f.name for f in fields(Correction)]
REQUIRED = COLUMNS[:-1]  # ``figure`` may be left out by hand-written files


class CorrectionsFileError(ValueError):
    """The file as a whole cannot be read (missing columns, not CSV)."""


def parse_row(row: dict[str, str]) -> Correction:
    """One CSV row as a Correction; ValueError saying what is wrong with it."""
    get = {k: (row.get(k) or "").strip() for k in COLUMNS}
    problems = []
    if not _DOC_ID.match(get["doc_id"]):
        problems.append(f"doc_id {get['doc_id']!r} is not 16 hex characters (documents.doc_id)")
    try:
        char_start = int(get["char_start"])
        if char_start < 0:
            raise ValueError
    except ValueError:
        problems.append(f"char_start {get['char_start']!r} is not a position (0 or more)")
        char_start = -1
    action = get["action"].lower()
    if action not in ACTIONS:
        problems.append(f"action {get['action']!r} is not one of {', '.join(ACTIONS)}")
    if not _INDICATOR.match(get["indicator_code"]):
        problems.append(f"indicator_code {get['indicator_code']!r} is not an indicator code")
    value = None
    if get["value"]:
        try:
            value = float(get["value"].replace(",", ""))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(f"value {get['value']!r} is not a number")
    elif action in NEEDS_VALUE:
        problems.append(f"action {action} needs a value")
    if not get["author"]:
        problems.append("author is empty: say who decided")
    try:
        Date.fromisoformat(get["date"])
    except ValueError:
        problems.append(f"date {get['date']!r} is not YYYY-MM-DD")
    if problems:
        raise ValueError("; ".join(problems))
    return Correction(get["doc_id"], char_start, get["indicator_code"], action, value, get["note"], get["author"],
                      get["date"], get["figure"])


def read_corrections(path: Path) -> tuple[list[Correction], list[tuple[int, str]]]:
    """(the corrections, [(line number, what is wrong)] for rows that cannot be read). A missing file is
    no corrections; a file without the columns is a CorrectionsFileError. Excel's BOM is accepted."""
    if not path.exists():
        return [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise CorrectionsFileError(f"{path}: missing column(s) {', '.join(missing)}; the columns are {', '.join(COLUMNS)}")
        corrections, problems = [], []
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # a blank line
            try:
                corrections.append(parse_row(row))
            except ValueError as exc:
                problems.append((reader.line_num, str(exc)))
    return corrections, problems


def append_correction(path: Path, correction: Correction) -> None:
    """Add one row at the end, writing the header (with a BOM, for Excel and WPS) when the file is new."""
    new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    unterminated = not new and not path.read_bytes().endswith(b"\n")  # last row typed without a line end
    with path.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\r\n")
        if new:
            writer.writeheader()
        if unterminated:
            handle.write("\r\n")
        row = asdict(correction)
        row["value"] = format_value(correction.value)
        writer.writerow(row)


def format_value(value: float | None) -> str:
    """A value as an analyst would type it: 105258, 98.6 (never 1.05258e+05)."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def table_rows(path: Path) -> list[dict[str, object]]:
    """Every row of the file as the warehouse's ``corrections`` table holds it, unreadable rows included
    (with ``problem`` saying why and the fields that could be read), so nothing typed is silently lost."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise CorrectionsFileError(f"{path}: missing column(s) {', '.join(missing)}; the columns are {', '.join(COLUMNS)}")
        rows = []
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            try:
                record, problem = asdict(parse_row(row)), None
            except ValueError as exc:
                record = {k: ((row.get(k) or "").strip() or None) for k in COLUMNS}
                record["char_start"] = _int_or_none(record["char_start"])
                record["value"] = None
                record["date"] = None
                problem = str(exc)
            rows.append({"line_no": reader.line_num, **record, "problem": problem})
    return rows


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
