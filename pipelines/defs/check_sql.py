"""Asset checks written as SQL: a query that returns the offending rows; no rows = pass.

The same convention as the data tests in dbt_like_sql/, so a check reads the same wherever
it lives. Each ``.sql`` file sits beside the assets it checks.
"""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

SAMPLE_ROWS = 5


def sql_check_result(warehouse: DuckDBResource, sql_file: Path, severity=dg.AssetCheckSeverity.ERROR) -> dg.AssetCheckResult:
    """Run one check query; fail with a count and a sample of the offending rows."""
    with warehouse.get_connection() as con:
        cursor = con.execute(sql_file.read_text("utf-8"))
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    sample = [dict(zip(columns, map(str, row))) for row in rows[:SAMPLE_ROWS]]
    return dg.AssetCheckResult(
        passed=not rows,
        severity=severity,
        metadata={"offending_rows": len(rows), "sample": dg.MetadataValue.json(sample)},
    )
