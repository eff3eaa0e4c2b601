"""Data tests and asset checks written as SQL files: a query that returns the offending rows.

No rows = pass, as in dbt's data tests. Each ``.sql`` file sits in a ``checks/`` folder beside
the assets it checks (or in dbt_like_sql/tests/ for the models) and declares, in its leading
comments, what it checks:

    -- Documents whose stored block count disagrees with document_blocks.
    -- asset: documents
    -- severity: warn            (optional; default error)

so adding a check is adding a file. The models' tests folder also holds, in effect, the generic
tests the project's schema.yml files declare (unique, not_null, accepted_values, relationships,
unique_combination_of_columns; pipelines/models/generic_tests.py compiles them to the same kind of
query), so whatever reads that folder runs both. The same checks run as Dagster asset checks, in
the publish audit and in ``shufa test-data``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from ..models.generic_tests import GenericTest, compile_test, describe
from ..models.project import referenced_tables
from ..models.schema import TableDoc, load_schema

SAMPLE_ROWS = 5
_DIRECTIVE = re.compile(r"^--\s*(asset|severity):\s*(\S+)\s*$")


@dataclass(frozen=True)
class SqlCheck:
    path: Path  # the file that declares it: its .sql file, or the schema.yml of a generic test
    name: str
    asset: str
    description: str
    severity: str  # error | warn
    sql: str
    generic: bool = False  # declared in schema.yml rather than written as a .sql file


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
    return SqlCheck(path, path.stem, directives["asset"], " ".join(description), severity, path.read_text("utf-8"))


def generic_check(table: TableDoc, test: GenericTest) -> SqlCheck:
    """A declared generic test as a check; offending rows are named by the table's declared key."""
    return SqlCheck(table.path, test.name, test.table, describe(test), test.severity,
                    compile_test(test, table.key_columns), generic=True)


def generic_checks(project_dir: Path) -> list[SqlCheck]:
    """One check per generic test in the schema.yml files of a model project (none without them)."""
    return [generic_check(table, test) for table in load_schema(project_dir).tables.values() for test in table.tests]


def load_checks(folder: Path) -> list[SqlCheck]:
    """Every check of a folder, by name: one per ``*.sql`` file and, for a model project's tests/
    folder (dbt_like_sql/tests), one per generic test its schema.yml files declare.

    The generic tests join here rather than in each runner so that the audit, ``shufa test-data``
    and the asset checks, which all read this folder, cannot disagree about which tests exist.
    """
    checks = [load_check(path) for path in sorted(folder.glob("*.sql"))]
    if folder.name == "tests":
        checks += generic_checks(folder.parent)
    names = [c.name for c in checks]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"{folder}: two checks named {', '.join(twice)} (a .sql file and a schema.yml test?)")
    return sorted(checks, key=lambda c: c.name)


def run_check(con: duckdb.DuckDBPyConnection, check: SqlCheck) -> CheckResult:
    cursor = con.execute(check.sql)
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    sample = [dict(zip(columns, map(str, row))) for row in rows[:SAMPLE_ROWS]]
    return CheckResult(check.name, check.asset, check.severity, len(rows), sample, check.description)


def sql_check_result(warehouse: DuckDBResource, sql_file: Path) -> dg.AssetCheckResult:
    """Run one check file against the warehouse resource, as a Dagster check result."""
    return check_result(warehouse, load_check(sql_file))


def check_result(warehouse: DuckDBResource, check: SqlCheck) -> dg.AssetCheckResult:
    """Run one check against the warehouse resource, as a Dagster check result."""
    with warehouse.get_connection() as con:
        return check_evaluation(run_check(con, check))


def check_evaluation(result: CheckResult, named: bool = False) -> dg.AssetCheckResult:
    """A check's outcome as Dagster's check result (``named``: saying which check and asset it is, as
    a step running several checks must)."""
    return dg.AssetCheckResult(
        asset_key=result.asset if named else None,
        check_name=result.name if named else None,
        passed=result.passed,
        severity=dg.AssetCheckSeverity.WARN if result.severity == "warn" else dg.AssetCheckSeverity.ERROR,
        metadata={"offending_rows": result.offending_rows, "sample": dg.MetadataValue.json(result.sample)},
    )


def _asset_check(check: SqlCheck) -> dg.AssetChecksDefinition:
    # a check that also reads other tables (a relationship test) runs after they are built; every check
    # is blocking, so the steps downstream of its asset (published_warehouse last) wait for it: a check
    # must read the draft before the publish step moves it away
    others = sorted(referenced_tables(check.sql) - {check.asset})

    @dg.asset_check(asset=check.asset, name=check.name, description=check.description, additional_deps=others,
                    blocking=True)
    def run(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        return check_result(warehouse, check)

    return run


def _generic_asset_checks(asset: str, checks: list[SqlCheck]) -> dg.AssetChecksDefinition:
    """An asset's generic tests as one Dagster step with one check each, on one connection. They are
    small queries and many (a few per model): a step and a connection apiece (opening the warehouse
    file reads its catalog) cost the build about 50 ms each, far more than the queries."""
    others = sorted(set().union(*(referenced_tables(c.sql) for c in checks)) - {asset})
    specs = [dg.AssetCheckSpec(c.name, asset=asset, description=c.description, additional_deps=others, blocking=True)
             for c in checks]

    @dg.multi_asset_check(specs=specs, name=f"{asset}_schema_tests", description=f"the generic tests schema.yml declares on {asset}")
    def run(warehouse: DuckDBResource):
        with warehouse.get_connection() as con:
            results = [run_check(con, check) for check in checks]
        for result in results:
            yield check_evaluation(result, named=True)

    return run


def sql_checks_definitions(folder: Path) -> dg.Definitions:
    """One Dagster asset check per check in ``folder``: a step per ``*.sql`` file, and a step per
    asset for the generic tests declared on it (see load_checks)."""
    checks = load_checks(folder)
    by_asset: dict[str, list[SqlCheck]] = {}
    for check in (c for c in checks if c.generic):
        by_asset.setdefault(check.asset, []).append(check)
    return dg.Definitions(asset_checks=[_asset_check(c) for c in checks if not c.generic]
                          + [_generic_asset_checks(asset, group) for asset, group in by_asset.items()])
