"""The data tests catch planted bad rows; a new model file becomes an asset downstream of what it reads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import write_txt

from pipelines.build import build
from pipelines.defs.audit import audit_connection

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def clean_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("datatests")
    raw = root / "raw"
    raw.mkdir()
    for county, year, aid, rate in [("柳城县", 2022, 100, 90), ("柳城县", 2023, 120, 95), ("平阳县", 2022, 150, 100), ("平阳县", 2023, 160, 98)]:
        write_txt(raw / f"{county}{year}.txt", [f"{county}{year}年法治政府建设年度报告", f"全年办理法律援助案件{aid}件。",
                                               f"行政机关负责人出庭应诉率达{rate}%。"])
    warehouse = root / "warehouse.duckdb"
    assert build(raw, warehouse).success
    return warehouse


def failing(warehouse: Path) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {r.name for r in audit_connection(con) if not r.passed}


def test_clean_warehouse_passes(clean_warehouse):
    assert failing(clean_warehouse) == set()


@pytest.mark.parametrize(
    ("plant", "caught_by"),
    [
        ("INSERT INTO indicator_values SELECT * FROM indicator_values LIMIT 1", "indicator_values_unique_key"),
        ("UPDATE indicator_values SET value = 130, lower = 130, upper = 130 WHERE unit = '%'", "indicator_values_percent_in_range"),
        ("UPDATE indicator_values SET value = -5 WHERE indicator_code = 'legal_aid_cases'", "indicator_values_percent_in_range"),
        ("UPDATE indicator_values SET county_code = '999999' WHERE indicator_code = 'legal_aid_cases'", "indicator_values_county_code_in_dim_county"),
        ("UPDATE indicator_values SET source_doc_id = NULL", "indicator_values_source_doc_id_not_null"),
        ("UPDATE indicator_values SET unit = '次' WHERE indicator_code = 'legal_aid_cases'", "indicator_values_unit_matches_catalog"),
        ("INSERT INTO dim_county SELECT * FROM dim_county LIMIT 1", "dim_county_code_unique"),
        ("UPDATE indicator_catalog SET polarity = 'better' WHERE code = 'legal_aid_cases'", "dim_indicator_polarity_accepted_values"),
        ("UPDATE yoy_trends SET direction = 'sideways' WHERE direction IS NOT NULL", "yoy_trends_direction_accepted_values"),
        ("INSERT INTO yoy_trends SELECT * FROM yoy_trends LIMIT 1", "yoy_trends_unique_key"),
        ("UPDATE county_rankings SET rank = 0", "county_rankings_within_bounds"),
        ("INSERT INTO county_rankings SELECT * FROM county_rankings LIMIT 1", "county_rankings_unique_key"),
        ("UPDATE county_scorecard SET score = 150", "county_scorecard_in_range"),
        ("UPDATE coverage_matrix SET status = 'unknown'", "coverage_matrix_status_accepted_values"),
        # generic tests declared in schema.yml, and the singular tests split from the hand-written ones they replaced
        ("UPDATE indicator_values SET indicator_code = 'no_such_indicator' WHERE unit = '%'",
         "indicator_values_indicator_code_in_dim_indicator"),
        ("UPDATE indicator_values SET value = NULL, lower = NULL, upper = NULL WHERE unit = '%'",
         "indicator_values_have_a_value_or_bounds"),
        ("UPDATE indicator_values SET source = 'guessed'", "indicator_values_source_accepted_values"),
        ("UPDATE dim_county SET name = NULL WHERE code = '450222'", "dim_county_name_not_null"),
        ("INSERT INTO county_scorecard SELECT * FROM county_scorecard LIMIT 1", "county_scorecard_unique_key"),
        ("UPDATE coverage_matrix SET reported = NOT reported", "coverage_matrix_reported_matches_status"),
        ("UPDATE yoy_trends SET gap_years = 0 WHERE prev_year IS NOT NULL", "yoy_trends_consistent_with_prev_year"),
        ("UPDATE yoy_trends SET direction = NULL", "yoy_trends_consistent_with_prev_year"),
        ("DELETE FROM document_blocks WHERE block_no = 1", "documents_have_their_blocks"),
        ("UPDATE indicator_facts SET value = 250 WHERE unit = '%'", "facts_values_in_range"),
        ("UPDATE indicator_facts SET char_end = char_start", "facts_have_provenance"),
    ],
)
def test_planted_bad_rows_are_caught(clean_warehouse, tmp_path, plant, caught_by):
    warehouse = tmp_path / "bad.duckdb"
    shutil.copyfile(clean_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(plant)
    assert caught_by in failing(warehouse)


def test_test_data_command_reports_failures(clean_warehouse, tmp_path):
    warehouse = tmp_path / "bad.duckdb"
    shutil.copyfile(clean_warehouse, warehouse)
    ok = subprocess.run([sys.executable, "-m", "pipelines.cli", "test-data", "--warehouse", str(clean_warehouse)],
                        capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0 and " 0 failed" in ok.stdout
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE county_rankings SET rank = 0")
        con.execute("INSERT INTO county_rankings SELECT * FROM county_rankings LIMIT 1")
    bad = subprocess.run([sys.executable, "-m", "pipelines.cli", "test-data", "--warehouse", str(warehouse)],
                         capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 1
    assert "FAIL  county_rankings_within_bounds" in bad.stdout
    assert "FAIL  county_rankings_unique_key" in bad.stdout  # a generic test declared in marts/schema.yml
    assert "Each (year, indicator_code, county_code) appears once in county_rankings." in bad.stdout


def test_generic_tests_are_asset_checks_on_their_models():
    """The tests declared in schema.yml are Dagster checks beside the models, like the .sql ones; a
    relationships test waits for the table it looks up."""
    from pipelines.definitions import defs

    checks = {key.name: (key.asset_key.to_user_string(), a) for a in defs().asset_checks for key in a.check_keys}
    assert checks["county_rankings_unique_key"][0] == "county_rankings"
    assert checks["dim_county_code_unique"][0] == "dim_county"
    assert checks["indicator_values_have_a_value_or_bounds"][0] == "indicator_values"  # a singular test still
    asset, definition = checks["indicator_values_county_code_in_dim_county"]
    assert asset == "indicator_values"
    assert {k.to_user_string() for k in definition.keys_by_input_name.values()} >= {"dim_county"}


def test_a_new_model_file_becomes_an_asset_downstream_of_what_it_reads(tmp_path):
    project = tmp_path / "dbt_like_sql"
    shutil.copytree(REPO / "dbt_like_sql", project)
    (project / "marts" / "aid_per_county.sql").write_text(
        "-- One row per county and year: legal aid cases with the county's name.\n"
        "-- materialized: view\n"
        "WITH aid AS (SELECT county_code, year, value FROM indicator_values WHERE indicator_code = 'legal_aid_cases')\n"
        "SELECT a.county_code, c.name, a.year, a.value FROM aid AS a JOIN dim_county AS c ON c.code = a.county_code\n",
        encoding="utf-8",
    )
    env = {**os.environ, "SHUFA_MODELS_DIR": str(project)}
    dg_cli = Path(sys.executable).with_name("dg")
    result = subprocess.run([str(dg_cli), "list", "defs", "--json"], capture_output=True, text=True, cwd=REPO, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assets = {a["asset_key"]: a for a in json.loads(result.stdout)["assets"]}
    assert set(assets["aid_per_county"]["dependency_keys"]) == {"indicator_values", "dim_county"}  # the CTE is not a table
    assert assets["aid_per_county"]["group_name"] == "marts"
    assert "aid_per_county" in assets["published_warehouse"]["dependency_keys"]  # the audit waits for it


def test_query_and_export_commands(clean_warehouse, tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipelines.cli", *args, "--warehouse", str(clean_warehouse)],
                              capture_output=True, text=True, cwd=REPO)

    sql = "SELECT county_code, year, value FROM indicator_values WHERE indicator_code = 'legal_aid_cases' ORDER BY ALL"
    as_json = cli("query", sql, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [
        {"county_code": "330326", "year": 2022, "value": 150.0}, {"county_code": "330326", "year": 2023, "value": 160.0},
        {"county_code": "450222", "year": 2022, "value": 100.0}, {"county_code": "450222", "year": 2023, "value": 120.0},
    ]
    as_csv = cli("query", sql, "--format", "csv")
    assert as_csv.stdout.splitlines()[:2] == ["county_code,year,value", "330326,2022,150.0"]
    as_table = cli("query", sql)
    assert "330326" in as_table.stdout and "│" in as_table.stdout
    assert cli("query", "SELEC 1").returncode == 1  # a clear error, not a traceback

    out = tmp_path / "export"
    exported = cli("export", str(out), "--format", "parquet")
    assert exported.returncode == 0, exported.stderr
    with duckdb.connect() as con:
        n = con.execute(f"SELECT count(*) FROM '{(out / 'indicator_values.parquet').as_posix()}'").fetchone()[0]
        scorecard = con.execute(f"SELECT count(*) FROM '{(out / 'county_scorecard.parquet').as_posix()}'").fetchone()[0]
    assert n == 8 and scorecard == 4
    assert {p.stem for p in out.iterdir()} >= {"dim_county", "dim_indicator", "yoy_trends", "county_rankings", "coverage_matrix"}


def test_commands_need_a_built_warehouse(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pipelines.cli", "query", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2 and "run `shufa build`" in result.stderr
