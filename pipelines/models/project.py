"""The SQL models in dbt_like_sql/: one SELECT per file, named for the table or view it makes.

A model declares its materialization in a leading comment (``-- materialized: table`` or
``view``; default view). Its upstream dependencies are the tables its SQL reads, found by
parsing it with sqlglot (CTE names excluded), so adding a model is adding a file: no list to
keep in step. Data tests live in dbt_like_sql/tests/ and follow the asset-check convention
(``-- asset: MODEL``); see pipelines/defs/check_sql.py. What the models and their columns mean, and
the generic tests on them, are in each layer's schema.yml (pipelines/models/schema.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

# The repository's dbt_like_sql/; SHUFA_MODELS_DIR points elsewhere (a project of your own, or a test's copy).
PROJECT_DIR = Path(os.environ.get("SHUFA_MODELS_DIR", Path(__file__).resolve().parents[2] / "dbt_like_sql"))
LAYERS = ("staging", "core", "marts")
_MATERIALIZED = re.compile(r"^--\s*materialized:\s*(table|view)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    materialized: str  # table | view
    depends_on: frozenset[str]
    description: str

    def create_statement(self) -> str:
        kind = "TABLE" if self.materialized == "table" else "VIEW"
        return f"CREATE OR REPLACE {kind} {self.name} AS\n{self.sql}"

    @property
    def relative_path(self) -> str:
        """The SQL file relative to the folder holding the project (the repository, for dbt_like_sql/),
        so metadata and docs name it the same on every machine."""
        return self.path.relative_to(self.path.parents[2]).as_posix()


def referenced_tables(sql: str) -> frozenset[str]:
    """Tables a SELECT reads (CTEs excluded), by parsing it."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return frozenset(t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes)


def _description(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if not _MATERIALIZED.match(line):
            lines.append(line.lstrip("- ").strip())
    return " ".join(lines)


def load_model(path: Path, layer: str) -> Model:
    sql = path.read_text("utf-8").strip().rstrip(";")
    match = _MATERIALIZED.search(sql)
    return Model(
        name=path.stem,
        layer=layer,
        path=path,
        sql=sql,
        materialized=match.group(1) if match else "view",
        depends_on=referenced_tables(sql),
        description=_description(sql),
    )


@lru_cache(maxsize=None)
def load_models(project_dir: Path = PROJECT_DIR) -> tuple[Model, ...]:
    """Every model, in dependency order (a model after the models it reads)."""
    models = {}
    for layer in LAYERS:
        for path in sorted((project_dir / layer).glob("*.sql")):
            model = load_model(path, layer)
            if model.name in models:
                raise ValueError(f"two models named {model.name}: {models[model.name].path} and {path}")
            models[model.name] = model
    graph = {name: {d for d in m.depends_on if d in models} for name, m in models.items()}
    return tuple(models[name] for name in TopologicalSorter(graph).static_order())


def tests_dir(project_dir: Path = PROJECT_DIR) -> Path:
    return project_dir / "tests"


def build_model(con: duckdb.DuckDBPyConnection, model: Model) -> int:
    """(Re)create one model; returns its row count. A table replaced by a view (or back) is dropped first."""
    existing = con.execute(
        "SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = $n AND NOT temporary "
        "UNION ALL SELECT 'VIEW' FROM duckdb_views() WHERE view_name = $n AND NOT internal AND NOT temporary",
        {"n": model.name},
    ).fetchall()
    wanted = "TABLE" if model.materialized == "table" else "VIEW"
    for (kind,) in existing:
        if kind != wanted:
            con.execute(f"DROP {kind} {model.name}")
    con.execute(model.create_statement())
    return con.execute(f"SELECT count(*) FROM {model.name}").fetchone()[0]


def table_columns(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a built table or view, in order: what it really holds, whatever the docs say."""
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE {name}").fetchall()]


def first_rows(con: duckdb.DuckDBPyConnection, name: str, limit: int = 5) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of the first ``limit`` rows, for a preview."""
    cursor = con.execute(f"SELECT * FROM {name} LIMIT {int(limit)}")
    return [d[0] for d in cursor.description], cursor.fetchall()
