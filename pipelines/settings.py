"""Where shufa reads and writes by default, and the limits it applies.

Everything is overridable: command-line flags beat environment variables, which beat
these defaults. Relative paths are relative to the working directory (the repo root when
you follow the README).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_RAW_DIR = "data/raw"
DEFAULT_WAREHOUSE = "data/warehouse/warehouse.duckdb"
DEFAULT_CORRECTIONS = "data/corrections.csv"
DEFAULT_DAGSTER_HOME = "data/dagster_home"  # git-ignored; `make dev` shows the same history
DEFAULT_MAX_FILE_MB = 50
DEFAULT_MAX_DOCX_EXPANDED_MB = 200
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_NIGHTLY_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_SENSOR_DEBOUNCE_S = 120.0
DEFAULT_OCR_PAGE_S = 60.0
DEFAULT_OCR_MAX_PAGES = 40
DEFAULT_CONVERT_TIMEOUT_S = 120.0
# DuckDB's memory for the warehouse steps. Its own default (80% of RAM) lets its cache grow with the
# warehouse; under a limit it spills to disk instead, so a build's memory stays flat as the corpus
# grows (bench/scale.py shows 1x and 2x the corpus). 512 MiB keeps every model in memory at 1x.
DEFAULT_DUCKDB_MEMORY_MB = 512


def raw_dir() -> Path:
    return Path(os.environ.get("SHUFA_RAW", DEFAULT_RAW_DIR))


def warehouse_path() -> Path:
    return Path(os.environ.get("SHUFA_WAREHOUSE", DEFAULT_WAREHOUSE))


def corrections_path() -> Path:
    """The analysts' corrections file (SHUFA_CORRECTIONS); a missing file is no corrections."""
    return Path(os.environ.get("SHUFA_CORRECTIONS", DEFAULT_CORRECTIONS))


def dagster_home() -> Path | None:
    """Where `shufa build` keeps Dagster's run history (runs, materializations, check results), so the
    UI (`make dev`) shows every CLI build: $DAGSTER_HOME, else data/dagster_home. None when
    SHUFA_RUN_HISTORY=off: the run is kept in memory only (tests, throw-away builds)."""
    if os.environ.get("SHUFA_RUN_HISTORY", "on").lower() in ("0", "off", "false", "no"):
        return None
    return Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()


def draft_path(published: Path) -> Path:
    """Where a build writes before its audit: beside the published file (same filesystem, so the
    final os.replace is atomic), named for the process that builds (each CLI build and each Dagster
    run is a process of its own), so two builds can never share a draft even without the lock."""
    return published.with_name(f"{published.stem}.draft-{os.getpid()}{published.suffix}")


def batch_dir(published: Path) -> Path:
    """The batch store parsed documents pass through (warehouse/batch_store.py): SHUFA_BATCH_DIR (a
    folder every parsing worker can write, for a distributed parse job), else a folder beside the
    published warehouse."""
    return Path(os.environ.get("SHUFA_BATCH_DIR") or published.with_name(f"{published.stem}.batches"))


def draft_pattern(published: Path) -> str:
    """A glob for every build's draft of ``published`` (and its .wal), for clearing killed builds' leftovers."""
    return f"{published.stem}.draft-*{published.suffix}*"


def max_file_mb() -> int:
    return int(os.environ.get("SHUFA_MAX_FILE_MB", DEFAULT_MAX_FILE_MB))


def max_docx_expanded_mb() -> int:
    return int(os.environ.get("SHUFA_MAX_DOCX_EXPANDED_MB", DEFAULT_MAX_DOCX_EXPANDED_MB))


def read_limits():
    """The ReadLimits every reader gets, from the SHUFA_* variables above."""
    from .ingest.document import MiB, ReadLimits

    return ReadLimits(max_file_mb() * MiB, max_docx_expanded_mb() * MiB, timeout_s(), ocr_enabled(), ocr_page_s(),
                      ocr_max_pages(), convert_timeout_s())


def workers() -> int:
    """Parsing processes; 0 means one per core."""
    return int(os.environ.get("SHUFA_WORKERS", 0))


