"""Regenerate the README's pictures from the bundled sample corpus.

    .venv/bin/python docs/images/make_screenshots.py [--warehouse PATH]

* report.png: the top of 平阳县's county profile (``shufa report``), as headless Chromium draws it;
* notebook_trends.png: the main chart of notebooks/exploration.ipynb, saved by the notebook itself
  while it runs (it writes there when SHUFA_FIGURES_DIR is set).

Without --warehouse the sample corpus (data/raw) is built into a temporary folder first, so the
pictures never show someone's own data. Needs Debian's chromium and fonts-wqy-zenhei.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IMAGES = REPO / "docs" / "images"
CHROMIUM = "/usr/bin/chromium"
REPORT_COUNTY = "平阳县"


def sample_warehouse(workdir: Path) -> Path:
    from pipelines.build import build

    warehouse = workdir / "warehouse.duckdb"
    summary = build(REPO / "data" / "raw", warehouse)
    if not summary.success:
        sys.exit(f"building the sample warehouse failed: {summary.failure}")
    return warehouse


def screenshot_report(warehouse: Path, workdir: Path) -> Path:
    from pipelines.report import write_report

    page = write_report(warehouse, REPORT_COUNTY, workdir / "reports")
    target = IMAGES / "report.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={workdir / 'chromium'}", f"--screenshot={target}", "--window-size=1200,1500",
         page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return target


def save_notebook_chart(warehouse: Path) -> Path:
    import nbclient
    import nbformat

    notebook_path = REPO / "notebooks" / "exploration.ipynb"
    notebook = nbformat.read(notebook_path, as_version=4)
    os.environ.update(SHUFA_WAREHOUSE=str(warehouse), SHUFA_FIGURES_DIR=str(IMAGES),
                      MPLBACKEND="module://matplotlib_inline.backend_inline")
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook_path.parent)}}).execute()
    return IMAGES / "notebook_trends.png"  # the notebook is not written back: it stays without outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help="an already built warehouse of the sample corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        warehouse = args.warehouse or sample_warehouse(workdir)
        for path in (screenshot_report(warehouse, workdir), save_notebook_chart(warehouse)):
            print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
