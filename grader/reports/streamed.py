"""A report file written one submission at a time, appearing whole only once it is complete."""

from __future__ import annotations

from pathlib import Path

from grader.atomic import open_atomic


class StreamedFile:
    """Base for the class-level writers: ``with Writer(...) as w: w.add(result)``."""

    FILENAME = ""
    NEWLINE: str | None = None

    def __init__(self, out: Path):
        self.path = out / self.FILENAME
        self._context = None
        self.file = None

    def __enter__(self):
        self._context = open_atomic(self.path, newline=self.NEWLINE)
        self.file = self._context.__enter__()
        self.begin()
        return self

    def __exit__(self, *exc_info):
        if exc_info[0] is None:
            self.end()
        return self._context.__exit__(*exc_info)

    def begin(self) -> None:
        """Write what comes before the first submission."""

    def end(self) -> None:
        """Write what comes after the last submission."""
