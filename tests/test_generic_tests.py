"""The generic tests of schema.yml, compiled to SQL and run on real DuckDB tables in memory.

Each kind is tried on good data (no offending rows) and on bad data (exactly the offending rows),
with dbt's NULL semantics: NULLs pass unique, accepted_values and relationships.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.models.generic_tests import compile_test, describe, parse_test
from pipelines.models.schema import parse_schema

# a county table and a child table in the shapes the models have; "rank" and "value" are awkward names on purpose
PARENT = "CREATE TABLE dim(code VARCHAR, name VARCHAR)"
PARENT_ROWS = "INSERT INTO dim VALUES ('450222', '柳城县'), ('330326', '平阳县'), (NULL, '无码')"
CHILD = "CREATE TABLE facts(county_code VARCHAR, year INTEGER, \"rank\" INTEGER, status VARCHAR, \"value\" DOUBLE)"

CASES = [
    # (entry as written in schema.yml, column or None for model level, good rows, bad rows, offending rows expected)
    ("unique", "county_code",
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "value", 2.0), (None, 2022, 3, "value", 3.0), (None, 2023, 1, "value", 4.0)],
     [("450222", 2022, 1, "value", 1.0), ("450222", 2023, 2, "missing", None), ("330326", 2022, 3, "value", 2.0)],
     [("450222", 2)]),
    ("not_null", "value",
     [("450222", 2022, 1, "value", 0.0)],
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "missing", None)],
     [("330326", 2022, 2, "missing", None)]),
    ({"accepted_values": {"values": ["value", "masked", "missing"]}}, "status",
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "masked", None), ("330326", 2023, 2, None, None)],
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "unknown", None), ("330326", 2023, 2, "Value", None)],
     [("330326", 2022, 2, "unknown", None), ("330326", 2023, 2, "Value", None)]),
    ({"accepted_values": {"values": [1, 2]}}, "rank",  # numbers are compared as numbers
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "value", 2.0)],
     [("450222", 2022, 3, "value", 1.0)],
     [("450222", 2022, 3, "value", 1.0)]),
    ({"relationships": {"to": "dim", "field": "code"}}, "county_code",
     [("450222", 2022, 1, "value", 1.0), ("330326", 2022, 2, "value", 2.0), (None, 2022, 3, "value", 3.0)],
     [("450222", 2022, 1, "value", 1.0), ("999999", 2022, 2, "value", 2.0)],
     [("999999", 2022, 2, "value", 2.0)]),
    ({"relationships": {"to": "ref('dim')", "field": "code"}}, "county_code",  # dbt's spelling of the parent
     [("330326", 2022, 1, "value", 1.0)],
     [("450221", 2015, 1, "value", 1.0)],
     [("450221", 2015, 1, "value", 1.0)]),
    ({"unique_combination_of_columns": {"combination_of_columns": ["county_code", "year"]}}, None,
     [("450222", 2022, 1, "value", 1.0), ("450222", 2023, 1, "value", 1.0), ("330326", 2022, 2, "value", 2.0)],
     [("450222", 2022, 1, "value", 1.0), ("450222", 2022, 2, "masked", None), ("450222", 2023, 1, "value", 1.0)],
     [("450222", 2022, 2)]),
]


def run(rows: list[tuple], entry, column: str | None, show=()) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute(PARENT)
        con.execute(PARENT_ROWS)
        con.execute(CHILD)
        if rows:
            con.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", rows)
        sql = compile_test(parse_test(entry, "facts", column), show)
        return sorted(con.execute(sql).fetchall(), key=repr)


@pytest.mark.parametrize(("entry", "column", "good", "bad", "offending"), CASES,
                         ids=[f"{e if isinstance(e, str) else next(iter(e))}-{c}" for e, c, *_ in CASES])
def test_generic_test_passes_good_data_and_reports_the_offending_rows(entry, column, good, bad, offending):
    assert run(good, entry, column) == []
    assert run([], entry, column) == []  # an empty table passes everything
    assert run(bad, entry, column) == sorted(offending, key=repr)


def test_offending_rows_are_named_by_the_key_columns():
    rows = [("450222", 2022, 1, "value", 1.0), ("330326", 2023, 2, "weird", None)]
    entry = {"accepted_values": {"values": ["value"]}}
    assert run(rows, entry, "status", show=("county_code", "year")) == [("330326", 2023, "weird")]


@pytest.mark.parametrize(
    ("entry", "column", "name", "description"),
    [
        ("unique", "code", "dim_code_unique", "Each code appears at most once in dim."),
        ("not_null", "name", "dim_name_not_null", "dim.name is never NULL."),
        ({"accepted_values": {"values": ["a", "b"]}}, "name", "dim_name_accepted_values", "dim.name is one of a, b (or NULL)."),
        ({"relationships": {"to": "other", "field": "id"}}, "code", "dim_code_in_other",
         "Every dim.code (when not NULL) is a other.id."),
        ({"unique_combination_of_columns": {"combination_of_columns": ["code", "name"]}}, None, "dim_unique_key",
         "Each (code, name) appears once in dim."),
        ({"not_null": {"name": "dim_names_present"}}, "name", "dim_names_present", "dim.name is never NULL."),
    ],
)
def test_names_and_descriptions(entry, column, name, description):
    test = parse_test(entry, "dim", column)
    assert (test.name, describe(test)) == (name, description)


def test_severity_comes_from_config():
    assert parse_test({"not_null": {"config": {"severity": "warn"}}}, "dim", "code").severity == "warn"
    assert parse_test("not_null", "dim", "code").severity == "error"


@pytest.mark.parametrize(
    ("entry", "column", "message"),
    [
        ("not-null", "code", "unknown test 'not-null'"),
        ("unique_combination_of_columns", "code", "unknown test"),  # a model-level test under a column
        ("unique", None, "unknown test 'unique' on a model"),
        ({"accepted_values": {"value": ["a"]}}, "code", r"unknown argument\(s\) \['value'\]"),
        ({"accepted_values": {"values": []}}, "code", "non-empty"),
        ({"relationships": {"to": "dim"}}, "code", r"needs \['field'\]"),
        ({"not_null": {"config": {"severity": "fatal"}}}, "code", "severity"),
        ({"unique": 1, "not_null": 2}, "code", "a test is a name"),
    ],
)
def test_a_misspelt_test_is_refused_not_ignored(entry, column, message):
    with pytest.raises(ValueError, match=message):
        parse_test(entry, "dim", column)


def test_values_are_quoted_as_sql_literals():
    test = parse_test({"accepted_values": {"values": ["it's", 3, True]}}, "dim", "name")
    assert "NOT IN ('it''s', 3, TRUE)" in compile_test(test)


SCHEMA = """
version: 2
models:
  - name: facts
    description: One row per county and year.
    tests:
      - unique_combination_of_columns: {combination_of_columns: [county_code, year]}
    columns:
      - name: county_code
        data_type: VARCHAR
        description: The county.
        tests: [not_null, {relationships: {to: dim, field: code}}]
      - name: year
        data_type: INTEGER
        description: The year.
"""


def test_a_schema_file_declares_docs_and_tests():
    (table,), sources = parse_schema(yaml.safe_load(SCHEMA), Path("marts/schema.yml"), "marts")
    assert sources == []
    assert (table.name, table.kind, table.group, table.description) == ("facts", "model", "marts", "One row per county and year.")
    assert [(c.name, c.data_type) for c in table.columns] == [("county_code", "VARCHAR"), ("year", "INTEGER")]
    assert [t.name for t in table.tests] == ["facts_unique_key", "facts_county_code_not_null", "facts_county_code_in_dim"]
    assert table.key_columns == ("county_code", "year")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace("description: The year.", "descripton: The year."), r"unknown key\(s\) \['descripton'\]"),
        (lambda s: s.replace("[county_code, year]", "[county_code, yaer]"), r"undocumented column\(s\) \['yaer'\]"),
        (lambda s: s.replace("name: year", "name: county_code"), "documented twice"),
    ],
    ids=["misspelt key", "key names an unknown column", "column documented twice"],
)
def test_a_broken_schema_file_is_refused(edit, message):
    with pytest.raises(ValueError, match=message):
        parse_schema(yaml.safe_load(edit(SCHEMA)), Path("marts/schema.yml"), "marts")
