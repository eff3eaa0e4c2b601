"""Checks on the extraction tables, beside their assets. Each query lives in checks/<name>.sql."""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from ..check_sql import sql_check_result

SQL = Path(__file__).parent / "checks"


@dg.asset_check(asset="indicator_facts", description="Every fact names an indicator of the catalog and a stored document.")
def facts_reference_known_keys(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "facts_reference_known_keys.sql")


@dg.asset_check(asset="indicator_facts", description="Percentages lie within 0..100 and bounds are ordered.")
def facts_values_in_range(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "facts_values_in_range.sql")


@dg.asset_check(asset="indicator_facts", description="Each fact's span is the span of its quantity, inside its document's text.")
def facts_have_provenance(warehouse: DuckDBResource) -> dg.AssetCheckResult:
    return sql_check_result(warehouse, SQL / "facts_have_provenance.sql")
