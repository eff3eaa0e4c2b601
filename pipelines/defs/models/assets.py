"""Every model in dbt_like_sql/ becomes an asset, its dependencies read from its SQL.

Groups follow the folders (staging, core, marts); the data tests in dbt_like_sql/tests/ become
asset checks on the models they name.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...models.project import Model, build_model, load_models, tests_dir
from ..check_sql import sql_checks_definitions
from ..resources import warehouse_connection


def _model_asset(model: Model) -> dg.AssetsDefinition:
    @dg.asset(
        name=model.name,
        group_name=model.layer,
        deps=sorted(model.depends_on),
        kinds={"duckdb", "sql"},
        description=model.description,
        metadata={"materialized": model.materialized, "sql_file": f"dbt_like_sql/{model.layer}/{model.path.name}"},
    )
    def build(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
        context.log.info(f"building model {model.name} ({model.materialized})")
        with warehouse_connection(warehouse) as con:
            rows = build_model(con, model)
        return dg.MaterializeResult(metadata={"rows": rows})

    return build


@dg.definitions
def models() -> dg.Definitions:
    return dg.Definitions.merge(
        dg.Definitions(assets=[_model_asset(m) for m in load_models()]),
        sql_checks_definitions(tests_dir()),
    )
