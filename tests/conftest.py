"""Shared fixtures. Test files are built by ``builders``; the seeds are read from ../shared/seeds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
sys.path.insert(0, str(Path(__file__).parent))  # make `builders` importable from tests


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present in this checkout")
    return SEEDS


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Share one admin-division cache across the session, away from the user's home; keep test builds
    out of the project's Dagster run history (tests/test_run_history.py turns it on)."""
    monkeypatch.setenv("SHUFA_CACHE", str(tmp_path_factory.getbasetemp() / "shufa-cache"))
    monkeypatch.setenv("SHUFA_RUN_HISTORY", "off")


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The bundled sample corpus built once per session; the report and notebook tests only read it."""
    from pipelines.build import build

    path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SHUFA_CACHE", str(tmp_path_factory.getbasetemp() / "shufa-cache"))
        assert build(REPO / "data" / "raw", path).success
    return path
