"""Resources shared by every asset: the raw corpus to read and the DuckDB warehouse to write.

Builds never write the file analysts read. Every asset writes a *draft* beside it (the
``warehouse`` resource points there); the publish step audits the draft and only then moves it
over the published file with ``os.replace`` (write–audit–publish). Analysts' read-only
connections never block a build and never see a half-built warehouse.
"""

import os
import shutil
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from .. import settings
from ..ingest.document import MiB, ReadLimits
from ..ingest.incremental import FileStat, ReadResult, read_files
from ..warehouse.batch_rows import read_and_pack
from ..warehouse.batch_store import BatchStore, BatchWriter
from ..warehouse.build_lock import BuildLock


def warehouse_connection(warehouse: DuckDBResource):
    """A connection to the draft warehouse, creating its folder on first use (a fresh clone has none)."""
    Path(warehouse.database).parent.mkdir(parents=True, exist_ok=True)
    return warehouse.get_connection()


# Every run writes a fresh draft of the published warehouse and publishes it after the audit; a run
# without both ends would write into a draft nobody made (empty) or nobody publishes.
RUN_ENDS = ("warehouse_draft", "published_warehouse")


def steps_to_execute(context: dg.InitResourceContext) -> set[str] | None:
    """The steps (asset and check names) this run will execute, from its execution plan; None when the
    run has no stored plan (a direct call outside an instance)."""
    run = context.run
    if run is None or context.instance is None or not run.execution_plan_snapshot_id:
        return None
    plan = context.instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
    return set(plan.step_keys_to_execute or [step.key for step in plan.steps])


def selection_refusal(selected: set[str] | None) -> str | None:
    """Why a run executing the steps ``selected`` (None: unknown, the whole job) cannot run, or None."""
    if selected is None:
        return None
    missing = [end for end in RUN_ENDS if end not in selected]
    if not missing:
        return None
    middle = sorted(selected - set(RUN_ENDS))
    what = f"executes {', '.join(middle[:3])}{f' and {len(middle) - 3} more step(s)' if len(middle) > 3 else ''}" \
        if middle else "runs nothing that writes the warehouse"
    return (f"this run {what} without {' and '.join(missing)}: every run writes a fresh draft of the published "
            "warehouse (warehouse_draft) and publishes it only after the audit (published_warehouse), so select both "
            "with what you want rebuilt (in the UI: shift-click them too; on the command line: dagster asset "
            "materialize -m pipelines.definitions --select 'warehouse_draft,yoy_trends,published_warehouse'), or "
            "materialize all (shufa build). To re-run the data tests alone: shufa test-data. Nothing was written.")


class DraftWarehouse(DuckDBResource):
    """The draft warehouse a run writes (a DuckDBResource on the draft file), which refuses, before any
    step runs, a run that selects assets without the draft's two ends (see RUN_ENDS)."""

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        refusal = selection_refusal(steps_to_execute(context))
        if refusal:
            raise dg.Failure(refusal)


class RawCorpus(dg.ConfigurableResource):
    """The folder reports are dropped into, and the limits applied to each file."""

    path: str
    max_file_mb: int = settings.DEFAULT_MAX_FILE_MB
    max_docx_expanded_mb: int = settings.DEFAULT_MAX_DOCX_EXPANDED_MB
    workers: int = 0  # parsing processes; 0 = one per core (SHUFA_WORKERS)
    timeout_s: float = settings.DEFAULT_TIMEOUT_S  # per document
    worker_memory_mb: int = 2048  # address-space cap of each parsing worker (SHUFA_WORKER_MEMORY_MB; 0 = none)
    ocr: bool = True  # OCR pages without a text layer (SHUFA_OCR)
    ocr_page_s: float = settings.DEFAULT_OCR_PAGE_S  # per OCR'd page, on top of timeout_s
    ocr_max_pages: int = settings.DEFAULT_OCR_MAX_PAGES  # per document
    convert_timeout_s: float = settings.DEFAULT_CONVERT_TIMEOUT_S  # LibreOffice, per legacy Word file
    full_refresh: bool = False  # re-read every file, changed or not
    allow_mass_retraction: bool = False  # let a build retract more than half of the published documents
    progress_to_stderr: bool = False  # the CLI shows progress lines

    @property
    def root(self) -> Path:
        return Path(self.path)

    def read_into(self, store: BatchStore, files: list[FileStat], known_docs: dict[str, str], workers: int | None,
                  progress=None) -> tuple[ReadResult, BatchWriter]:
        """Read and extract ``files`` (ingest.incremental.read_files) into the batch ``store``, taking
        what it already holds; returns the run's result and the writer (its batches and timings)."""
        writer = BatchWriter(store)  # parsed documents leave memory a batch at a time
        read = read_files(self.root, files, known_docs, self.limits(), workers, self.timeout_s, progress,
                          reader=read_and_pack, worker_memory_bytes=self.worker_memory_mb * MiB,
                          sink=writer.add, stored=store.index(), extract_s=self.timeout_s)
        writer.flush()
        return read, writer

    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=self.max_file_mb * MiB,
            max_docx_uncompressed_bytes=self.max_docx_expanded_mb * MiB,
            timeout_s=self.timeout_s, ocr=self.ocr, ocr_page_s=self.ocr_page_s, ocr_max_pages=self.ocr_max_pages,
            convert_timeout_s=self.convert_timeout_s,
        )


