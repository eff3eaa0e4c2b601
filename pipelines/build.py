"""Run the Dagster assets in process and summarise what the warehouse now holds.

``shufa build`` calls this. It materializes the same assets and checks ``dagster dev``
shows, with resources pointing at the folders given on the command line. With
SHUFA_EXECUTOR=multiprocess or dask, the parse job (defs/parse/jobs.py) runs first on that
executor and fills the batch store, and the build then only loads what it parsed.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from . import settings
from .defs.resources import build_resources
from .definitions import defs
from .warehouse.build_lock import BuildLocked
from .warehouse.summary import BuildSummary, summarise


INSTANCE_CONFIG = """# Written by shufa build (pipelines/build.py) when it made this folder; edit freely.
telemetry:
  enabled: false
"""


def _instance(persistent: bool = False) -> dg.DagsterInstance:
    """The Dagster instance the run is recorded in: settings.dagster_home() (the one the UI reads), or
    memory only when run history is off (a throw-away folder if ``persistent``: the multiprocess
    and Dask executors need an instance their processes can open)."""
    home = settings.dagster_home()
    if home is None:
        return dg.DagsterInstance.local_temp() if persistent else dg.DagsterInstance.ephemeral()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():  # shufa runs offline, in government networks: no telemetry, no welcome banner
        config.write_text(INSTANCE_CONFIG, "utf-8")
    return dg.DagsterInstance.from_config(str(home))


def _root_cause(error) -> str:
    """The innermost error message (Dagster wraps the user's exception in its own)."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def _lock_refusal(result) -> str | None:
    """The lock's message when the run stopped because another build held the lock (raised while
    the run's resources were set up, before any step)."""
    for event in result.all_events:
        error = getattr(event.event_specific_data, "error", None)
        if event.event_type_value == "RESOURCE_INIT_FAILURE" and error is not None and BuildLocked.PREFIX in error.message:
            return error.message.split(": ", 1)[-1].strip()
    return None


PARSED_RESOURCES = ("raw_corpus", "publication", "parsed_batches")


def _absolute(config: dict) -> dict:
    """A resource's config with its path made absolute: the parse job's workers may run elsewhere."""
    return {k: str(Path(v).resolve()) if k.endswith("path") else v for k, v in config.items()}


def _parse_first(kind: str, instance: dg.DagsterInstance, resources: dict, log_level: str) -> str | None:
    """Run the parse job on the executor ``kind`` (SHUFA_EXECUTOR); why it failed, or None."""
    from .defs.parse.jobs import reconstructable_parse_job

    if kind == "dask":
        import dask

        dask.config.set({"distributed.worker.daemon": False})  # a local cluster's workers start parsing processes
    run_config = {
        "resources": {name: {"config": _absolute(resources[name].model_dump())} for name in PARSED_RESOURCES},
        "loggers": {"console": {"config": {"log_level": log_level}}},
    }
    with dg.execute_job(reconstructable_parse_job(settings.parse_shards(), kind), instance, run_config=run_config) as result:
        if result.success:
            return None
        return "\n".join(f"{e.step_key}: {_root_cause(e.step_failure_data.error)}" for e in result.all_events
                         if e.is_step_failure and e.step_failure_data.error is not None) or "the parse job failed"


def build(raw_dir: Path, warehouse: Path, log_level: str = "WARNING", full_refresh: bool = False,
          progress: bool = False, wait: bool = False, allow_mass_retraction: bool = False,
          corrections: Path | None = None) -> BuildSummary:
    """One run of every asset and check. Another build of ``warehouse`` running makes it wait
    (``wait``) or return at once with ``locked`` set."""
    definitions = defs()
    resources = build_resources(raw_dir, warehouse, full_refresh=full_refresh, progress=progress, wait_for_lock=wait,
                                allow_mass_retraction=allow_mass_retraction, corrections=corrections)
    executor = settings.executor()
    with _instance(persistent=executor != "in_process") as instance:
        if executor != "in_process":
            failure = _parse_first(executor, instance, resources, log_level)
            if failure:
                return BuildSummary(success=False, failure=f"parse job ({executor}): {failure}")
        result = dg.materialize(
            [*definitions.assets, *definitions.asset_checks],
            resources=resources,
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            raise_on_error=False,
        )
    failed_checks = [
        f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed
    ]
    if not result.success:
        locked = _lock_refusal(result)
        if locked:
            return BuildSummary(success=False, locked=True, failure=locked)
        messages = [
            f"{event.step_key}: {_root_cause(event.step_failure_data.error)}"
            for event in result.all_events
            if event.is_step_failure and event.step_failure_data.error is not None
        ]
        failure = "\n".join(messages) or "the run failed"
        if failed_checks:  # a blocking data test failed: publishing was skipped
            failure = (f"audit failed, {warehouse} left as it was; failing data tests: {', '.join(failed_checks)}\n"
                       + failure)
        draft = settings.draft_path(warehouse)
        if draft.exists():
            failure += f"\nthe draft is kept for inspection until the next build: {draft}"
        return BuildSummary(success=False, failed_checks=failed_checks, failure=failure)
    summary = summarise(warehouse)
    summary.failed_checks = failed_checks
    return summary
