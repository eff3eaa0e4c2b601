"""The nightly schedule and the raw-folder sensor, evaluated with Dagster's own testing helpers on real files."""

from __future__ import annotations

import datetime as dt
import os
import time

import dagster as dg
from builders import write_txt

from pipelines.defs.operations.automation import build_warehouse, nightly_build, raw_folder_sensor
from pipelines.defs.resources import CorrectionsFile, Publication, RawCorpus
from pipelines.definitions import defs


def test_schedule_runs_the_whole_pipeline_at_two_in_shanghai(tmp_path):
    assert nightly_build.cron_schedule == "0 2 * * *"
    assert nightly_build.execution_timezone == "Asia/Shanghai"
    (tmp_path / "raw").mkdir()
    write_txt(tmp_path / "raw" / "a.txt", ["柳城县2023年法治政府建设年度报告"])
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC),
        resources={"raw_corpus": RawCorpus(path=str(tmp_path / "raw")),
                   "publication": Publication(published_path=str(tmp_path / "warehouse.duckdb")),
                   "corrections_file": CorrectionsFile(path=str(tmp_path / "corrections.csv"))},
    )
    (request,) = list(nightly_build.evaluate_tick(context).run_requests)  # no warehouse yet: a run
    assert request.tags["dagster/schedule_name"] == "nightly_build"
    assert nightly_build.job_name == "build_warehouse"
    job = defs().resolve_job_def("build_warehouse")
    assert {"documents", "indicator_facts", "indicator_values", "published_warehouse"} <= {
        key.to_user_string() for key in job.asset_layer.selected_asset_keys
    }


def test_schedule_and_sensor_are_switchable_and_stopped_by_default():
    definitions = defs()
    assert definitions.resolve_schedule_def("nightly_build").default_status == dg.DefaultScheduleStatus.STOPPED
    assert definitions.resolve_sensor_def("raw_folder_sensor").default_status == dg.DefaultSensorStatus.STOPPED
    assert build_warehouse.name == "build_warehouse"


def _tick(raw, cursor):
    context = dg.build_sensor_context(cursor=cursor, resources={"raw_corpus": RawCorpus(path=str(raw))})
    result = raw_folder_sensor(context)
    return result, context.cursor


def test_sensor_waits_for_the_folder_to_settle_then_requests_one_run(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUFA_SENSOR_DEBOUNCE_S", "0.5")
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["柳城县2023年法治政府建设年度报告", "全年办理法律援助案件100件。"])

    result, cursor = _tick(raw, None)
    assert isinstance(result, dg.SkipReason) and "settle" in result.skip_message
    # files keep arriving (a folder being copied in): still no run
    for name in ("b.txt", "c.txt"):
        write_txt(raw / name, ["平阳县2023年法治政府建设年度报告", f"{name}"])
        result, cursor = _tick(raw, cursor)
        assert isinstance(result, dg.SkipReason)
    time.sleep(0.6)
    result, cursor = _tick(raw, cursor)  # quiet long enough: one run
    assert isinstance(result, dg.RunRequest)
    result, cursor = _tick(raw, cursor)  # nothing new: no second run
    assert isinstance(result, dg.SkipReason) and "no change" in result.skip_message

    # a removed file is a change too
    (raw / "c.txt").unlink()
    result, cursor = _tick(raw, cursor)
    assert isinstance(result, dg.SkipReason)
    time.sleep(0.6)
    result, cursor = _tick(raw, cursor)
    assert isinstance(result, dg.RunRequest)


def test_sensor_ignores_hidden_files_and_reports_a_missing_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUFA_SENSOR_DEBOUNCE_S", "0")
    raw = tmp_path / "raw"
    raw.mkdir()
    write_txt(raw / "a.txt", ["x"])
    result, cursor = _tick(raw, None)
    result, cursor = _tick(raw, cursor)
    assert isinstance(result, dg.RunRequest)
    (raw / ".partial.tmp").write_text("being copied", encoding="utf-8")
    result, _ = _tick(raw, cursor)
    assert isinstance(result, dg.SkipReason) and "no change" in result.skip_message
    missing, _ = _tick(tmp_path / "nope", None)
    assert "does not exist" in missing.skip_message


def test_automation_can_be_switched_on_by_environment(tmp_path):
    import subprocess
    import sys

    code = ("import dagster as dg; from pipelines.definitions import defs; d = defs(); "
            "print(d.resolve_schedule_def('nightly_build').default_status.value, d.resolve_schedule_def('nightly_build').cron_schedule)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "SHUFA_AUTOMATION": "on", "SHUFA_NIGHTLY_CRON": "30 3 * * *"})
    assert out.stdout.split() == ["RUNNING", "30", "3", "*", "*", "*"]
