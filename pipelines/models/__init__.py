"""The SQL model layer: discover dbt_like_sql/ models, read their dependencies, build them in DuckDB."""
