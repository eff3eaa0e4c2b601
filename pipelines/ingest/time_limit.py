"""Real-time limits inside a reading worker, nestable, so a slow part can have its own allowance.

The parent process also stops a worker that runs past the whole file's allowance (pebble's
timeout), but it cannot tell a stuck text-layer PDF from a scan being OCR'd page by page. Inside
the worker, reading runs under ``time_limit(timeout_s)``, and each OCR'd page under a nested
``time_limit(ocr_page_s)``: a nested limit stops the outer clock while it runs and restarts it
afterwards with what it had left, so each page has its own allowance. SIGALRM works in a process's main thread only; elsewhere (a
thread of a server) the limits do nothing and the parent's timeout still applies.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """Raised inside the limited block when its time is up; ``seconds`` is the limit that ran out."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def _usable(seconds: float | None) -> bool:
    return bool(seconds) and seconds > 0 and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after ``seconds`` (None or 0: no limit); see the module doc."""
    if not _usable(seconds):
        yield
        return

    def expired(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # an enclosing limit: its clock restarts with what it had left
            signal.setitimer(signal.ITIMER_REAL, outer_left)