class ParsedBatches(dg.ConfigurableResource):
    """The batch store parsed documents pass through on their way to the warehouse (batch_store.py)."""

    path: str

    @property
    def store(self) -> BatchStore:
        return BatchStore(Path(self.path))


class CorrectionsFile(dg.ConfigurableResource):
    """The analysts' corrections file (pipelines/corrections/), reloaded into every build."""

    path: str

    @property
    def file(self) -> Path:
        return Path(self.path)


class Publication(dg.ConfigurableResource):
    """The published warehouse file and its draft: start a draft, publish it atomically."""

    published_path: str

    @property
    def published(self) -> Path:
        return Path(self.published_path)

    @property
    def draft(self) -> Path:
        return settings.draft_path(self.published)

    def start_draft(self) -> None:
        """A fresh draft: a copy of what is published (so first-seen timestamps carry over), or empty.

        Drafts left by killed builds are removed first: the caller holds the build lock, so no
        other build is writing one."""
        self.draft.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.draft.parent.glob(settings.draft_pattern(self.published)):
            stale.unlink(missing_ok=True)
        if self.published.exists():
            shutil.copyfile(self.published, self.draft)

    def publish(self) -> None:
        """Checkpoint the draft into one self-contained file and move it over the published one.

        A missing draft is refused, never opened: ``duckdb.connect`` would create an empty file and
        publish a warehouse with no tables.
        """
        if not self.draft.is_file():
            raise FileNotFoundError(f"the draft {self.draft} is gone; {self.published} left as it was")
        with duckdb.connect(str(self.draft)) as con:
            con.execute("CHECKPOINT")
            tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "documents" not in tables:
            raise RuntimeError(f"the draft {self.draft} holds no documents table; {self.published} left as it was")
        os.replace(self.draft, self.published)


class WarehouseBuildLock(dg.ConfigurableResource):
    """The warehouse's build lock, held by a run from resource setup to teardown.

    ``warehouse_draft`` requires it, so every run that writes the draft holds it for the whole run
    (resources are set up once per run with the in-process executor every job here uses); the
    schedule and sensor, which only look at the published file, never take it.
    """

    published_path: str
    wait: bool = False  # queue behind a running build instead of refusing
    _lock: BuildLock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._lock = BuildLock(Path(self.published_path))
        self._lock.acquire(wait=self.wait)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()


def build_resources(
    raw_dir: Path | None = None, warehouse: Path | None = None, full_refresh: bool = False, progress: bool = False,
    wait_for_lock: bool = False, allow_mass_retraction: bool = False, corrections: Path | None = None,
) -> dict[str, object]:
    """Resources for a run; unset arguments fall back to SHUFA_* environment variables, then defaults."""
    published = warehouse or settings.warehouse_path()
    return {
        "raw_corpus": RawCorpus(
            path=str(raw_dir or settings.raw_dir()),
            max_file_mb=settings.max_file_mb(),
            max_docx_expanded_mb=settings.max_docx_expanded_mb(),
            workers=settings.workers(),
            timeout_s=settings.timeout_s(),
            worker_memory_mb=settings.worker_memory_mb(),
            ocr=settings.ocr_enabled(),
            ocr_page_s=settings.ocr_page_s(),
            ocr_max_pages=settings.ocr_max_pages(),
            convert_timeout_s=settings.convert_timeout_s(),
            full_refresh=full_refresh,
            allow_mass_retraction=allow_mass_retraction or settings.allow_mass_retraction(),
            progress_to_stderr=progress,
        ),
        "warehouse": DraftWarehouse(database=str(settings.draft_path(published)), connection_config=duckdb_limits()),
        "parsed_batches": ParsedBatches(path=str(settings.batch_dir(published))),
        "corrections_file": CorrectionsFile(path=str(corrections or settings.corrections_path())),
        "publication": Publication(published_path=str(published)),
        "build_lock": WarehouseBuildLock(published_path=str(published), wait=wait_for_lock),
    }


def duckdb_limits() -> dict:
    """The warehouse connection's DuckDB settings: the memory limit of settings.duckdb_memory_mb."""
    mb = settings.duckdb_memory_mb()
    return {"memory_limit": f"{mb}MB"} if mb else {}


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources())
