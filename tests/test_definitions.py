"""The Dagster side: one Definitions object, loadable by Dagster's own tooling, materializable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from builders import write_txt

from pipelines.defs.resources import build_resources
from pipelines.definitions import defs

REPO = Path(__file__).resolve().parents[1]


def test_definitions_hold_the_raw_layer():
    definitions = defs()
    keys = {key.to_user_string() for a in definitions.assets for key in a.keys}
    assert {"documents", "document_files", "document_blocks", "ingest_errors", "admin_divisions",
            "quantities", "indicator_facts", "indicator_catalog"} <= keys
    checks = {c.name for a in definitions.asset_checks for c in a.check_keys}
    assert {"documents_have_their_blocks", "files_point_to_documents", "admin_divisions_complete",
            "facts_reference_known_keys", "facts_values_in_range", "facts_have_provenance"} <= checks
    assert set(definitions.resources) == {"raw_corpus", "warehouse", "publication", "build_lock", "corrections_file",
                                           "parsed_batches"}
    assert {"warehouse_draft", "published_warehouse", "indicator_values", "county_scorecard"} <= keys


def test_materialize_with_checks(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告", "一、推进依法行政", "全年办理行政复议案件26件。"])
    definitions = defs()
    result = dg.materialize(
        [*definitions.assets, *definitions.asset_checks],
        resources=build_resources(raw, tmp_path / "w.duckdb"),
    )
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations)
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"documents", "document_blocks", "ingest_errors", "admin_divisions", "quantities", "indicator_facts"} <= materialized
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT county_code FROM documents").fetchall() == [("450222",)]


def test_block_count_check_catches_a_broken_table(tmp_path):
    from pipelines.defs.check_sql import sql_check_result

    check_sql = REPO / "pipelines" / "defs" / "ingest" / "checks" / "documents_have_their_blocks.sql"

    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["标题", "正文一。", "正文二。"])
    resources = build_resources(raw, tmp_path / "w.duckdb")
    # stop before publishing, to break the draft: a plain DuckDBResource on it (the pipeline's refuses
    # a run without published_warehouse, see tests/test_partial_selection.py)
    resources["warehouse"] = DuckDBResource(database=resources["warehouse"].database)
    wanted = {dg.AssetKey("warehouse_draft"), dg.AssetKey("documents")}
    assert dg.materialize([a for a in defs().assets if wanted & set(a.keys)], resources=resources).success
    from pipelines import settings

    with duckdb.connect(str(settings.draft_path(tmp_path / "w.duckdb"))) as con:  # written, not yet published
        con.execute("DELETE FROM document_blocks WHERE block_no = 1")
    result = sql_check_result(resources["warehouse"], check_sql)
    assert not result.passed and result.metadata["offending_rows"].value == 1


def test_a_check_file_without_an_asset_is_refused(tmp_path):
    import pytest

    from pipelines.defs.check_sql import load_checks

    (tmp_path / "orphan.sql").write_text("-- no asset line\nSELECT 1 WHERE false\n", encoding="utf-8")
    with pytest.raises(ValueError, match="asset"):
        load_checks(tmp_path)


def test_dg_loads_the_project_from_pyproject():
    """`dg` finds the definitions through [tool.dg] in pyproject.toml, as `dg dev` does."""
    dg_cli = Path(sys.executable).with_name("dg")
    result = subprocess.run([str(dg_cli), "list", "defs", "--json"], capture_output=True, text=True, cwd=REPO, timeout=180)
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    keys = {a["asset_key"] for a in listed["assets"]}
    assert {"documents", "document_blocks", "ingest_errors", "admin_divisions"} <= keys
    groups = {a["asset_key"]: a["group_name"] for a in listed["assets"]}
    assert groups["documents"] == "ingest" and groups["admin_divisions"] == "reference"
    assert groups["indicator_facts"] == "extract"
    deps = {a["asset_key"]: set(a["dependency_keys"]) for a in listed["assets"]}
    assert {"documents", "document_blocks"} <= deps["indicator_facts"]


def test_the_code_location_has_one_name_in_every_clone():
    """dg would name the location after the checkout's folder and warn on every load that Dagster's
    [tool.dagster] name differs; both say `shufa`, so a clone in any folder loads without the warning."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]
    assert config["dg"]["project"]["code_location_name"] == config["dagster"]["code_location_name"] == "shufa"
    dagster_cli = Path(sys.executable).with_name("dagster")
    result = subprocess.run([str(dagster_cli), "definitions", "validate"], capture_output=True, text=True, cwd=REPO,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "does not match the name" not in result.stdout + result.stderr