def timeout_s() -> float:
    """Longest one document may take to read before it is recorded as a timeout."""
    return float(os.environ.get("SHUFA_TIMEOUT_S", DEFAULT_TIMEOUT_S))


def ocr_enabled() -> bool:
    """Whether pages without a text layer are OCR'd (SHUFA_OCR=off: they are ``no_text_layer``)."""
    return os.environ.get("SHUFA_OCR", "on").lower() not in ("0", "off", "false", "no")


def ocr_page_s() -> float:
    """Time allowed per OCR'd page, on top of SHUFA_TIMEOUT_S (SHUFA_OCR_PAGE_S)."""
    return float(os.environ.get("SHUFA_OCR_PAGE_S", DEFAULT_OCR_PAGE_S))


def ocr_max_pages() -> int:
    """Most pages OCR'd in one document; a longer scan is read up to here and flagged (SHUFA_OCR_MAX_PAGES)."""
    return int(os.environ.get("SHUFA_OCR_MAX_PAGES", DEFAULT_OCR_MAX_PAGES))


def convert_timeout_s() -> float:
    """Longest LibreOffice may take to convert one legacy Word file (SHUFA_CONVERT_TIMEOUT_S)."""
    return float(os.environ.get("SHUFA_CONVERT_TIMEOUT_S", DEFAULT_CONVERT_TIMEOUT_S))


def sensor_debounce_s() -> float:
    """How long the raw folder must stay unchanged before the sensor starts a build."""
    return float(os.environ.get("SHUFA_SENSOR_DEBOUNCE_S", DEFAULT_SENSOR_DEBOUNCE_S))


def allow_mass_retraction() -> bool:
    """Whether a build may retract more than half of the published documents (default: no)."""
    return os.environ.get("SHUFA_ALLOW_MASS_RETRACTION", "").lower() in ("1", "true", "yes", "on")


def worker_memory_mb() -> int:
    """Address-space cap of each parsing worker in MiB (SHUFA_WORKER_MEMORY_MB; 0 = none)."""
    from .ingest.worker_limits import DEFAULT_WORKER_MEMORY_MB

    return int(os.environ.get("SHUFA_WORKER_MEMORY_MB", DEFAULT_WORKER_MEMORY_MB))


def duckdb_memory_mb() -> int:
    """DuckDB's memory limit for the warehouse steps in MiB (SHUFA_DUCKDB_MEMORY_MB; 0 = DuckDB's own
    default, 80% of RAM); past it, DuckDB spills to a temporary folder beside the draft."""
    return int(os.environ.get("SHUFA_DUCKDB_MEMORY_MB", DEFAULT_DUCKDB_MEMORY_MB))


EXECUTORS = ("in_process", "multiprocess", "dask")


def executor() -> str:
    """Where parsing runs (SHUFA_EXECUTOR): ``in_process`` (default: the build's own pool of parsing
    processes), ``multiprocess`` (a parse job, a process per shard) or ``dask`` (a parse job on a
    Dask cluster, see dask_scheduler). The warehouse steps always run in the build's process."""
    kind = os.environ.get("SHUFA_EXECUTOR", "in_process").strip().lower().replace("-", "_")
    if kind not in EXECUTORS:
        raise ValueError(f"SHUFA_EXECUTOR={kind!r}: use one of {', '.join(EXECUTORS)}")
    return kind


def dask_scheduler() -> str | None:
    """The Dask scheduler a parse job's shards go to (SHUFA_DASK_SCHEDULER=tcp://host:8786); unset,
    a local cluster of SHUFA_WORKERS worker processes (one per core) is started for the job."""
    return os.environ.get("SHUFA_DASK_SCHEDULER") or None


def parse_shards() -> int:
    """How many shards a parse job splits the files to read into (SHUFA_PARSE_SHARDS): the units of
    work an executor spreads out. The default suits a few machines; raise it for a bigger cluster."""
    return int(os.environ.get("SHUFA_PARSE_SHARDS", 8))
