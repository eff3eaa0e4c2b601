"""The corrections file into the draft warehouse: read whole, replace the ``corrections`` table.

The file is small and is the source of truth, so every build reloads it; the models decide what
each row means against the current documents (dbt_like_sql/staging/stg_corrections.sql).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import duckdb
import pandas as pd

from .corrections_file import COLUMNS, table_rows

TABLE_COLUMNS = ["line_no", *COLUMNS, "problem"]


def load_corrections(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, int]:
    """Replace the corrections table with the file's rows; returns counts for the run's metadata."""
    rows = table_rows(path)
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS).astype(
        {"line_no": "int64", "char_start": "Int64", "value": "float64"})
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce").dt.date
    con.register("corrections_rows", frame)
    try:
        con.execute(files(__package__).joinpath("sql", "load_corrections.sql").read_text("utf-8"))
    finally:
        con.unregister("corrections_rows")
    return {"rows": len(rows), "unreadable": sum(1 for r in rows if r["problem"])}
