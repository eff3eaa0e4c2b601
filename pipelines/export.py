"""Tables written for analysts: CSV that Excel and WPS open on Chinese Windows, JSON, and an xlsx workbook.

One convention for every cell, so a figure looks the same whichever way it is asked for (``shufa query
--format table|csv|json``, ``shufa export --format csv|xlsx``): booleans are ``true``/``false`` (what DuckDB's
own table printer shows), NULL is an empty CSV cell or JSON ``null``, a list or struct (``section_path``) is
JSON with its Chinese as written. Excel on Chinese Windows reads a CSV without a byte-order mark as the
local code page (GBK) and shows mojibake, so exported CSV files start with one (``utf-8-sig``); CSV printed
to a terminal or a pipe has none, since ``head`` or ``csvkit`` would see it as part of the first column name.

Pure functions over (columns, rows); the caller opens the warehouse. Files are written beside their
final name and renamed into place, so an interrupted export never leaves half a table under that name.
"""

from __future__ import annotations

import csv
import json
import math
import os
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import IO, Any

CSV_FILE_ENCODING = "utf-8-sig"  # the BOM tells Excel/WPS the file is UTF-8
XLSX_MAX_ROWS = 1_048_576  # Excel's rows per sheet, header included
XLSX_SHEET_NAME_CHARS = 31
XLSX_MAX_COLUMN_WIDTH = 60
XLSX_WIDTH_SAMPLE_ROWS = 200  # column widths are judged from the header and the first rows


def json_value(value: Any) -> Any:
    """A DuckDB value as JSON would carry it: dates as ISO text, decimals as numbers, NaN/∞ as null
    (JSON has no such numbers; a reader would choke on them)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return json_value(float(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)  # UUID, timedelta, anything newer


def csv_cell(value: Any) -> str:
    """A DuckDB value as one CSV cell (see the module docstring for the convention)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(json_value(value), ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def write_csv(handle: IO[str], columns: list[str], rows: Iterable[tuple]) -> int:
    """Header and rows as CSV on HANDLE (whose encoding decides the BOM); returns the rows written."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    written = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        written += 1
    return written


def write_json(handle: IO[str], columns: list[str], rows: Iterable[tuple]) -> None:
    """Rows as one JSON array of objects. ``json.dumps`` escapes neither ``/`` (pandas' ``to_json`` writes
    ``\\/``, which a path or ``会前学法/专题学法`` should not need) nor Chinese."""
    handle.write("[")
    for i, row in enumerate(rows):
        record = {name: json_value(v) for name, v in zip(columns, row)}
        handle.write(("," if i else "") + json.dumps(record, ensure_ascii=False))
    handle.write("]\n")


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside TARGET that replaces it once the block finishes, and vanishes if it fails."""
    temporary = target.with_name(f".{target.name}.part-{os.getpid()}")
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def export_csv(target: Path, columns: list[str], rows: Iterable[tuple]) -> int:
    """One table as a CSV file with a BOM; returns the rows written."""
    with replacing(target) as temporary, temporary.open("w", encoding=CSV_FILE_ENCODING, newline="") as handle:
        return write_csv(handle, columns, rows)


# ---------------------------------------------------------------------------------------------------------
# xlsx


@dataclass
class SheetTable:
    """One table for the workbook: its name, column names and rows (an iterator: tables are not held whole)."""

    name: str
    columns: list[str]
    rows: Iterable[tuple]


_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_name(table: str, part: int, taken: set[str]) -> str:
    """A sheet name Excel accepts for PART (1, 2, … when a table overflows a sheet) of TABLE: at most 31
    characters, none of ``[]:*?/\\``, unique without regard to case (Excel's rule)."""
    base = table.translate(_SHEET_FORBIDDEN) or "sheet"
    suffix = "" if part == 1 else f"_{part}"
    name = base[: XLSX_SHEET_NAME_CHARS - len(suffix)] + suffix
    n = 1
    while name.lower() in taken:
        n += 1
        tail = f"~{n}"
        name = base[: XLSX_SHEET_NAME_CHARS - len(suffix) - len(tail)] + suffix + tail
    taken.add(name.lower())
    return name


def display_width(text: str) -> int:
    """Columns TEXT takes in a spreadsheet cell: Chinese characters are twice as wide as Latin ones."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _column_widths(columns: list[str], sample: list[tuple]) -> list[int]:
    widths = [display_width(c) for c in columns]
    for row in sample:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(csv_cell(value)))
    return [min(w + 2, XLSX_MAX_COLUMN_WIDTH) for w in widths]


class _Formats:
    """The workbook's few cell formats, made once (xlsxwriter keeps every format it is given)."""

    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True, "bottom": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})


