"""The DuckDB warehouse: raw-layer tables written by ingestion (models live in dbt_like_sql/)."""
