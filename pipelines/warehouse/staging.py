"""Move DataFrames into warehouse tables in one transaction, through typed staging tables."""

from __future__ import annotations

import duckdb
import pandas as pd

from .sql import load_sql


def replace_in_transaction(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], replace_sql: str) -> None:
    """Stage each frame as ``incoming_<table>`` (typed like ``<table>``), then run ``replace_sql``.

    All or nothing: a failure anywhere rolls back, so readers never see half a run.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in frames.items():
            # Staging tables typed like their targets, so empty or all-NULL columns cast cleanly.
            con.execute(f"CREATE OR REPLACE TEMP TABLE incoming_{table} AS SELECT * FROM {table} LIMIT 0")
            con.register("staged", frame)
            con.execute(f"INSERT INTO incoming_{table} BY NAME SELECT * FROM staged")
            con.unregister("staged")
        con.execute(load_sql(replace_sql))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
