"""SQL lives in .sql files next to this module; this is how Python gets at it."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """The text of ``sql/<name>.sql``."""
    return files(__package__).joinpath("sql", f"{name}.sql").read_text("utf-8")