EXCEL_EXACT_DIGITS = 15  # Excel keeps 15 significant digits: a longer integer is written as text


def _write_cell(sheet, row: int, col: int, value: Any, formats: _Formats) -> None:
    """One value as a typed cell. Strings go through ``write_string``, never ``write``, so text from a report
    that starts with ``=`` or looks like a URL or a number stays the text it was."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int) and len(str(abs(value))) <= EXCEL_EXACT_DIGITS:
        sheet.write_number(row, col, value)
    elif isinstance(value, (float, Decimal)) and math.isfinite(value):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, formats.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats.date)
    elif isinstance(value, timedelta):
        sheet.write_string(row, col, str(value))
    else:
        sheet.write_string(row, col, csv_cell(value))


def _start_sheet(workbook, name: str, columns: list[str], widths: list[int], formats: _Formats):
    sheet = workbook.add_worksheet(name)
    for i, width in enumerate(widths):
        sheet.set_column(i, i, width)
    for i, column in enumerate(columns):
        sheet.write_string(0, i, column, formats.header)
    sheet.freeze_panes(1, 0)
    return sheet


def _finish_sheet(sheet, last_row: int, columns: int) -> None:
    """Filter buttons on the header, over the rows written (set last: the range is known only now)."""
    if columns:
        sheet.autofilter(0, 0, last_row, columns - 1)


def write_xlsx(target: Path, tables: Iterable[SheetTable], max_rows: int = XLSX_MAX_ROWS) -> dict[str, list[str]]:
    """Every table on its own sheet of one workbook at TARGET (bold, frozen header row, filters on);
    a table longer than a sheet continues on ``<name>_2``, ``<name>_3`` …. Returns table -> its sheets.

    ``constant_memory`` streams each row to disk as it is written, so a national table is never held whole.
    """
    import xlsxwriter

    sheets: dict[str, list[str]] = {}
    taken: set[str] = set()
    with replacing(target) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), {
            "constant_memory": True, "remove_timezone": True,
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        try:
            formats = _Formats(workbook)
            for table in tables:
                rows = iter(table.rows)
                sample = [row for _, row in zip(range(XLSX_WIDTH_SAMPLE_ROWS), rows)]
                widths = _column_widths(table.columns, sample)
                names = sheets.setdefault(table.name, [])
                sheet, row_no = None, max_rows
                for values in chain(sample, rows):
                    if row_no >= max_rows:
                        if sheet is not None:
                            _finish_sheet(sheet, row_no - 1, len(table.columns))
                        names.append(sheet_name(table.name, len(names) + 1, taken))
                        sheet, row_no = _start_sheet(workbook, names[-1], table.columns, widths, formats), 1
                    for col, value in enumerate(values):
                        _write_cell(sheet, row_no, col, value, formats)
                    row_no += 1
                if sheet is None:  # an empty table still gets its sheet, with its header
                    names.append(sheet_name(table.name, 1, taken))
                    sheet, row_no = _start_sheet(workbook, names[-1], table.columns, widths, formats), 1
                _finish_sheet(sheet, row_no - 1, len(table.columns))
        finally:
            workbook.close()
    return sheets
