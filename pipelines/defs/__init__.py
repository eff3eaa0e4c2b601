"""Dagster definitions by domain: ``reference`` (admin divisions), ``ingest`` (raw layer)."""
