"""What the raw folder itself can do wrong: links out of it, dangling links and loops, folders that
cannot be listed, and a folder that is suddenly empty. Each is recorded; none retracts silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders import write_txt

from pipelines.ingest.corpus import walk_raw
from pipelines.ingest.incremental import Previous, plan_run, stat_folder

REPO = Path(__file__).resolve().parents[1]


def shufa(*args):
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "SHUFA_WORKERS": "1"}, timeout=600)


def reports(raw: Path, *counties: str) -> None:
    (raw / "2023").mkdir(parents=True, exist_ok=True)
    for n, county in enumerate(counties, start=1):
        write_txt(raw / "2023" / f"{county}.txt", [f"南京市{county}2023年法治政府建设年度报告", f"全年办理法律援助案件{10 * n}件。"])


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_links_out_of_the_folder_dangling_links_and_loops_are_refused_with_a_row(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    reports(raw, "江宁区")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:机密的一行\n", encoding="utf-8")
    (raw / "outside.txt").symlink_to(secret)
    (raw / "inside.txt").symlink_to(raw / "2023" / "江宁区.txt")  # a link within the folder is read
    (raw / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "etc").symlink_to(tmp_path)  # a link to a folder outside
    scan = walk_raw(raw)
    assert [p.relative_to(raw).as_posix() for p in scan.paths] == ["2023/江宁区.txt", "inside.txt"]
    refused = {f.path: f.reason for f in scan.refused}
    assert set(refused) == {"outside.txt", "dangling.txt", "loop.txt", "etc"}
    assert "outside the raw folder" in refused["outside.txt"] and "dangling" in refused["dangling.txt"]
    assert "loop" in refused["loop.txt"]

    warehouse = tmp_path / "w.duckdb"
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    errors = rows(warehouse, "SELECT path, error_kind FROM ingest_errors ORDER BY path")
    assert errors == [("dangling.txt", "refused_link"), ("etc", "refused_link"), ("loop.txt", "refused_link"),
                      ("outside.txt", "refused_link")]
    assert rows(warehouse, "SELECT count(*) FROM document_blocks WHERE text LIKE '%机密%'") == [(0,)]


def test_files_under_a_folder_that_cannot_be_listed_are_kept_not_retracted():
    previous = Previous(files={"a/x.txt": ("d1", 10, 1), "b/y.txt": ("d2", 20, 2)})
    plan = plan_run([], previous, unreadable_dirs=["a"])
    assert plan.unchanged == {"a/x.txt": "d1"}
    assert plan.removed == {"b/y.txt"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod-000 folder anyway")
def test_an_unreadable_subfolder_gets_a_row(tmp_path):
    raw = tmp_path / "raw"
    reports(raw, "江宁区")
    locked = raw / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        stats, scan = stat_folder(raw)
    finally:
        locked.chmod(0o755)
    assert scan.unreadable_dirs == ["locked"]
    assert [(f.path, f.error_kind) for f in scan.refused] == [("locked", "read_failed")]


def test_an_emptied_raw_folder_does_not_retract_the_published_warehouse(tmp_path):
    raw, warehouse = tmp_path / "raw", tmp_path / "w.duckdb"
    raw.mkdir()
    reports(raw, "江宁区", "溧水区", "高淳区")
    assert shufa("build", "--raw", str(raw), "--warehouse", str(warehouse)).returncode == 0
    before = warehouse.read_bytes()
    for path in (raw / "2023").iterdir():
        path.unlink()
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert "would retract 3 of the 3 published documents" in result.stderr and "--allow-mass-retraction" in result.stderr
    assert warehouse.read_bytes() == before
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse), "--allow-mass-retraction")
    assert result.returncode == 0, result.stderr
    assert rows(warehouse, "SELECT count(*) FROM documents WHERE status = 'retracted'") == [(3,)]


def gbk_name(raw: Path, name: str) -> Path:
    """A file whose name is GBK bytes on disk, as a zip made on Chinese Windows unpacks."""
    return Path(os.fsdecode(os.fsencode(str(raw)) + b"/" + name.encode("gbk")))


@pytest.mark.parametrize("on_disk, recorded", [
    ("江宁区.txt".encode("gbk"), "江宁区.txt"),  # GBK bytes: decoded, so the name still names the county
    (b"\xff\xfe\xfd.txt", "\\xff\\xfe\\xfd.txt"),  # neither UTF-8 nor GB18030: escaped
    ("普通名字.txt".encode(), "普通名字.txt"),  # UTF-8: as it is
])
def test_a_name_that_is_not_utf8_on_disk_is_recorded_as_valid_utf8(tmp_path, on_disk, recorded):
    from pipelines.ingest.corpus import recorded_path

    path = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/" + on_disk))
    path.write_text("x", encoding="utf-8")
    assert recorded_path(tmp_path, path) == recorded
    recorded.encode("utf-8")  # storable


def test_a_gbk_name_that_collides_with_a_utf8_one_is_escaped_not_merged(tmp_path):
    from pipelines.ingest.corpus import recorded_path

    (tmp_path / "江宁区.txt").write_text("a", encoding="utf-8")
    gbk = gbk_name(tmp_path, "江宁区.txt")
    gbk.write_text("b", encoding="utf-8")
    assert recorded_path(tmp_path, gbk) == os.fsencode(gbk.name).decode("utf-8", "backslashreplace")
    assert len({recorded_path(tmp_path, p) for p in walk_raw(tmp_path).paths}) == 2


def test_a_build_reads_a_file_whose_name_is_gbk_bytes(tmp_path):
    raw = tmp_path / "raw"
    reports(raw, "江宁区")
    write_txt(gbk_name(raw / "2023", "南京市浦口区2023年法治政府建设年度报告.txt"), ["全年办理法律援助案件77件。"])
    manifest_named = gbk_name(raw, "秦淮区报告.txt")
    write_txt(manifest_named, ["全年办理法律援助案件55件。"])
    (raw / "manifest.csv").write_text("file,county,year\n秦淮区报告.txt,秦淮区,2023\n", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    result = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert rows(warehouse, "SELECT count(*) FROM ingest_errors") == [(0,)]
    got = rows(warehouse, """SELECT f.path, d.county, d.year, v.value FROM document_files f
                              JOIN documents d USING (doc_id) JOIN indicator_facts v USING (doc_id)
                              WHERE v.indicator_code = 'legal_aid_cases' ORDER BY f.path""")
    assert got == [("2023/南京市浦口区2023年法治政府建设年度报告.txt", "浦口区", 2023, 77.0),
                   ("2023/江宁区.txt", "江宁区", 2023, 10.0),
                   ("秦淮区报告.txt", "秦淮区", 2023, 55.0)]
    again = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert again.returncode == 0 and "is up to date" in again.stdout, again.stdout  # the folder digest takes the name
    os.utime(manifest_named)  # touched: planned, hashed, known content
    touched = shufa("build", "--raw", str(raw), "--warehouse", str(warehouse))
    assert touched.returncode == 0 and "0 new, 0 changed" in touched.stdout and "0 failed" in touched.stdout, touched.stdout
    assert rows(warehouse, "SELECT count(*), count(DISTINCT doc_id) FROM indicator_facts") == [(3, 3)]
    inspected = shufa("inspect", "--json", str(manifest_named))
    assert inspected.returncode == 0, inspected.stderr
    assert '"county": "秦淮区"' in inspected.stdout
