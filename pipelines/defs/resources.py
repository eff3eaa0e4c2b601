"""Resources shared by every asset: the raw corpus to read and the DuckDB warehouse to write."""


from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from .. import settings
from ..ingest.document import MiB, ReadLimits


def warehouse_connection(warehouse: DuckDBResource):
    """A connection to the warehouse, creating its folder on first use (a fresh clone has none)."""
    Path(warehouse.database).parent.mkdir(parents=True, exist_ok=True)
    return warehouse.get_connection()


class RawCorpus(dg.ConfigurableResource):
    """The folder reports are dropped into, and the limits applied to each file."""

    path: str
    max_file_mb: int = settings.DEFAULT_MAX_FILE_MB
    max_docx_expanded_mb: int = settings.DEFAULT_MAX_DOCX_EXPANDED_MB

    @property
    def root(self) -> Path:
        return Path(self.path)

    def limits(self) -> ReadLimits:
        return ReadLimits(
            max_file_bytes=self.max_file_mb * MiB,
            max_docx_uncompressed_bytes=self.max_docx_expanded_mb * MiB,
        )


def build_resources(raw_dir: Path | None = None, warehouse: Path | None = None) -> dict[str, object]:
    """Resources for a run; unset arguments fall back to SHUFA_* environment variables, then defaults."""
    warehouse = warehouse or settings.warehouse_path()
    return {
        "raw_corpus": RawCorpus(
            path=str(raw_dir or settings.raw_dir()),
            max_file_mb=settings.max_file_mb(),
            max_docx_expanded_mb=settings.max_docx_expanded_mb(),
        ),
        "warehouse": DuckDBResource(database=str(warehouse)),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=build_resources())
