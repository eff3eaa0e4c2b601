"""Analyst connections to the published warehouse: read-only, and unable to reach anything else.

``read_only=True`` only protects the warehouse file itself. Without more, SQL typed into ``shufa query``
(or run by a report or a notebook) could still ``COPY … TO`` any file, ``ATTACH`` another DuckDB file
read-write, ``read_text('/etc/shadow')``, or install and load extensions. An analyst connection turns
DuckDB's external access off and locks the configuration, so no statement can switch it back on:

    enable_external_access = false         no file, URL or other database beyond the warehouse
    autoinstall_known_extensions = false   nothing is downloaded
    autoload_known_extensions = false      nothing is loaded behind the user's back
    allow_community_extensions = false
    lock_configuration = true              SET / RESET / PRAGMA cannot undo any of the above

``allow_files=True`` (``shufa query --allow-files``) keeps external access on for an analyst who means to
read or write files from SQL; the warehouse stays read-only and the configuration stays locked.

``connect_for_export`` is the one exception the CLI needs: DuckDB itself writes the export files, but only
inside the export folder (``allowed_directories``), and the connection runs no user SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_NO_EXTENSIONS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}

ANALYST_CONFIG: dict[str, object] = {
    "enable_external_access": False,
    **_NO_EXTENSIONS,
    "lock_configuration": True,
}


def connect_read_only(warehouse: Path | str, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to WAREHOUSE that can reach nothing else (unless ALLOW_FILES)."""
    config = dict(ANALYST_CONFIG)
    if allow_files:
        config["enable_external_access"] = True
    return duckdb.connect(str(warehouse), read_only=True, config=config)


def connect_for_export(warehouse: Path | str, folder: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to WAREHOUSE whose only file access is writing into FOLDER (an existing folder).

    ``allowed_directories`` can only be set once the database is open, so external access is switched off
    and the configuration locked right after; the folder is passed as a parameter, never as SQL text.
    """
    con = duckdb.connect(str(warehouse), read_only=True, config=dict(_NO_EXTENSIONS))
    try:
        con.execute("SET allowed_directories = ?", [[str(Path(folder).resolve())]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def quote_identifier(name: str) -> str:
    """NAME as a DuckDB identifier ("name", inner quotes doubled), for table names from our own catalog."""
    return '"' + name.replace('"', '""') + '"'


def build_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The build an open connection reads (build_info.build_id); None for a warehouse without one."""
    try:
        row = con.execute("SELECT build_id FROM build_info").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def file_identity(path: Path) -> tuple[int, int, int]:
    """What identifies the published file on disk (inode, size, mtime): a build replaces the file, so
    this changes with every publication. Take it when connecting, compare it later (build_is_current)."""
    st = Path(path).stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def build_is_current(path: Path, identity_when_connected: tuple[int, int, int]) -> bool:
    """Whether the warehouse file is still the one a connection opened. An open connection keeps reading
    the build it opened after a new one is published (its file handle points to the replaced file);
    reconnect when this is False. (A second duckdb.connect to the same path in the same process would
    reuse the open database, so the file's identity is the way to know.)"""
    return file_identity(path) == identity_when_connected
