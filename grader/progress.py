"""Progress while a batch runs: a bar with rate and ETA on a terminal, a line now and then in CI."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


class PlainProgress:
    """For logs: one short line every ``interval`` seconds and at the end."""

    def __init__(self, total: int, *, stream=None, interval: float = 5.0):
        self.total, self.done, self.interval = total, 0, interval
        self.stream = stream or sys.stderr
        self.started = self.last = time.monotonic()

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= self.interval or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else 0.0
            print(f"graded {self.done}/{self.total} ({rate:.1f}/s, about {eta:.0f} s left)",
                  file=self.stream, flush=True)

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc) -> None:
        pass


class BarProgress:
    """For terminals: a rich progress bar on stderr."""

    def __init__(self, total: int):
        self.progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=True)
        self.task = self.progress.add_task("grading", total=total, rate="")
        self.started = time.monotonic()
        self.done = 0

    def advance(self) -> None:
        self.done += 1
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.progress.update(self.task, advance=1, rate=f"{rate:.1f}/s")

    def __enter__(self) -> BarProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


def progress_for(total: int, *, stream=None):
    """A bar when stderr is a terminal (and not in CI), plain lines otherwise."""
    stream = stream or sys.stderr
    if stream.isatty() and Console(stderr=True).is_terminal:
        return BarProgress(total)
    return PlainProgress(total, stream=stream)
