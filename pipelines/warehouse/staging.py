"""Move DataFrames into warehouse tables in one transaction, through typed staging tables."""

from __future__ import annotations

import duckdb
import pandas as pd

from .sql import load_sql


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
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} AS SELECT * FROM {table} LIMIT 0")
                con.execute(f"INSERT INTO incoming_{table} BY NAME SELECT * FROM staged")
            else:
                con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} AS SELECT * FROM staged")
            con.unregister("staged")
        con.execute(load_sql(replace_sql))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
