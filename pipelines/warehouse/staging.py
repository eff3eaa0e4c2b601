"""Move rows into warehouse tables in one transaction, through typed staging tables.

Rows come as DataFrames, or as StoredRows: the rows of some documents in batch Parquet files
(warehouse/batch_store.py), read by DuckDB without passing through Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .sql import load_sql


def _column_definitions(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """``name TYPE, ...`` of a table, to create an empty copy of its shape.

    Not ``CREATE TABLE ... AS SELECT * FROM table LIMIT 0``: in DuckDB 2.0, inside a transaction, a
    table made that way and then filled from a DataFrame with a full row group (122,880 rows) or
    more scans as empty although count(*) says otherwise; a full national build lost every text
    block that way (tests/test_staging.py keeps it from coming back).
    """
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = ? "
        "ORDER BY column_index",
        [table],
    ).fetchall()
    return ", ".join(f'"{name}" {data_type}' for name, data_type in columns)


@dataclass(frozen=True)
class StoredRows:
    """Rows to stage from Parquet files: those of the documents in ``picked`` (doc_id, file: the
    file each is taken from) among ``files`` (see stored_rows.sql)."""

    files: list[str]
    picked: pd.DataFrame


def _stage(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame | StoredRows) -> None:
    if isinstance(rows, StoredRows):
        if rows.files:
            con.register("picked", rows.picked)
            con.execute(f"INSERT INTO incoming_{table} BY NAME {load_sql('stored_rows')}", {"files": rows.files})
            con.unregister("picked")
    else:
        con.register("staged", rows)
        con.execute(f"INSERT INTO incoming_{table} BY NAME SELECT * FROM staged")
        con.unregister("staged")


def replace_in_transaction(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame | StoredRows | list],
                           replace_sql: str) -> None:
    """Stage each frame as ``incoming_<name>`` (typed like the table ``<name>`` if there is one), then run ``replace_sql``.
    A value may also be StoredRows, or a list of frames and StoredRows staged one after another
    (the table must exist then).

    All or nothing: a failure anywhere rolls back, so readers never see half a run.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
        for table, rows in frames.items():
            if table in tables:
                # typed like its target, so empty or all-NULL columns cast cleanly
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} ({_column_definitions(con, table)})")
                for part in rows if isinstance(rows, list) else [rows]:
                    _stage(con, table, part)
            else:
                con.register("staged", rows)
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} AS SELECT * FROM staged")
                con.unregister("staged")
        con.execute(load_sql(replace_sql))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
