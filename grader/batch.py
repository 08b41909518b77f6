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

from grader import sandbox
from grader.assignment import load_assignment, solutions_dir
from grader.atomic import write_atomic
from grader.errors import UsageError
from grader.launcher import Launcher
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


class IsolationError(UsageError):
    """The machine cannot keep student code away from the hidden files, and --unsafe is off."""


def check_isolation(capabilities: dict, *, unsafe: bool) -> list[str]:
    """Refuse to grade without filesystem isolation unless ``unsafe``; warnings otherwise."""
    warnings = []
    if not capabilities.get("landlock_abi"):
        text = ("filesystem isolation is not available here (Landlock needs Linux 5.13 or newer "
                f"with Landlock enabled; this is {capabilities.get('platform', '?')}), so student "
                "code could read the hidden solutions and other submissions")
        if not unsafe:
            raise IsolationError(text + ". Re-run with --unsafe to grade anyway.")
        warnings.append(f"--unsafe: {text}")
    if not capabilities.get("seccomp"):
        warnings.append("seccomp is not available: student code may start processes and open "
                        "sockets (a network namespace, where available, still blocks the network)")
    return warnings


def write_reports(result: SubmissionResult, out: Path) -> None:
    """Every format, then the results model last: its presence means the report is complete."""
    directory = out / result.student
    gradescope.write(result, directory)
    write_atomic(directory / RESULT_MODEL_FILE, json.dumps(result.to_dict(), indent=1) + "\n")


def finished(out: Path, student: str, assignment: str) -> SubmissionResult | None:
    """The complete earlier result for ``student``, if any (for --resume)."""
    try:
        data = json.loads((out / student / RESULT_MODEL_FILE).read_text())
        result = SubmissionResult.from_dict(data)
    except (OSError, ValueError, TypeError):
        return None
    return result if result.assignment == assignment else None


def row_of(result: SubmissionResult) -> Row:
    return Row(result.student, result.score, result.max_score, result.status,
               tuple(check.name for check in result.failed))


def grade(*, assignment: str, paths: Iterable[str | os.PathLike], out: str | os.PathLike,
          solutions: str | os.PathLike | None = None, jobs: int | None = None,
          limits: dict | None = None, unsafe: bool = False, resume: bool = False,
          on_result: Callable[[Row], None] | None = None,
          on_warning: Callable[[str], None] | None = None) -> list[Row]:
    """Grade every submission under ``paths`` for ``assignment``, writing reports under ``out``.

    Raises :class:`grader.errors.UsageError` before grading anything if the assignment or
    paths are wrong, or if student code cannot be isolated and ``unsafe`` is off. With
    ``resume``, submissions whose reports are complete are not graded again. Returns one
    :class:`Row` per submission, in the order of the paths.
    """
    sandbox.prctl(sandbox.PR_SET_DUMPABLE, 0)  # same-user processes cannot read our memory
    submissions = discover(list(paths))
    out = Path(out)
    protect = [str(solutions_dir(solutions).resolve()), str(out.resolve()),
               *sorted({str(s.path.parent.resolve()) for s in submissions})]
    limits = dict(limits or {}, protect=protect)
    with Launcher() as launcher:  # started before any reference is loaded
        for warning in check_isolation(launcher.capabilities, unsafe=unsafe):
            if on_warning is not None:
                on_warning(warning)
        loaded = load_assignment(assignment, solutions=solutions)
        out.mkdir(parents=True, exist_ok=True)

        def one(submission) -> Row:
            result = finished(out, submission.student, assignment) if resume else None
            if result is None:
                result = grade_submission(loaded, submission, limits=limits, launcher=launcher)
                write_reports(result, out)
            row = row_of(result)
            if on_result is not None:
                on_result(row)
            return row

        workers = max(1, jobs or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade") as pool:
            return list(pool.map(one, submissions))
