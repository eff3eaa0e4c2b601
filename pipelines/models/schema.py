"""What each table and column means, beside the models, dbt style: one schema.yml per layer folder.

    models:
      - name: yoy_trends
        description: One row per (county_code, indicator_code, year) with a known value ...
        tests:                                   # model-level generic tests
          - unique_combination_of_columns: {combination_of_columns: [county_code, indicator_code, year]}
        columns:
          - name: direction
            data_type: VARCHAR
            description: up, down or flat against prev_value; NULL in a first year.
            tests: [{accepted_values: {values: [up, down, flat]}}]

staging/schema.yml also declares, under ``sources:`` (as dbt does), the tables the pipeline writes
before the models run (documents, quantities, …), grouped by the Dagster group that writes them.
From these files come the model assets' descriptions and column schemas, the generic data tests
(pipelines/models/generic_tests.py) and the data dictionary (docs/tables.md), so the documentation
cannot say one thing while the warehouse does another without a test noticing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .generic_tests import GenericTest, parse_test
from .project import LAYERS, PROJECT_DIR

SCHEMA_FILE = "schema.yml"
_TABLE_KEYS = {"name", "description", "columns", "tests"}
_COLUMN_KEYS = {"name", "description", "data_type", "tests"}
_SOURCE_KEYS = {"name", "description", "tables"}


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class TableDoc:
    """A documented table: a model (group = its layer) or a source (group = what writes it)."""

    name: str
    kind: str  # model | source
    group: str
    description: str
    columns: tuple[ColumnDoc, ...]
    tests: tuple[GenericTest, ...]  # model-level first, then each column's, in declaration order
    path: Path  # the schema.yml that declares it

    def column(self, name: str) -> ColumnDoc | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The columns that identify a row (its declared unique key), to name offending rows by."""
        for test in self.tests:
            if test.kind in ("unique_combination_of_columns", "unique"):
                return test.columns
        return ()


@dataclass(frozen=True)
class SourceDoc:
    name: str
    description: str


@dataclass(frozen=True)
class Schema:
    tables: dict[str, TableDoc]  # sources first, then models layer by layer, in file order
    sources: dict[str, SourceDoc]

    def models(self) -> list[TableDoc]:
        return [t for t in self.tables.values() if t.kind == "model"]


def _mapping(value: object, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping, not {value!r}")
    return value


def _refuse_unknown(entry: Mapping, allowed: set[str], where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _text(value: object) -> str:
    return " ".join(str(value or "").split())  # YAML folded or literal blocks read as one line


def parse_table(entry: object, kind: str, group: str, path: Path) -> TableDoc:
    """One models: or tables: entry, its columns and its tests."""
    entry = _mapping(entry, f"{path}")
    name = str(entry.get("name") or "")
    where = f"{path}: {kind} {name or '(no name)'}"
    if not name:
        raise ValueError(f"{where}: every {kind} needs a name")
    _refuse_unknown(entry, _TABLE_KEYS, where)
    columns, column_tests = [], []
    for raw in entry.get("columns") or []:
        col = _mapping(raw, where)
        col_name = str(col.get("name") or "")
        col_where = f"{where}, column {col_name or '(no name)'}"
        if not col_name:
            raise ValueError(f"{col_where}: every column needs a name")
        _refuse_unknown(col, _COLUMN_KEYS, col_where)
        if any(c.name == col_name for c in columns):
            raise ValueError(f"{col_where}: documented twice")
        columns.append(ColumnDoc(col_name, str(col.get("data_type") or ""), _text(col.get("description"))))
        column_tests += [parse_test(t, name, col_name, col_where) for t in col.get("tests") or []]
    model_tests = [parse_test(t, name, None, where) for t in entry.get("tests") or []]
    known = {c.name for c in columns}
    for test in model_tests:
        if set(test.columns) - known:
            raise ValueError(f"{where}: test {test.name} names undocumented column(s) {sorted(set(test.columns) - known)}")
    return TableDoc(name, kind, group, _text(entry.get("description")), tuple(columns),
                    tuple(model_tests + column_tests), path)


def parse_schema(document: object, path: Path, layer: str) -> tuple[list[TableDoc], list[SourceDoc]]:
    """The tables one schema.yml documents: its models (in ``layer``) and its sources."""
    document = _mapping(document or {}, str(path))
    _refuse_unknown(document, {"version", "models", "sources"}, str(path))
    sources, source_tables = [], []
    for raw in document.get("sources") or []:
        source = _mapping(raw, str(path))
        where = f"{path}: source {source.get('name') or '(no name)'}"
        _refuse_unknown(source, _SOURCE_KEYS, where)
        if not source.get("name"):
            raise ValueError(f"{where}: every source needs a name")
        sources.append(SourceDoc(str(source["name"]), _text(source.get("description"))))
        source_tables += [parse_table(t, "source", str(source["name"]), path) for t in source.get("tables") or []]
    models = [parse_table(m, "model", layer, path) for m in document.get("models") or []]
    return source_tables + models, sources


def schema_files(project_dir: Path = PROJECT_DIR) -> list[Path]:
    return [p for p in (project_dir / layer / SCHEMA_FILE for layer in LAYERS) if p.is_file()]


@lru_cache(maxsize=None)
def load_schema(project_dir: Path = PROJECT_DIR) -> Schema:
    """Every schema.yml of the project; a table documented twice is refused."""
    sources, models, source_docs = {}, {}, {}
    for path in schema_files(project_dir):
        tables, groups = parse_schema(yaml.safe_load(path.read_text("utf-8")), path, path.parent.name)
        source_docs.update({s.name: s for s in groups})
        for table in tables:
            if table.name in sources or table.name in models:
                earlier = (sources.get(table.name) or models[table.name]).path
                raise ValueError(f"{table.name} is documented twice: in {earlier} and in {path}")
            (sources if table.kind == "source" else models)[table.name] = table
    return Schema({**sources, **models}, source_docs)

