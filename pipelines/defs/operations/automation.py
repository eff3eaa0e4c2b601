"""The nightly schedule and the sensor that starts a build when reports are dropped in.

Both run the same job (every asset, in one process: per-step subprocesses would cost seconds
each for nothing), and both are visible and switchable in the Dagster UI. The sensor waits for
the folder to settle (no change for SHUFA_SENSOR_DEBOUNCE_S seconds), so copying in a few
hundred files starts one run, not hundreds.
"""

import json
import os
import time

import dagster as dg

from ... import settings
from ...build_state import folder_fingerprint, up_to_date
from ..resources import CorrectionsFile, Publication, RawCorpus

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Ingest new and changed reports, extract, rebuild the models, audit and publish.",
)


def _default_status() -> dg.DefaultScheduleStatus:
    running = os.environ.get("SHUFA_AUTOMATION", "off").lower() in ("1", "on", "true", "running")
    return dg.DefaultScheduleStatus.RUNNING if running else dg.DefaultScheduleStatus.STOPPED


@dg.schedule(
    job=build_warehouse,
    cron_schedule=os.environ.get("SHUFA_NIGHTLY_CRON", settings.DEFAULT_NIGHTLY_CRON),
    execution_timezone=os.environ.get("SHUFA_TIMEZONE", settings.DEFAULT_TIMEZONE),
    default_status=_default_status(),
    description="Build the warehouse every night (02:00 Asia/Shanghai unless SHUFA_NIGHTLY_CRON / SHUFA_TIMEZONE "
    "say otherwise), skipped when neither the raw folder, the corrections file nor the code changed since the published build.",
)
def nightly_build(context: dg.ScheduleEvaluationContext, raw_corpus: RawCorpus, publication: Publication,
                  corrections_file: CorrectionsFile):
    current, finished_at = up_to_date(raw_corpus.root, publication.published, corrections_file.file)
    if current and not raw_corpus.full_refresh:
        return dg.SkipReason(f"nothing changed since the build published at {finished_at}")
    return dg.RunRequest()


@dg.sensor(
    job=build_warehouse,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING if _default_status() == dg.DefaultScheduleStatus.RUNNING
    else dg.DefaultSensorStatus.STOPPED,
    description="Start a build when files in the raw folder are added, changed or removed, once the folder settles.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, raw_corpus: RawCorpus):
    root = raw_corpus.root
    if not root.is_dir():
        return dg.SkipReason(f"raw folder {root} does not exist")
    state = json.loads(context.cursor) if context.cursor else {}
    fingerprint, now = folder_fingerprint(root), time.time()
    if fingerprint == state.get("requested"):
        return dg.SkipReason("no change since the last build was requested")
    if fingerprint != state.get("pending"):
        context.update_cursor(json.dumps({**state, "pending": fingerprint, "since": now}))
        return dg.SkipReason("the folder changed; waiting for it to settle")
    waited = now - state["since"]
    if waited < settings.sensor_debounce_s():
        return dg.SkipReason(f"the folder has been still for {waited:.0f}s; waiting for {settings.sensor_debounce_s():.0f}s")
    context.update_cursor(json.dumps({"requested": fingerprint, "pending": fingerprint, "since": state["since"]}))
    return dg.RunRequest(run_key=fingerprint)
