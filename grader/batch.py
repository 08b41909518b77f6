"""Grade a batch of submissions: the Python API behind the ``grade`` command.

Each submission's report is written to disk as soon as it is graded, and only a small
summary row is kept, so memory does not grow with the class. One broken submission never
stops the batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader.assignment import load_assignment
from grader.atomic import write_atomic
from grader.mistakes import load_catalogue
from grader.reports import gradescope
from grader.results import SubmissionResult
from grader.runner import grade_submission
from grader.submission import discover

RESULT_MODEL_FILE = "grader.json"  # the full results model, from which reports are rendered


@dataclass(frozen=True)
class Row:
    """What the summary keeps of one graded submission."""

    student: str
    score: float
    max_score: float
    status: str
    failed: tuple[str, ...]
    mistakes: tuple[str, ...] = ()  # the named mistakes (issue 7), each once


def write_reports(result: SubmissionResult, out: Path) -> None:
    directory = out / result.student
    write_atomic(directory / RESULT_MODEL_FILE, json.dumps(result.to_dict(), indent=1) + "\n")
    gradescope.write(result, directory)


def grade(*, assignment: str, paths: Iterable[str | os.PathLike], out: str | os.PathLike,
          solutions: str | os.PathLike | None = None, jobs: int | None = None,
          limits: dict | None = None,
          on_result: Callable[[Row], None] | None = None) -> list[Row]:
    """Grade every submission under ``paths`` for ``assignment``, writing reports under ``out``.

    Raises :class:`grader.errors.UsageError` before grading anything if the assignment or
    paths are wrong. Returns one :class:`Row` per submission, in the order of the paths.
    """
    submissions = discover(list(paths))
    loaded = load_assignment(assignment, solutions=solutions)
    load_catalogue(loaded)  # a broken mistakes.py is a usage error now, not silence later
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def one(submission) -> Row:
        result = grade_submission(loaded, submission, limits=limits)
        write_reports(result, out)
        row = Row(result.student, result.score, result.max_score, result.status,
                  tuple(check.name for check in result.failed),
                  tuple(dict.fromkeys(c.mistake["name"] for c in result.failed if c.mistake)))
        if on_result is not None:
            on_result(row)
        return row

    workers = max(1, jobs or os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as pool:
        return list(pool.map(one, submissions))
