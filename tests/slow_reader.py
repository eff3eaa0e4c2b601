"""A reader for the timeout test: files named slow* hang; every other file is read normally.

It lives in its own module so that worker processes (spawned, not forked) can import it.
"""

import time

from pipelines.ingest.corpus import ingest_file


def sometimes_hangs(path, relative, limits):
    if path.name.startswith("slow"):
        time.sleep(600)
    return ingest_file(path, relative, limits)


def appends_first(path, relative, limits):
    """Files named growing* get another line just before they are read, as a copy still in progress would."""
    if path.name.startswith("growing"):
        with path.open("a", encoding="utf-8") as handle:
            handle.write("全年办理法律援助案件7件。\n")
    return ingest_file(path, relative, limits)
