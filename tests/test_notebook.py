"""notebooks/exploration.ipynb runs top to bottom on a warehouse of the sample corpus, is committed without
outputs, and its charts draw Chinese with a font that really has the glyphs."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import matplotlib
import nbclient
import nbformat
import pytest

from pipelines.report.fonts import PROBE_TEXT, has_glyphs, use_cjk_font

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "exploration.ipynb"


@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    return sample_warehouse


@pytest.fixture(scope="module")
def executed(warehouse, tmp_path_factory):
    """The notebook after a full run in a fresh kernel, started in notebooks/ like an analyst's."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    figures = tmp_path_factory.mktemp("figures")
    with pytest.MonkeyPatch.context() as mp:  # the kernel inherits this process's environment
        mp.setenv("SHUFA_WAREHOUSE", str(warehouse))
        mp.setenv("SHUFA_FIGURES_DIR", str(figures))
        mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()  # raises CellExecutionError on the first failing cell
    return notebook, figures


def _outputs(notebook):
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def test_notebook_runs_without_errors(executed):
    notebook, _ = executed
    outputs = _outputs(notebook)
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr and "Glyph" not in stderr, stderr


def test_notebook_draws_its_charts(executed):
    notebook, figures = executed
    images = [o for o in _outputs(notebook) if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert len(images) >= 4  # trends, top/bottom bars, bump chart, coverage heatmap
    assert (figures / "notebook_trends.png").stat().st_size > 10_000


def test_notebook_traces_a_figure_to_its_sentence(executed):
    notebook, _ = executed
    printed = "".join(o.text for o in _outputs(notebook) if o.output_type == "stream" and o.name == "stdout")
    assert "【" in printed and "】" in printed  # the figure marked inside its sentence
    assert "平阳县" in printed


def test_committed_notebook_has_no_outputs():
    raw = json.loads(NOTEBOOK.read_text("utf-8"))
    code_cells = [cell for cell in raw["cells"] if cell["cell_type"] == "code"]
    assert code_cells
    stale = [i for i, cell in enumerate(code_cells) if cell.get("outputs") or cell.get("execution_count") is not None]
    assert not stale, f"code cells {stale} carry outputs: clear them before committing"


def test_chinese_labels_render_with_real_glyphs():
    from matplotlib.figure import Figure

    font = use_cjk_font()
    labels = {"title": "平阳县法治政府建设年度报告", "x": "年份", "y": "法律援助案件（件）",
              "legend": "土默特左旗、通州区"}
    assert has_glyphs(font.path, "".join(labels.values()) + PROBE_TEXT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure(figsize=(4, 3))
        ax = figure.subplots()
        ax.plot([2021, 2022, 2023], [547, -3, 660], label=labels["legend"])
        ax.set_title(labels["title"])
        ax.set_xlabel(labels["x"])
        ax.set_ylabel(labels["y"])
        ax.legend()
        figure.savefig(io.BytesIO(), format="png")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    assert not missing, missing


def test_the_default_font_would_have_failed():
    """Guards the font test itself: DejaVu Sans (matplotlib's default) lacks these glyphs."""
    from matplotlib import font_manager

    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    assert not has_glyphs(dejavu, PROBE_TEXT)
