"""Asset checks written as SQL files: a query that returns the offending rows; no rows = pass.

The same convention as dbt's data tests. Each ``.sql`` file sits in a ``checks/`` folder
beside the assets it checks and declares, in its leading comments, what it checks:

    -- Documents whose stored block count disagrees with document_blocks.
    -- asset: documents
    -- severity: warn            (optional; default error)

so adding a check is adding a file.
"""

import re
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

SAMPLE_ROWS = 5
_DIRECTIVE = re.compile(r"^--\s*(asset|severity):\s*(\S+)\s*$")


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


def _header(sql_file: Path) -> tuple[str, str, dg.AssetCheckSeverity]:
    """(asset, description, severity) from the file's leading comment lines."""
    description, directives = [], {}
    for line in sql_file.read_text("utf-8").splitlines():
        if not line.startswith("--"):
            break
        match = _DIRECTIVE.match(line)
        if match:
            directives[match.group(1)] = match.group(2)
        else:
            description.append(line.lstrip("- ").strip())
    if "asset" not in directives:
        raise ValueError(f"{sql_file}: a check needs an '-- asset: NAME' line")
    severity = dg.AssetCheckSeverity.WARN if directives.get("severity") == "warn" else dg.AssetCheckSeverity.ERROR
    return directives["asset"], " ".join(description), severity


def _sql_check(sql_file: Path) -> dg.AssetChecksDefinition:
    asset, description, severity = _header(sql_file)

    @dg.asset_check(asset=asset, name=sql_file.stem, description=description)
    def check(warehouse: DuckDBResource) -> dg.AssetCheckResult:
        return sql_check_result(warehouse, sql_file, severity)

    return check


def sql_checks(folder: Path) -> list[dg.AssetChecksDefinition]:
    """One asset check per ``*.sql`` file in ``folder``."""
    return [_sql_check(path) for path in sorted(folder.glob("*.sql"))]


def sql_checks_definitions(folder: Path) -> dg.Definitions:
    return dg.Definitions(asset_checks=sql_checks(folder))
