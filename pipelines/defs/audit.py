"""The audit: every SQL check of the project, run against one warehouse connection.

Check files are found, not listed: every ``checks/`` folder under pipelines/defs/ and the data
tests in dbt_like_sql/tests/.
"""

from pathlib import Path

import duckdb
from dagster_duckdb import DuckDBResource

from ..models.project import tests_dir
from .check_sql import CheckResult, SqlCheck, load_checks, run_check

DEFS_DIR = Path(__file__).parent


def all_checks() -> list[SqlCheck]:
    folders = sorted(DEFS_DIR.glob("*/checks")) + [tests_dir()]
    return [check for folder in folders for check in load_checks(folder)]


def audit_connection(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    return [run_check(con, check) for check in all_checks()]


def run_audit(warehouse: DuckDBResource) -> list[CheckResult]:
    with warehouse.get_connection() as con:
        return audit_connection(con)
