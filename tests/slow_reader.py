"""A reader for the timeout test: files named slow* hang; every other file is read normally.

It lives in its own module so that worker processes (spawned, not forked) can import it.
"""

import time

from pipelines.ingest.corpus import ingest_file


def sometimes_hangs(path, relative, limits):
    if path.name.startswith("slow"):
        time.sleep(600)
    return ingest_file(path, relative, limits)
