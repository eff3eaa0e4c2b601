"""The analytics models of dbt_like_sql/, one Dagster asset per SQL file."""
