"""Checks on the raw layer, beside the assets they check. Each query lives in checks/<name>.sql."""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ..check_sql import sql_check_result

SQL = Path(__file__).parent / "checks"


@dg.asset_check(asset="documents", description="Every document has its blocks stored, and as many as it says.")
def documents_have_their_blocks(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "documents_have_their_blocks.sql")


@dg.asset_check(asset="document_files", description="Every file row points at a stored document.")
def files_point_to_documents(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "files_point_to_documents.sql")


@dg.asset_check(asset="documents", description="Years covered are plausible (2000 to next year); a warning, not a failure.")
def documents_year_plausible(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "documents_year_plausible.sql", severity=dg.AssetCheckSeverity.WARN)
