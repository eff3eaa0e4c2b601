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

from .. import settings
from ..ingest.document import MiB, ReadLimits


def warehouse_connection(warehouse: DuckDBResource):
    """A connection to the draft warehouse, creating its folder on first use (a fresh clone has none)."""
    Path(warehouse.database).parent.mkdir(parents=True, exist_ok=True)
    return warehouse.get_connection()


class RawCorpus(dg.ConfigurableResource):
    """The folder reports are dropped into, and the limits applied to each file."""

    path: str
    max_file_mb: int = settings.DEFAULT_MAX_FILE_MB
    max_docx_expanded_mb: int = settings.DEFAULT_MAX_DOCX_EXPANDED_MB
    workers: int = 0  # parsing processes; 0 = one per core (SHUFA_WORKERS)
    timeout_s: float = settings.DEFAULT_TIMEOUT_S  # per document
    full_refresh: bool = False  # re-read every file, changed or not
    progress_to_stderr: bool = False  # the CLI shows progress lines

    @property
    def root(self) -> Path:
        return Path(self.path)

    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=self.max_file_mb * MiB,
            max_docx_uncompressed_bytes=self.max_docx_expanded_mb * MiB,
        )


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
        """A fresh draft: a copy of what is published (so first-seen timestamps carry over), or empty."""
        self.draft.parent.mkdir(parents=True, exist_ok=True)
        for stale in (self.draft, self.draft.with_name(self.draft.name + ".wal")):
            stale.unlink(missing_ok=True)
        if self.published.exists():
            shutil.copyfile(self.published, self.draft)

    def publish(self) -> None:
        """Checkpoint the draft into one self-contained file and move it over the published one."""
        with duckdb.connect(str(self.draft)) as con:
            con.execute("CHECKPOINT")
        os.replace(self.draft, self.published)


def build_resources(
    raw_dir: Path | None = None, warehouse: Path | None = None, full_refresh: bool = False, progress: bool = False
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
            full_refresh=full_refresh,
            progress_to_stderr=progress,
        ),
        "warehouse": DuckDBResource(database=str(settings.draft_path(published))),
        "publication": Publication(published_path=str(published)),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources())
