"""Generic data tests, dbt style: declared in schema.yml beside the models, compiled to SQL.

Under a column (or, for a combination of columns, under the model) a schema.yml lists

    tests:
      - unique
      - not_null
      - accepted_values: {values: [up, down, flat]}
      - relationships: {to: dim_county, field: code}
    # under the model:
      - unique_combination_of_columns: {combination_of_columns: [county_code, year]}

and each entry becomes a query that returns the offending rows (no rows = pass), exactly like a
singular test in dbt_like_sql/tests/, so the audit, ``shufa test-data`` and the Dagster asset checks
run both alike. Declaring the common tests instead of hand-writing them keeps one SQL per kind (the
templates in sql/<kind>.sql) instead of one copy per model, and lets the data dictionary list them.

Any entry may also carry ``name:`` (the check's name instead of the default) and
``config: {severity: warn}`` (report, don't fail the audit), as in dbt. As in dbt, NULLs pass
unique, accepted_values and relationships: not_null is the test for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

TEMPLATES_DIR = Path(__file__).parent / "sql"
COLUMN_KINDS = ("unique", "not_null", "accepted_values", "relationships")
MODEL_KINDS = ("unique_combination_of_columns",)
# the arguments each kind requires (besides the optional name and config every kind takes)
_REQUIRED_ARGS = {
    "unique": (),
    "not_null": (),
    "accepted_values": ("values",),
    "relationships": ("to", "field"),
    "unique_combination_of_columns": ("combination_of_columns",),
}
_COMMON_ARGS = ("name", "config")
_REF = re.compile(r"""^ref\(\s*['"]([^'"]+)['"]\s*\)$""")  # dbt's `to: ref('dim_county')`


@dataclass(frozen=True)
class GenericTest:
    """One declared test: what it checks, on which table and columns, and how hard it fails."""

    kind: str
    table: str
    columns: tuple[str, ...]  # the tested column, or the combination for unique_combination_of_columns
    name: str
    severity: str = "error"  # error | warn
    values: tuple = ()  # accepted_values
    to: str = ""  # relationships: the parent table
    field: str = ""  # relationships: its column

    @property
    def column(self) -> str:
        return self.columns[0]


def _split_entry(entry: object, where: str) -> tuple[str, Mapping]:
    """A tests: entry is a bare kind (`- unique`) or a one-key mapping (`- accepted_values: {...}`)."""
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, Mapping) and len(entry) == 1:
        kind, args = next(iter(entry.items()))
        if args is None:
            return str(kind), {}
        if isinstance(args, Mapping):
            return str(kind), args
    raise ValueError(f"{where}: a test is a name (`- unique`) or one name with its arguments, not {entry!r}")


def _default_name(kind: str, table: str, columns: Sequence[str], to: str) -> str:
    if kind == "unique_combination_of_columns":
        return f"{table}_unique_key"
    if kind == "relationships":
        return f"{table}_{columns[0]}_in_{to}"
    return f"{table}_{columns[0]}_{kind}"


def parse_test(entry: object, table: str, column: str | None = None, where: str = "") -> GenericTest:
    """A GenericTest from one schema.yml entry; ``column`` is None for a model-level entry.

    Unknown kinds and arguments are refused rather than ignored: a misspelt test that silently
    checks nothing is worse than a build that stops and says why.
    """
    where = where or (f"{table}.{column}" if column else table)
    kind, args = _split_entry(entry, where)
    allowed_kinds = COLUMN_KINDS if column else MODEL_KINDS
    if kind not in allowed_kinds:
        level = "a column" if column else "a model"
        raise ValueError(f"{where}: unknown test {kind!r} on {level} (known: {', '.join(allowed_kinds)})")
    unknown = set(args) - set(_REQUIRED_ARGS[kind]) - set(_COMMON_ARGS)
    missing = [a for a in _REQUIRED_ARGS[kind] if a not in args]
    if unknown or missing:
        raise ValueError(f"{where}: test {kind}: " + "; ".join(
            ([f"unknown argument(s) {sorted(unknown)}"] if unknown else []) + ([f"needs {missing}"] if missing else [])))
    config = args.get("config") or {}
    severity = str(config.get("severity", "error")).lower()
    if severity not in ("error", "warn") or set(config) - {"severity"}:
        raise ValueError(f"{where}: test {kind}: config takes only severity: error | warn, not {dict(config)!r}")
    columns = tuple(args["combination_of_columns"]) if kind in MODEL_KINDS else (column,)
    values = tuple(args.get("values", ()))
    if kind == "accepted_values" and not values:
        raise ValueError(f"{where}: test accepted_values needs a non-empty list of values")
    if not columns:
        raise ValueError(f"{where}: test {kind} needs at least one column")
    to = str(args.get("to", ""))
    to = _REF.match(to).group(1) if _REF.match(to) else to
    return GenericTest(
        kind=kind,
        table=table,
        columns=columns,
        name=str(args.get("name") or _default_name(kind, table, columns, to)),
        severity=severity,
        values=values,
        to=to,
        field=str(args.get("field", "")),
    )


def quote_identifier(name: str) -> str:
    """A column or table name as a DuckDB identifier, whatever it is called (rank, year, "value")."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(value: object) -> str:
    """An accepted value as a SQL literal: strings quoted, numbers and booleans as they are."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"an accepted value must be a string, a number or a boolean, not {value!r}")


@cache
def _template(kind: str) -> Template:
    return Template((TEMPLATES_DIR / f"{kind}.sql").read_text("utf-8"))


def compile_test(test: GenericTest, show: Sequence[str] = ()) -> str:
    """The test's SQL: a SELECT of the offending rows.

    ``show`` names the columns an offending row is reported by (the table's key, so a failure says
    which county-year is wrong); the tested columns are added to it. Without it, every column.
    """
    q = quote_identifier
    shown = list(dict.fromkeys([*show, *test.columns])) if show else []
    return _template(test.kind).substitute(
        table=q(test.table),
        column=q(test.column),
        columns=", ".join(f"t.{q(c)}" for c in test.columns),
        show=", ".join(f"t.{q(c)}" for c in shown) if shown else "t.*",
        values=", ".join(sql_literal(v) for v in test.values),
        to=q(test.to),
        field=q(test.field),
    ).strip()


def describe(test: GenericTest) -> str:
    """What the test asserts, in a sentence: the check's description in Dagster, the CLI and the docs."""
    t, c = test.table, test.column
    if test.kind == "unique":
        return f"Each {c} appears at most once in {t}."
    if test.kind == "not_null":
        return f"{t}.{c} is never NULL."
    if test.kind == "accepted_values":
        return f"{t}.{c} is one of {', '.join(map(str, test.values))} (or NULL)."
    if test.kind == "relationships":
        return f"Every {t}.{c} (when not NULL) is a {test.to}.{test.field}."
    return f"Each ({', '.join(test.columns)}) appears once in {t}."


def short_form(test: GenericTest) -> str:
    """The test as it is declared, compactly (for the data dictionary): accepted_values(up, down, flat)."""
    if test.kind == "accepted_values":
        return f"accepted_values({', '.join(map(str, test.values))})"
    if test.kind == "relationships":
        return f"relationships({test.to}.{test.field})"
    if test.kind == "unique_combination_of_columns":
        return f"unique({', '.join(test.columns)})"
    return test.kind
