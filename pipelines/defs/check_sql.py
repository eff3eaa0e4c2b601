"""Data tests and asset checks written as SQL files: a query that returns the offending rows.

No rows = pass, as in dbt's data tests. Each ``.sql`` file sits in a ``checks/`` folder beside
the assets it checks (or in dbt_like_sql/tests/ for the models) and declares, in its leading
comments, what it checks:

    -- Documents whose stored block count disagrees with document_blocks.
    -- asset: documents
    -- severity: warn            (optional; default error)

so adding a check is adding a file. The same files run as Dagster asset checks, in the
publish audit and in ``shufa test-data``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from ..models.project import referenced_tables

SAMPLE_ROWS = 5
_DIRECTIVE = re.compile(r"^--\s*(asset|severity):\s*(\S+)\s*$")


@dataclass(frozen=True)
class SqlCheck:
    path: Path
    name: str
    asset: str
    description: str
    severity: str  # error | warn

    @property
    def sql(self) -> str:
        return self.path.read_text("utf-8")


@dataclass(frozen=True)
class CheckResult:
    name: str
    asset: str
    severity: str
    offending_rows: int
    sample: list[dict]
    description: str

    @property
    def passed(self) -> bool:
        return self.offending_rows == 0


def load_check(path: Path) -> SqlCheck:
    """A check from its file: asset, severity and description come from the leading comments."""
    description, directives = [], {}
    for line in path.read_text("utf-8").splitlines():
        if not line.startswith("--"):
            break
        match = _DIRECTIVE.match(line)
        if match:
            directives[match.group(1)] = match.group(2)
        else:
            description.append(line.lstrip("- ").strip())
    if "asset" not in directives:
        raise ValueError(f"{path}: a check needs an '-- asset: NAME' line")
    severity = "warn" if directives.get("severity") == "warn" else "error"
    return SqlCheck(path, path.stem, directives["asset"], " ".join(description), severity)


def load_checks(folder: Path) -> list[SqlCheck]:
    return [load_check(path) for path in sorted(folder.glob("*.sql"))]


def run_check(con: duckdb.DuckDBPyConnection, check: SqlCheck) -> CheckResult:
    cursor = con.execute(check.sql)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    sample = [dict(zip(columns, map(str, row))) for row in rows[:SAMPLE_ROWS]]
    return CheckResult(check.name, check.asset, check.severity, len(rows), sample, check.description)


def sql_check_result(warehouse: DuckDBResource, sql_file: Path) -> dg.AssetCheckResult:
    """Run one check file against the warehouse resource, as a Dagster check result."""
    check = load_check(sql_file)
    with warehouse.get_connection() as con:
        result = run_check(con, check)
    return dg.AssetCheckResult(
        passed=result.passed,
        severity=dg.AssetCheckSeverity.WARN if check.severity == "warn" else dg.AssetCheckSeverity.ERROR,
        metadata={"offending_rows": result.offending_rows, "sample": dg.MetadataValue.json(result.sample)},
    )


def _asset_check(check: SqlCheck) -> dg.AssetChecksDefinition:
    # a check that also reads other tables (a relationship test) runs after they are built
    others = sorted(referenced_tables(check.sql) - {check.asset})

    @dg.asset_check(asset=check.asset, name=check.name, description=check.description, additional_deps=others)
    def run(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        return sql_check_result(warehouse, check.path)

    return run


def sql_checks_definitions(folder: Path) -> dg.Definitions:
    """One Dagster asset check per ``*.sql`` file in ``folder``."""
    return dg.Definitions(asset_checks=[_asset_check(c) for c in load_checks(folder)])
