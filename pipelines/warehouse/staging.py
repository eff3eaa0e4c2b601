"""Move DataFrames into warehouse tables in one transaction, through typed staging tables."""

from __future__ import annotations

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


def replace_in_transaction(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], replace_sql: str) -> None:
    """Stage each frame as ``incoming_<name>`` (typed like the table ``<name>`` if there is one), then run ``replace_sql``.

    All or nothing: a failure anywhere rolls back, so readers never see half a run.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
        for table, frame in frames.items():
            con.register("staged", frame)
            if table in tables:
                # typed like its target, so empty or all-NULL columns cast cleanly
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} ({_column_definitions(con, table)})")
                con.execute(f"INSERT INTO incoming_{table} BY NAME SELECT * FROM staged")
            else:
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} AS SELECT * FROM staged")
            con.unregister("staged")
        con.execute(load_sql(replace_sql))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
