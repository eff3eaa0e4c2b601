"""Every model in dbt_like_sql/ becomes an asset, its dependencies read from its SQL.

Groups follow the folders (staging, core, marts); the data tests in dbt_like_sql/tests/ and the
generic tests declared in the layers' schema.yml files become asset checks on the models they name.
Each asset's description and column schema come from schema.yml (the same text as docs/tables.md);
each materialization records what was really built - row count, column schema with the documented
descriptions, the first rows - so the Dagster UI answers "what is in this table" without a query.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...models import markdown
from ...models.project import Model, build_model, first_rows, load_models, table_columns, tests_dir
from ...models.schema import TableDoc, load_schema
from ..check_sql import sql_checks_definitions
from ..resources import warehouse_connection

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 40  # evidence sentences are long; a preview shows their start


def column_schema(columns: list[tuple[str, str]], docs: TableDoc | None) -> dg.TableSchemaMetadataValue:
    """Dagster's column schema: the given (name, type) pairs, each with its schema.yml description."""
    described = {c.name: c.description for c in docs.columns} if docs else {}
    return dg.MetadataValue.table_schema(
        dg.TableSchema(columns=[dg.TableColumn(name, type_, described.get(name) or None) for name, type_ in columns])
    )


def preview_markdown(header: list[str], rows: list[tuple]) -> str:
    return markdown.table(header, rows, max_chars=PREVIEW_CELL_CHARS) if rows else "*(no rows)*"


def definition_metadata(model: Model, docs: TableDoc | None) -> dict:
    """What the asset shows before it is ever built: how it is materialized, its SQL file, its declared columns."""
    metadata = {"materialized": model.materialized, "sql_file": dg.MetadataValue.path(model.relative_path)}
    if docs:
        metadata["dagster/column_schema"] = column_schema([(c.name, c.data_type or "unknown") for c in docs.columns], docs)
    return metadata


def _model_asset(model: Model, docs: TableDoc | None) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        group_name=model.layer,
        deps=sorted(model.depends_on),
        kinds={"duckdb", "sql"},
        description=(docs.description if docs and docs.description else model.description),
        metadata=definition_metadata(model, docs),
    )
    def build(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
        context.log.info(f"building model {model.name} ({model.materialized})")
        with warehouse_connection(warehouse) as con:
            rows = build_model(con, model)
            columns = table_columns(con, model.name)
            header, first = first_rows(con, model.name, PREVIEW_ROWS)
        return dg.MaterializeResult(metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "dagster/column_schema": column_schema(columns, docs),
            "preview": dg.MetadataValue.md(preview_markdown(header, first)),
            "sql_file": dg.MetadataValue.path(model.relative_path),
        })

    return build


@dg.definitions
def models() -> dg.Definitions:
    schema = load_schema()
    return dg.Definitions.merge(
        dg.Definitions(assets=[_model_asset(m, schema.tables.get(m.name)) for m in load_models()]),
        sql_checks_definitions(tests_dir()),
    )
