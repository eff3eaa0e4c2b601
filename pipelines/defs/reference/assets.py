"""China's county-level divisions 1980-2024 as a warehouse table, for joins and renames."""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...metadata.admin_divisions import admin_units_frame
from ..resources import warehouse_connection


@dg.asset(group_name="reference", kinds={"duckdb"}, deps=["warehouse_draft"], description="County-level units with codes, parents, years valid and lineage (renames).")
def admin_divisions(warehouse: DuckDBResource) -> dg.MaterializeResult:
    units = admin_units_frame()
    with warehouse_connection(warehouse) as con:
        con.register("units", units)
        con.execute((Path(__file__).parent / "admin_divisions.sql").read_text("utf-8"))
        con.unregister("units")
    latest = int(units["last_year"].max())
    return dg.MaterializeResult(
        metadata={"units": len(units), "latest_year": latest, "current_units": int((units["last_year"] == latest).sum())}
    )
