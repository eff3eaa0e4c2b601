"""``shufa query``/``export``/``report`` on hostile input, run as the real command in a subprocess.

An analyst connection reaches nothing but the warehouse (no COPY TO, ATTACH, read_text, extensions, or
SET to undo that) unless ``query --allow-files``; no path or name the user types ends up in SQL text; an
output path that is an existing file is a clean error (exit 2), never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

SHUFA = [sys.executable, "-m", "pipelines.cli"]
REPO = Path(__file__).resolve().parents[1]
EXPORTED = ("dim_county", "dim_indicator", "indicator_values", "county_rankings", "yoy_trends", "county_scorecard")

# every character that has broken a path or name in SQL text somewhere: quotes, a statement separator,
# spaces and Chinese
HOSTILE = "q'u\"o;t e 中文"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    result = subprocess.run([*SHUFA, *args], capture_output=True, text=True, cwd=cwd, env=dict(os.environ), timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="module")
def warehouse(sample_warehouse) -> Path:
    return sample_warehouse


@pytest.fixture(scope="module")
def hostile_warehouse(sample_warehouse, tmp_path_factory) -> Path:
    """A copy of the sample warehouse at a path full of quotes, a semicolon, spaces and Chinese."""
    folder = tmp_path_factory.mktemp("hostile") / f"仓库 {HOSTILE}"
    folder.mkdir()
    path = folder / f"w'h\"; 数据 {HOSTILE}.duckdb"
    shutil.copyfile(sample_warehouse, path)
    return path


def _rows(warehouse: Path, table: str) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _other_database(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE precious AS SELECT * FROM (VALUES (1, 'keep'), (2, 'me')) AS t(id, note)")
    return path


def _contents(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM precious ORDER BY id").fetchall()


# ---------------------------------------------------------------------------------------------
# (a) shufa query reaches nothing but the warehouse

def test_query_still_answers_questions(warehouse):
    result = run("query", "SELECT count(*) AS n FROM documents", "--format", "csv", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "n" and int(result.stdout.splitlines()[1]) > 0


def test_query_cannot_copy_to_a_file(warehouse, tmp_path):
    victim = _other_database(tmp_path / "victim.duckdb")
    before = victim.read_bytes()
    target = tmp_path / "out.csv"
    for sql in (f"COPY (SELECT * FROM documents) TO '{target}'",
                f"COPY (SELECT 1) TO '{victim}' (FORMAT csv)",
                f"EXPORT DATABASE '{tmp_path / 'dump'}'"):
        result = run("query", sql, "--warehouse", str(warehouse))
        assert result.returncode == 1
        assert "file system operations are disabled" in result.stderr and "--allow-files" in result.stderr
    assert not target.exists() and not (tmp_path / "dump").exists()
    assert victim.read_bytes() == before


def test_query_cannot_attach_another_database_read_write(warehouse, tmp_path):
    other = _other_database(tmp_path / "other.duckdb")
    before = (other.read_bytes(), _contents(other))
    for sql in (f"ATTACH '{other}' AS o (READ_WRITE); DELETE FROM o.precious",
                f"ATTACH '{other}' AS o; DROP TABLE o.precious",
                f"SELECT * FROM '{other}'"):
        result = run("query", sql, "--warehouse", str(warehouse))
        assert result.returncode == 1
        assert "file system operations are disabled" in result.stderr
    assert (other.read_bytes(), _contents(other)) == before


def test_query_cannot_read_files_outside(warehouse, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret is 42", encoding="utf-8")
    for sql in (f"SELECT * FROM read_text('{secret}')", "SELECT * FROM read_csv('/etc/passwd')",
                f"SELECT * FROM glob('{tmp_path}/*')"):
        result = run("query", sql, "--warehouse", str(warehouse))
        assert result.returncode == 1
        assert "file system operations are disabled" in result.stderr
        assert "secret" not in result.stdout and "root:" not in result.stdout


@pytest.mark.parametrize("sql", ["INSTALL httpfs", "LOAD httpfs", "LOAD '/tmp/evil.duckdb_extension'"])
def test_query_cannot_install_or_load_extensions(warehouse, sql):
    result = run("query", sql, "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert "disabled" in result.stderr and "shufa query" in result.stderr


@pytest.mark.parametrize("sql", [
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET lock_configuration = false",
    "SET allowed_directories = ['/']",
])
def test_query_cannot_unlock_the_configuration(warehouse, tmp_path, sql):
    target = tmp_path / "after.csv"
    result = run("query", f"{sql}; COPY (SELECT 1) TO '{target}'", "--warehouse", str(warehouse))
    assert result.returncode == 1
    assert "the configuration has been locked" in result.stderr
    assert "settings cannot be changed" in result.stderr
    assert not target.exists()


def test_query_cannot_write_the_warehouse(warehouse):
    result = run("query", "CREATE TABLE pwned AS SELECT 1", "--warehouse", str(warehouse))
    assert result.returncode == 1 and "read-only" in result.stderr


def test_allow_files_lets_sql_read_and_write_files(warehouse, tmp_path):
    secret = tmp_path / "notes.txt"
    secret.write_text("县级数据 ok", encoding="utf-8")
    result = run("query", f"SELECT content FROM read_text('{secret}')", "--format", "csv", "--allow-files",
                 "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert "县级数据 ok" in result.stdout
    target = tmp_path / "docs.csv"
    result = run("query", f"COPY (SELECT doc_id FROM documents) TO '{target}'", "--allow-files",
                 "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert target.is_file()
    # the warehouse itself is still read-only, and the settings still locked
    assert run("query", "CREATE TABLE x AS SELECT 1", "--allow-files", "--warehouse", str(warehouse)).returncode == 1
    locked = run("query", "SET autoload_known_extensions = true", "--allow-files", "--warehouse", str(warehouse))
    assert locked.returncode == 1 and "locked" in locked.stderr


def test_allow_files_is_documented():
    result = run("query", "--help")
    assert result.returncode == 0 and "--allow-files" in result.stdout
    assert "--allow-files" in (REPO / "docs" / "analysts.md").read_text("utf-8")


def test_test_data_runs_on_the_locked_connection(warehouse):
    result = run("test-data", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout


# ---------------------------------------------------------------------------------------------
# (b) no path or name typed by the user becomes SQL text

def _injections(tmp_path: Path) -> list[str]:
    pwn = tmp_path / "pwn.csv"
    return [
        f"x'); COPY (SELECT 1) TO '{pwn}",
        f"x' (FORMAT csv); COPY (SELECT 1) TO '{pwn}' (FORMAT csv); --",
        f"导出 {HOSTILE}",
    ]


def _no_injected_file(tmp_path: Path) -> None:
    """No pwn.csv was written: the only things of that name are folders (a DIR argument holding a '/')."""
    assert not (tmp_path / "pwn.csv").exists()
    written = [p for p in tmp_path.rglob("pwn*") if not p.is_dir()]
    assert not written, written
    assert not Path("/tmp/pwn.csv").exists()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_to_hostile_folder_names(hostile_warehouse, tmp_path, fmt):
    for i, name in enumerate(_injections(tmp_path)):
        folder = tmp_path / f"run{i}" / name
        result = run("export", str(folder), "--format", fmt, "--warehouse", str(hostile_warehouse))
        assert result.returncode == 0, result.stderr
        _no_injected_file(tmp_path)
        for table in EXPORTED:
            target = folder / f"{table}.{fmt}"
            assert target.is_file(), target
        with duckdb.connect() as con:
            reader = "read_parquet" if fmt == "parquet" else "read_csv"
            n = con.execute(f"SELECT count(*) FROM {reader}(?)", [str(folder / f"dim_county.{fmt}")]).fetchone()[0]
        assert n == _rows(hostile_warehouse, "dim_county")


def test_export_relative_hostile_folder(hostile_warehouse, tmp_path):
    result = run("export", f"out {HOSTILE}", "--format", "csv", "--warehouse", str(hostile_warehouse), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"out {HOSTILE}" / "yoy_trends.csv").is_file()


def test_query_and_report_on_a_hostile_warehouse_path(hostile_warehouse, tmp_path):
    result = run("query", "SELECT count(*) FROM documents", "--warehouse", str(hostile_warehouse))
    assert result.returncode == 0, result.stderr
    for i, name in enumerate(_injections(tmp_path)[::2]):
        out = tmp_path / f"r{i}" / name
        result = run("report", "--county", "平阳县", "--out", str(out), "--warehouse", str(hostile_warehouse))
        assert result.returncode == 0, result.stderr
        assert (out / "330326-平阳县.html").is_file()
        _no_injected_file(tmp_path)


@pytest.mark.parametrize("county", [
    "a'b",
    "平阳县'",
    "' OR 1=1 --",
    '"; COPY (SELECT 1) TO \'/tmp/pwn.csv\'; --',
])
def test_report_with_a_hostile_county_is_a_clean_error(hostile_warehouse, tmp_path, county):
    before = _rows(hostile_warehouse, "documents")
    result = run("report", "--county", county, "--out", str(tmp_path / "reports"), "--warehouse", str(hostile_warehouse))
    assert result.returncode == 2
    assert result.stderr.startswith("shufa report: ") and "no county-level division" in result.stderr
    assert not (tmp_path / "reports").exists()
    assert _rows(hostile_warehouse, "documents") == before
    _no_injected_file(tmp_path)


# ---------------------------------------------------------------------------------------------
# (c) an output path that is a file, and a warehouse that is not one

@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "already here.txt"
    path.write_text("do not touch", encoding="utf-8")
    return path


def test_export_onto_an_existing_file_is_a_clean_error(warehouse, a_file):
    for target, fmt in ((a_file, "parquet"), (a_file / "sub", "csv")):
        result = run("export", str(target), "--format", fmt, "--warehouse", str(warehouse))
        assert result.returncode == 2
        assert result.stderr.startswith("shufa export: ") and "is an existing file, not a folder" in result.stderr
    assert a_file.read_text("utf-8") == "do not touch"


def test_report_onto_an_existing_file_is_a_clean_error(warehouse, a_file):
    for target in (a_file, a_file / "sub"):
        result = run("report", "--county", "平阳县", "--out", str(target), "--warehouse", str(warehouse))
        assert result.returncode == 2
        assert result.stderr.startswith("shufa report: ") and "is an existing file, not a folder" in result.stderr
    assert a_file.read_text("utf-8") == "do not touch"


def test_report_where_the_page_is_a_folder_is_a_clean_error(warehouse, tmp_path):
    (tmp_path / "330326-平阳县.html").mkdir()
    result = run("report", "--county", "平阳县", "--out", str(tmp_path), "--warehouse", str(warehouse))
    assert result.returncode == 2 and "cannot write" in result.stderr


def test_export_replaces_table_files_already_in_the_folder(warehouse, tmp_path):
    (tmp_path / "dim_county.parquet").write_text("stale", encoding="utf-8")
    (tmp_path / "yoy_trends.parquet").write_bytes(b"\0" * 10_000)
    (tmp_path / "mine.txt").write_text("unrelated", encoding="utf-8")
    for _ in range(2):
        result = run("export", str(tmp_path), "--warehouse", str(warehouse))
        assert result.returncode == 0, result.stderr
    with duckdb.connect() as con:
        for table in ("dim_county", "yoy_trends"):
            n = con.execute("SELECT count(*) FROM read_parquet(?)", [str(tmp_path / f"{table}.parquet")]).fetchone()[0]
            assert n == _rows(warehouse, table)
    assert (tmp_path / "mine.txt").read_text("utf-8") == "unrelated"


@pytest.mark.parametrize("kind", ["folder", "symlink"])
def test_export_refuses_a_table_file_that_is_not_a_file(warehouse, tmp_path, kind):
    elsewhere = tmp_path / "elsewhere.csv"
    folder = tmp_path / "out"
    folder.mkdir()
    if kind == "folder":
        (folder / "dim_county.csv").mkdir()
    else:
        (folder / "dim_county.csv").symlink_to(elsewhere)
    result = run("export", str(folder), "--format", "csv", "--warehouse", str(warehouse))
    assert result.returncode == 2 and "not a file" in result.stderr
    assert not elsewhere.exists()
    assert not (folder / "yoy_trends.csv").exists()  # refused before writing anything


@pytest.mark.parametrize("command", [["query", "SELECT 1"], ["export", "OUT"], ["test-data"],
                                     ["report", "--county", "平阳县", "--out", "OUT"]])
def test_a_warehouse_that_is_not_one_is_a_clean_error(tmp_path, a_file, command):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    for warehouse in (a_file, tmp_path):  # not a DuckDB file; a folder
        result = run(*args, "--warehouse", str(warehouse))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"shufa {command[0]}: ")
    assert not (tmp_path / "out").exists()
