"""schema.yml against what is really built: every table and column documented, nothing documented
that does not exist, the types as declared, docs/tables.md up to date, and the model assets'
metadata (row count, column schema, preview, SQL file) on real materialization events."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest
from builders import write_txt

from pipelines.models.data_dictionary import DEFAULT_OUT, render_project
from pipelines.models.project import load_models
from pipelines.models.schema import load_schema

REPO = Path(__file__).resolve().parents[1]
SCHEMA = load_schema()
WAREHOUSE_TABLES = """
    SELECT table_name FROM duckdb_tables() WHERE NOT temporary
    UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary
"""


def where(table: str) -> str:
    return SCHEMA.tables[table].path.relative_to(REPO).as_posix()


@pytest.fixture(scope="module")
def built(sample_warehouse) -> dict[str, dict[str, str]]:
    """table -> {column: DuckDB type} of the sample corpus built by the current code."""
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        tables = {t for (t,) in con.execute(WAREHOUSE_TABLES).fetchall()}
        columns = con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal"
        ).fetchall()
    out = {t: {} for t in tables}
    for table, column, type_ in columns:
        if table in out:
            out[table][column] = type_
    return out


def test_every_model_is_documented_and_every_documented_model_exists():
    models = {m.name for m in load_models()}
    documented = {t.name for t in SCHEMA.models()}
    assert not models - documented, f"models without a schema.yml entry: {sorted(models - documented)}"
    assert not documented - models, f"schema.yml documents models with no .sql file: {sorted(documented - models)}"
    for model in load_models():
        assert SCHEMA.tables[model.name].group == model.layer, f"{model.name} is documented in another layer's schema.yml"


def test_every_table_and_column_has_a_description_and_a_type():
    undescribed = [t.name for t in SCHEMA.tables.values() if not t.description]
    columns = [f"{t.name}.{c.name}" for t in SCHEMA.tables.values() for c in t.columns if not c.description]
    untyped = [f"{t.name}.{c.name}" for t in SCHEMA.tables.values() for c in t.columns if not c.data_type]
    assert (undescribed, columns, untyped) == ([], [], []), "write a description and a data_type for each"


def test_relationships_point_to_documented_columns():
    for table in SCHEMA.tables.values():
        for test in table.tests:
            if test.kind == "relationships":
                parent = SCHEMA.tables.get(test.to)
                assert parent is not None and parent.column(test.field), f"{test.name}: {test.to}.{test.field} is not documented"


def test_every_built_table_is_documented(built):
    undocumented = sorted(set(built) - set(SCHEMA.tables))
    missing = sorted(set(SCHEMA.tables) - set(built))
    assert not undocumented, f"tables in the built warehouse that no schema.yml documents: {undocumented}"
    assert not missing, f"tables documented in schema.yml that the build does not make: {missing}"


@pytest.mark.parametrize("table", list(SCHEMA.tables))
def test_documented_columns_are_the_built_columns(built, table):
    if table not in built:
        pytest.skip(f"{table} is not built (see test_every_built_table_is_documented)")
    documented = [c.name for c in SCHEMA.tables[table].columns]
    undocumented = [c for c in built[table] if c not in documented]
    not_built = [c for c in documented if c not in built[table]]
    problems = []
    if undocumented:
        problems.append(f"columns in the built {table} but not documented in {where(table)}: {undocumented}")
    if not_built:
        problems.append(f"columns documented in {where(table)} but not in the built {table}: {not_built}")
    assert not problems, f"{table}: " + "; ".join(problems)


@pytest.mark.parametrize("table", list(SCHEMA.tables))
def test_documented_types_are_the_built_types(built, table):
    if table not in built:
        pytest.skip(f"{table} is not built")
    wrong = {c.name: f"documented {c.data_type}, built {built[table][c.name]}"
             for c in SCHEMA.tables[table].columns if c.name in built[table] and c.data_type != built[table][c.name]}
    assert not wrong, f"{table} ({where(table)}): data_type differs for {wrong}"


def test_docs_tables_md_is_generated_from_schema_yml():
    committed = DEFAULT_OUT.read_text("utf-8") if DEFAULT_OUT.exists() else ""
    assert committed == render_project(), "docs/tables.md is out of date: run `python -m pipelines.models.data_dictionary`"


def test_model_assets_carry_their_docs_and_materialization_metadata(tmp_path):
    from pipelines.definitions import defs
    from pipelines.defs.resources import build_resources

    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告", "全年办理法律援助案件26件。", "行政机关负责人出庭应诉率达95%。"])
    definitions = defs()
    key = dg.AssetKey("indicator_values")
    asset = next(a for a in definitions.assets if key in a.keys)
    docs = SCHEMA.tables["indicator_values"]
    assert asset.descriptions_by_key[key] == docs.description
    declared = asset.metadata_by_key[key]["dagster/column_schema"].schema
    assert [(c.name, c.type) for c in declared.columns] == [(c.name, c.data_type) for c in docs.columns]

    result = dg.materialize(list(definitions.assets), resources=build_resources(raw, tmp_path / "w.duckdb"))
    assert result.success
    materializations = {m.asset_key.to_user_string(): m for m in
                        (e.materialization for e in result.get_asset_materialization_events())}
    for model in load_models():
        metadata = materializations[model.name].metadata
        assert {"dagster/row_count", "dagster/column_schema", "preview", "sql_file"} <= set(metadata), model.name
        assert metadata["sql_file"].path == f"dbt_like_sql/{model.layer}/{model.path.name}"
        described = {c.name: c.description for c in metadata["dagster/column_schema"].schema.columns}
        assert all(described.values()), f"{model.name}: columns without a description: {[c for c, d in described.items() if not d]}"

    values = materializations["indicator_values"].metadata
    assert values["dagster/row_count"].value == 2
    columns = values["dagster/column_schema"].schema.columns
    assert [c.name for c in columns][:3] == ["county_code", "year", "indicator_code"]
    assert columns[0].type == "VARCHAR" and columns[0].description == docs.column("county_code").description
    preview = values["preview"].md_str
    assert preview.splitlines()[0].startswith("| county_code | year | indicator_code |")
    assert "450222" in preview and len(preview.splitlines()) == 2 + 2  # header, rule, two rows
