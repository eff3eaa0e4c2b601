"""The review worklist: the published warehouse's doubtful figures, most consequential first.

The rules are SQL (sql/review_worklist.sql), with the rates and the counts they are made of in a data
file (rate_relations.csv); this turns its rows into the dicts the review page
and review.csv are written from (pipelines/corrections/review_page.py).
"""

from __future__ import annotations

import csv
import io
import math
from importlib.resources import files

import duckdb


def worklist(con: duckdb.DuckDBPyConnection, county: str = "", year: int = 0) -> list[dict]:
    """Every worklist row for ``county`` (name or code; '' for all) and ``year`` (0 for all)."""
    sql = files(__package__).joinpath("sql", "review_worklist.sql").read_text("utf-8")
    cursor = con.execute(sql, {"county": county or "", "year": year or 0, "rate_relations": rate_relations()})
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["value"], float) and math.isnan(row["value"]):
            row["value"] = None
        row["figure"] = row["figure"] or ""
        row["evidence"] = row["evidence"] or ""
        row["context_before"] = row["context_before"] or ""
    return rows


def rate_relations() -> list[dict]:
    """rate_relations.csv as rows for the SQL: passed as a parameter, because analysts' connections
    may not read files (external access is off)."""
    text = files(__package__).joinpath("rate_relations.csv").read_text("utf-8")
    return [{"rate_code": r["rate_code"], "numerator_code": r["numerator_code"],
             "denominator_code": r["denominator_code"], "tolerance_points": float(r["tolerance_points"])}
            for r in csv.DictReader(io.StringIO(text))]
