"""Corrections as a Dagster asset: the file analysts write, loaded into the draft every build.

It reads no report and no other table, so a changed corrections file costs a reload and the
models after it, never a re-parse (the raw layer finds every file unchanged).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...corrections.corrections_file import CorrectionsFileError
from ...corrections.loading import load_corrections
from ..resources import CorrectionsFile, warehouse_connection


@dg.asset(group_name="corrections", kinds={"duckdb", "csv"}, deps=["warehouse_draft"],
          description="The analysts' corrections file (confirm, reject, set, add), one row per line; unreadable lines say why.")
def corrections(context: dg.AssetExecutionContext, corrections_file: CorrectionsFile,
                warehouse: DuckDBResource) -> dg.MaterializeResult:
    path = corrections_file.file
    try:
        with warehouse_connection(warehouse) as con:
            counts = load_corrections(con, path)
    except CorrectionsFileError as exc:
        raise dg.Failure(str(exc)) from exc
    if counts["unreadable"]:
        context.log.warning(f"{path}: {counts['unreadable']} line(s) cannot be read; see indicator_corrections")
    return dg.MaterializeResult(metadata={"file": str(path), "exists": path.exists(), **counts})
