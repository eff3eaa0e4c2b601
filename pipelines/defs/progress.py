"""Progress lines for long steps: to the run log, and to stderr when the CLI runs the build."""

import sys
import time

import dagster as dg


class ProgressLine:
    """Writes a line at most every ``every_s`` seconds (and always the final one), with the rate so far.

    ``first_at_once`` writes the very first line at once (a long read shows it has started).
    """

    def __init__(self, context: dg.AssetExecutionContext, to_stderr: bool, every_s: float = 2.0,
                 first_at_once: bool = False):
        self.context, self.to_stderr, self.every_s = context, to_stderr, every_s
        self.started = time.perf_counter()
        self.last = 0.0 if first_at_once else self.started

    def rate(self, done: int) -> float:
        return done / max(time.perf_counter() - self.started, 1e-9)

    def due(self, final: bool = False) -> bool:
        now = time.perf_counter()
        if final or now - self.last >= self.every_s:
            self.last = now
            return True
        return False

    def write(self, line: str) -> None:
        self.context.log.info(line)
        if self.to_stderr:
            print(f"  {line}", file=sys.stderr, flush=True)
