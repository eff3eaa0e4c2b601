"""An open connection keeps reading the build it opened after a new one is published; build_info's
build_id and the file's identity let a notebook notice, and `shufa query` always reads the latest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builders import write_txt
from pipelines.report.connection import build_id, build_is_current, connect_read_only, file_identity

REPO = Path(__file__).resolve().parents[1]


def shufa_build(raw: Path, warehouse: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--raw", str(raw), "--warehouse",
                           str(warehouse)], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr


def test_a_notebook_can_tell_its_connection_reads_an_older_build(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    raw.mkdir()
    write_txt(raw / "江宁区2022年法治政府建设年度报告.txt", ["江宁区2022年法治政府建设年度报告", "全年办理法律援助案件40件。"])
    shufa_build(raw, warehouse)
    con = connect_read_only(warehouse)
    identity, first = file_identity(warehouse), build_id(con)
    assert first and build_is_current(warehouse, identity)

    write_txt(raw / "江宁区2023年法治政府建设年度报告.txt", ["江宁区2023年法治政府建设年度报告", "全年办理法律援助案件44件。"])
    shufa_build(raw, warehouse)  # another process, as the nightly build is
    assert not build_is_current(warehouse, identity)
    assert build_id(con) == first  # the open connection still reads the build it opened
    con.close()

    query = subprocess.run([sys.executable, "-m", "pipelines.cli", "query", "--warehouse", str(warehouse),
                            "SELECT build_id FROM build_info", "--format", "csv"],
                           capture_output=True, text=True, cwd=REPO, timeout=300)
    assert query.returncode == 0, query.stderr
    latest = query.stdout.split()[-1]
    assert latest != first
    with connect_read_only(warehouse) as again:
        assert build_id(again) == latest
