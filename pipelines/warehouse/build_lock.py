"""One build at a time per warehouse: an OS file lock beside the published file.

Two builds of one warehouse share its draft, so a second build that started while the first
was auditing could delete the first one's draft or publish an empty file. Every build (the
CLI's, the nightly schedule's, a run from the Dagster UI) holds this lock from its first step
to its last; the lock is ``flock`` on ``<warehouse>.lock``, so the kernel releases it when the
holding process ends, however it ends (``kill -9`` included) and a stale lock cannot block the
next night.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path


class BuildLocked(RuntimeError):
    """Another build of the same warehouse is running."""

    PREFIX = "another build of this warehouse is running"


def lock_path(published: Path) -> Path:
    return published.with_name(published.name + ".lock")


class BuildLock:
    """``acquire(wait)`` takes the lock or raises BuildLocked; ``release()`` gives it back."""

    def __init__(self, published: Path):
        self.path = lock_path(published)
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def acquire(self, wait: bool = False, poll_s: float = 0.5) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    holder = self._holder()
                    os.close(fd)
                    raise BuildLocked(f"{BuildLocked.PREFIX} ({holder}; lock {self.path}): "
                                      "try again when it has finished, or pass --wait to queue behind it") from None
                if not told:
                    print(f"waiting for the build holding {self.path} ({self._holder()}) to finish ...",
                          file=sys.stderr, flush=True)
                    told = True
                time.sleep(poll_s)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
