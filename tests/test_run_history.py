"""`shufa build` records its run in a Dagster instance, so the UI shows every CLI build with its
materializations and checks: $DAGSTER_HOME, else data/dagster_home under the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from builders import write_txt


def build_in(cwd: Path, raw: Path, **env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "SHUFA_RUN_HISTORY")}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse",
                           str(cwd / "warehouse.duckdb")], capture_output=True, text=True, cwd=cwd,
                          env={**environment, **env}, timeout=600)
    assert done.returncode == 0, done.stderr


def test_a_cli_build_is_in_the_run_history_the_ui_reads(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "江宁区2023年法治政府建设年度报告.txt", ["江宁区2023年法治政府建设年度报告", "全年办理法律援助案件12件。"])
    build_in(tmp_path, raw)
    home = tmp_path / "data" / "dagster_home"
    assert "telemetry:\n  enabled: false" in (home / "dagster.yaml").read_text("utf-8")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].status == dg.DagsterRunStatus.SUCCESS
        materialized = instance.get_latest_materialization_event(dg.AssetKey("indicator_values"))
        assert materialized is not None and materialized.run_id == runs[0].run_id
        checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("documents"), "documents_have_their_blocks")])
        assert checks, "the asset checks of the build are recorded too"

    write_txt(raw / "江宁区2022年法治政府建设年度报告.txt", ["江宁区2022年法治政府建设年度报告", "全年办理法律援助案件9件。"])
    other = tmp_path / "elsewhere"
    build_in(tmp_path, raw, DAGSTER_HOME=str(other))
    with dg.DagsterInstance.from_config(str(other)) as instance:
        assert len(instance.get_runs()) == 1
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert len(instance.get_runs()) == 1


def test_run_history_off_keeps_nothing(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "溧水区2023年法治政府建设年度报告.txt", ["溧水区2023年法治政府建设年度报告", "全年办理法律援助案件7件。"])
    build_in(tmp_path, raw, SHUFA_RUN_HISTORY="off")
    assert not (tmp_path / "data" / "dagster_home").exists()
