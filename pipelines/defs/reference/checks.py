"""Checks on the reference tables: one SQL file each in checks/, beside the assets they check."""

from pathlib import Path

import dagster as dg

from ..check_sql import sql_checks_definitions


@dg.definitions
def checks() -> dg.Definitions:
    return sql_checks_definitions(Path(__file__).parent / "checks")
