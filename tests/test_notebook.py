"""notebooks/exploration.ipynb runs top to bottom on a warehouse of the sample corpus and on one of counties
the sample does not have, takes papermill-style parameters, is committed without outputs, and its charts
draw Chinese with a font that really has the glyphs."""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path

import nbclient
import nbformat
import pytest
from builders import build_corpus

from pipelines.report.fonts import PROBE_TEXT, has_glyphs, use_cjk_font

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "exploration.ipynb"


@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    return sample_warehouse


# Three counties the sample corpus does not have, two years each (2019, 2020: years the sample has none
# of either); 祁门县 states the most figures, so it is the county the notebook must pick by itself.
OTHER_CORPUS = {
    "歙县/2019.txt": ["歙县2019年法治政府建设年度报告", "全年办理法律援助案件210件。", "组织开展执法人员培训800人次。",
                      "行政机关负责人出庭应诉率达88%。"],
    "歙县/2020.txt": ["歙县2020年法治政府建设年度报告", "全年办理法律援助案件260件。", "组织开展执法人员培训950人次。",
                      "行政机关负责人出庭应诉率达92%。"],
    "祁门县/2019.txt": ["祁门县2019年法治政府建设年度报告", "全年办理法律援助案件120件。", "组织开展执法人员培训600人次。",
                        "行政机关负责人出庭应诉率达90%。", "企业开办时间压缩至5个工作日。", "开展普法宣传活动80场。",
                        "全年调解矛盾纠纷950件。", "全年审查合同协议40件。"],
    "祁门县/2020.txt": ["祁门县2020年法治政府建设年度报告", "全年办理法律援助案件180件。", "组织开展执法人员培训1100人次。",
                        "行政机关负责人出庭应诉率达100%。", "企业开办时间压缩至3个工作日。", "开展普法宣传活动95场。",
                        "全年调解矛盾纠纷1020件。", "全年审查合同协议52件。"],
    "泰顺县/2019.txt": ["泰顺县2019年法治政府建设年度报告", "全年办理法律援助案件160件。", "开展普法宣传活动60场。"],
    "泰顺县/2020.txt": ["泰顺县2020年法治政府建设年度报告", "全年办理法律援助案件150件。", "开展普法宣传活动70场。"],
}
RICHEST = ("341024", "祁门县")


def with_parameters(notebook, **parameters):
    """NOTEBOOK with a cell setting PARAMETERS after its `parameters` cell, as papermill injects one."""
    index = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(index + 1, injected)
    return notebook


def execute(warehouse: Path, figures: Path, **parameters):
    """The notebook after a full run in a fresh kernel, started in notebooks/ like an analyst's, on WAREHOUSE
    (through SHUFA_WAREHOUSE, as an analyst's shell would set it) with PARAMETERS injected."""
    notebook = with_parameters(nbformat.read(NOTEBOOK, as_version=4), **parameters)
    with pytest.MonkeyPatch.context() as mp:  # the kernel inherits this process's environment
        mp.setenv("SHUFA_WAREHOUSE", str(warehouse))
        mp.setenv("SHUFA_FIGURES_DIR", str(figures))
        mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()  # raises CellExecutionError on the first failing cell
    return notebook


@pytest.fixture(scope="module")
def executed(warehouse, tmp_path_factory):
    """The notebook run on the sample warehouse, told which county to look at."""
    figures = tmp_path_factory.mktemp("figures")
    return execute(warehouse, figures, COUNTY="平阳县"), figures


@pytest.fixture(scope="module")
def other_warehouse(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("other-corpus"), OTHER_CORPUS)


@pytest.fixture(scope="module")
def executed_on_other_counties(other_warehouse, tmp_path_factory):
    """The notebook as committed, no parameter given, on a warehouse without any sample county."""
    return execute(other_warehouse, tmp_path_factory.mktemp("other-figures"))


def _outputs(notebook):
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _stdout(notebook) -> str:
    return "".join(o.text for o in _outputs(notebook) if o.output_type == "stream" and o.name == "stdout")


def _images(notebook) -> list:
    return [o for o in _outputs(notebook) if o.output_type == "display_data" and "image/png" in o.get("data", {})]


def test_notebook_runs_without_errors(executed):
    notebook, _ = executed
    outputs = _outputs(notebook)
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "missing from font" not in stderr and "Glyph" not in stderr, stderr


def test_notebook_draws_its_charts(executed):
    notebook, figures = executed
    assert len(_images(notebook)) >= 4  # trends, top/bottom bars, bump chart, coverage heatmap
    assert (figures / "notebook_trends.png").stat().st_size > 10_000


def test_notebook_traces_a_figure_to_its_sentence(executed):
    notebook, _ = executed
    printed = _stdout(notebook)
    assert "【" in printed and "】" in printed  # the figure marked inside its sentence
    assert "330326 浙江省温州市平阳县" in printed  # the COUNTY parameter was taken


def test_notebook_runs_on_a_warehouse_of_other_counties_and_picks_the_one_with_most_data(
        executed_on_other_counties, other_warehouse):
    import duckdb

    notebook = executed_on_other_counties
    outputs = _outputs(notebook)
    assert not [o for o in outputs if o.output_type == "error"]
    with duckdb.connect(str(other_warehouse), read_only=True) as con:
        counts = dict(con.execute("SELECT county_code, count(*) FROM indicator_values GROUP BY ALL").fetchall())
    code, name = RICHEST
    assert max(counts, key=counts.get) == code and len(counts) == 3  # the corpus is what this test says it is
    printed = _stdout(notebook)
    assert f"{code} 安徽省黄山市{name} - indicators charted" in printed
    assert f"{name} 2020年" in printed and "【" in printed  # traced a figure of that county to its sentence
    assert "平阳县" not in printed
    assert len(_images(notebook)) >= 4


def test_notebook_shows_chinese_column_headings(executed_on_other_counties):
    tables = "".join(o["data"].get("text/html", "") for o in _outputs(executed_on_other_counties)
                     if o.output_type == "execute_result")
    for heading in ("报告数", "排名变化（两年均有排名的县中）", "两年均有排名县数", "百分位变化", "原文"):
        assert heading in tables, heading
    assert "rank_change" not in tables and "n_ranked_both" not in tables


def test_parameters_cell_comes_first_and_defaults_to_the_data():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert first_code.metadata.get("tags") == ["parameters"]
    namespace: dict = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SHUFA_WAREHOUSE", raising=False)
        exec(first_code.source, namespace)
    assert namespace["WAREHOUSE"] == "../data/warehouse/warehouse.duckdb"
    assert namespace["COUNTY"] is None and namespace["INDICATOR"] is None and namespace["YEAR"] is None


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
