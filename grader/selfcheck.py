"""Students check their own work: ``grade check backprop.py`` and the notebook's check cells.

Runs an exercise's released public checks, ``<name>_checks.py`` (:mod:`grader.public`; no
hidden solutions needed), found beside the student's file or in ``assignments/<name>/``.
From the command line the student's file runs in a worker
(:class:`grader.isolation.session.StudentSession`), like when it is graded. In a notebook's
check cell, :func:`check_here` calls the functions already defined in the student's own
kernel, which holds nothing secret.

An older signature the assignment accepts (``Spec.accept``; the public checks declare the
same with ``PublicChecks.accept``) is called through its adapter here too, so a function
``grade`` accepts never fails its self-check for its signature.

Passing the self-check is not the grade: the hidden tests use other inputs and compare
values with the reference.

Gradient verdicts, by relative error ``||a - n|| / (||a|| + ||n||)`` between the student's
backward pass ``a`` and central differences ``n`` of the student's own cost:
below ``GOOD`` (1e-7) good; below ``SUSPICIOUS`` (1e-4) suspicious (often a small slip that
only shows on some entries, or a cost not computed in float64); else wrong.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import FunctionType, SimpleNamespace

import numpy as np

from grader.errors import UsageError
from grader.grading.checks import CheckFailed
from grader.grading.spec import Student, adapters_for
from grader.isolation import calling, wire, worker
from grader.isolation.session import StudentCallError
from grader.public import RELEASED_MARK, SUFFIX, PublicChecks, load_file, released_name
from grader.public.gradients import (  # noqa: F401 (where public checks used to find them)
    GOOD,
    SUSPICIOUS,
    fails_if_wrong,
    gradient_table,
    verdict,
)

COURSE = Path("assignments")  # a course repository's released folders, under the cwd
PASSED, FAILED = "passed", "failed"
NOT_THE_GRADE = ("Passing the self-check is not your grade: the grader runs hidden tests on "
                 "other inputs and compares your values with the reference solution.")


@dataclass
class Outcome:
    check: str
    function: str
    status: str  # PASSED | FAILED
    message: str = ""
    data: dict = field(default_factory=dict)
    points: float = 0.0  # what the check is worth (PublicChecks.points), earned if passed


@dataclass
class Report:
    assignment: str
    source_file: str
    outcomes: list[Outcome] = field(default_factory=list)
    # what `grade` notes too: older signatures accepted, statements skipped, a second load
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(o.status == PASSED for o in self.outcomes)


def run_checks(checks: PublicChecks, student, functions=None) -> list[Outcome]:
    """Run the public checks of ``functions`` (default: all) against ``student`` (a session
    or a LocalStudent; the checks see only its functions, as a :class:`Student`)."""
    outcomes = []
    for item in checks.items:
        if functions is not None and item.function not in functions:
            continue
        outcome = Outcome(item.name, item.function, FAILED, points=checks.points(item))
        try:
            with np.errstate(all="ignore"):
                outcome.data = item.run(Student(student)) or {}
        except (CheckFailed, StudentCallError) as failure:
            outcome.message = str(failure)
            outcome.data = getattr(failure, "data", {}) or {}
        else:
            outcome.status = PASSED
            outcome.message = str(outcome.data.pop("note", ""))  # why it passed, if it says
        outcomes.append(outcome)
    return outcomes


class LocalStudent:
    """The student's functions from a namespace (a notebook kernel's globals), called the
    way a worker calls them (:func:`grader.isolation.calling.call`: on copies, with a fixed
    seed), and results passed through :mod:`grader.isolation.wire`, so checks see exactly the
    same plain data."""

    def __init__(self, namespace: dict, filename: str = "the notebook"):
        self.namespace, self.filename = namespace, filename
        self.adapters: dict = {}  # function -> adapter(args, kwargs), as a session's

    def accept(self, alternatives) -> list[str]:
        """Call the functions written in an accepted older signature through its adapter
        (as ``grade`` does); returns the notes saying so."""
        names = [a.function for a in alternatives if callable(self.namespace.get(a.function))]
        found = worker.signatures(SimpleNamespace(**{n: self.namespace[n] for n in names}),
                                  names)
        self.adapters, notes = adapters_for(alternatives, found)
        return notes

    def raised_in(self, exc: BaseException) -> str | None:
        """The student's function whose line raised (the innermost frame in a cell that
        defines one of the namespace's functions), as a worker names it."""
        cells = {value.__code__.co_filename for value in self.namespace.values()
                 if isinstance(value, FunctionType)}
        mine = [frame.f_code for frame, _ in traceback.walk_tb(exc.__traceback__)
                if frame.f_code.co_filename in cells]
        name = calling.owner(mine[-1]) if mine else ""
        return name if name.isidentifier() else None

    def call(self, function: str, args: tuple = (), kwargs: dict | None = None, *,
             seed: int = 0, timeout: float | None = None):
        target = self.namespace.get(function)
        if not callable(target):
            raise StudentCallError("missing", f"{self.filename} has no function `{function}`: "
                                   "run its cell first")
        adapter = self.adapters.get(function)
        args, kwargs = adapter(tuple(args), dict(kwargs or {})) if adapter else (args, kwargs)
        header, blobs = calling.request(function, args, dict(kwargs or {}), seed)
        try:
            value = calling.call(target, header, blobs)
        except calling.Raised as raised:
            exc = raised.exception
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if f.filename != calling.__file__]
            where = f" (line {frames[-1].lineno}, in {frames[-1].name})" if frames else ""
            if isinstance(exc, NotImplementedError):
                raise StudentCallError("exception", f"`{function}` is not written yet: it "
                                       f"still raises NotImplementedError{where}",
                                       self.raised_in(exc)) from None
            raise StudentCallError("exception", f"`{function}` raised {type(exc).__name__}: "
                                   f"{exc}{where}", self.raised_in(exc)) from None
        out: list[bytes] = []
        try:
            return wire.decode_value(wire.encode_value(value, out), out)
        except Exception as exc:
            raise StudentCallError("output", f"`{function}` returned data the grader cannot "
                                   f"read: {type(exc).__name__}: {exc}") from None


def defined_functions(source: str) -> set[str]:
    """The functions a source defines at top level (parsed, not run)."""
    try:
        return {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}
    except SyntaxError:
        return set()


def released_checks_for(assignment: str, folder: Path) -> PublicChecks:
    """``<assignment>_checks.py`` beside the student's file, else in assignments/<name>/."""
    name = released_name(assignment)
    for place in (folder / name, COURSE / assignment / name):
        if place.is_file():
            return load_file(place)
    raise LookupError(f"no public self-check for assignment {assignment!r}: "
                      f"{name} is not beside your file (it comes with the "
                      "assignment; `grade release` writes it to assignments/" f"{assignment}/)")


def loadable(paths) -> list[PublicChecks]:
    """The released checks among ``paths``: only files ``grade release`` wrote are run
    (a student's own ``*_checks.py`` is not)."""
    found = []
    for path in paths:
        with contextlib.suppress(LookupError, OSError, UnicodeDecodeError):
            with open(path, encoding="utf-8") as file:
                if not file.readline().startswith(RELEASED_MARK):
                    continue
            found.append(load_file(path))
    return found


def find_checks(path: Path, source: str, assignment: str | None = None) -> PublicChecks:
    """The public checks for the student's file: ``--assignment``'s; else the one released
    file beside it; else the one exercise whose every graded function the file defines (or,
    if none, whose student file has its name). Never a partial match: otherwise a
    UsageError names the candidates and asks for ``--assignment``."""
    if assignment:
        return released_checks_for(assignment, path.parent)
    beside = loadable(sorted(path.parent.glob("*" + SUFFIX)))
    if len(beside) == 1:
        return beside[0]
    pool = beside or loadable(sorted(COURSE.glob("*/*" + SUFFIX)))
    defined = defined_functions(source)
    matches = [c for c in pool if c.functions and set(c.functions) <= defined] or \
        [c for c in pool if Path(c.student_file).stem == path.stem]
    if len(matches) == 1:
        return matches[0]
    named = sorted(c.name for c in (matches or [c for c in pool if defined & set(c.functions)]
                                    or pool))
    which = (f"it could be {', '.join(named)}" if named else
             f"no <assignment>{SUFFIX}, released with the assignment, is beside it")
    raise UsageError(f"cannot tell which assignment {path.name} is for ({which}): "
                     "pass --assignment NAME")


def self_check(path: str | os.PathLike, *, assignment: str | None = None,
               checks: str | os.PathLike | None = None) -> Report:
    """Run the public checks on a student's .py or .ipynb file, its code in a worker:
    those of ``checks`` (a released ``<name>_checks.py``, e.g. the instructor's copy in a
    CI job) if given, else found by :func:`find_checks`."""
    from grader.grading.runner import load_as_graded
    from grader.isolation.session import StudentSession
    from grader.loading.notebook import NotebookError, notebook_source
    from grader.loading.submission import SubmissionRejected, read_source

    path = Path(path)
    if not path.is_file() or path.suffix not in (".py", ".ipynb"):
        raise UsageError(f"{path} is not a .py or .ipynb file")
    try:
        source, locate = read_source(path), None
        if path.suffix == ".ipynb":
            notebook = notebook_source(source, path.name)
            source, locate = notebook.source, notebook.locate
    except (SubmissionRejected, NotebookError) as exc:
        raise UsageError(str(exc)) from None
    try:
        checks = load_file(checks) if checks else find_checks(path, source, assignment)
        if assignment and checks.name != assignment:
            raise LookupError(f"{checks.name}'s checks given for assignment {assignment!r}")
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    report = Report(checks.name, path.name)
    with provided_beside(path, checks.provided, checks.folder) as limits:
        def session(text: str) -> StudentSession:
            return StudentSession(text, checks.student_file, timeouts=checks.timeouts,
                                  locate=locate, limits=limits, shown=path.name,
                                  signatures_of=tuple(a.function for a in checks.alternatives))

        # the loading rule of `grade`, so that both agree
        student, error, notes = load_as_graded(session, source, path.name,
                                               script=locate is None)
        with student:
            if error is not None:
                report.outcomes = [Outcome(i.name, i.function, FAILED, str(error),
                                           points=checks.points(i))
                                   for i in checks.items]
            else:
                student.adapters, accepted = adapters_for(checks.alternatives,
                                                          student.signatures)
                report.notes = notes + student.skipped_notes() + accepted
                report.outcomes = run_checks(checks, student)
    return report


@contextlib.contextmanager
def provided_beside(path: Path, modules: tuple[str, ...], released: Path | None = None):
    """Worker limits that make the assignment's helper modules importable, each found
    beside the student's file or else beside the released checks (a missing helper costs
    nothing in `grade`, nor here), copied to a folder of their own: the worker treats what
    comes from a provided folder as not the student's, so the student's folder cannot be one."""
    found = [next((folder / name for folder in (path.parent, released)
                   if folder is not None and (folder / name).is_file()), None)
             for name in modules]
    found = [module for module in found if module is not None]
    if not found:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="bpg-check-provided-") as folder:
        os.chmod(folder, 0o755)
        for module in found:
            shutil.copyfile(module, os.path.join(folder, module.name))
            os.chmod(os.path.join(folder, module.name), 0o644)
        yield {"provided": [folder]}


def render(report: Report, console=None) -> None:
    """Print the outcomes, the gradient table(s) and the reminder that this is not the grade."""
    from rich.console import Console
    from rich.table import Table

    from grader.reports.terminal import plain

    console = console or Console()
    table = Table(title=f"self-check of {plain(report.source_file)} ({report.assignment})")
    for column in ("function", "check", "result"):
        table.add_column(column, overflow="fold")
    for outcome in report.outcomes:
        mark = ("[green]ok[/]" if outcome.status == PASSED
                else f"[red]FAILED[/] {plain(outcome.message)}")
        table.add_row(outcome.function, outcome.check, mark)
    console.print(table)
    for note in report.notes:
        console.print(f"note: {plain(note)}")
    for outcome in report.outcomes:
        rows = outcome.data.get("gradient_check")
        if not rows:
            continue
        grid = Table(title=f"gradient check: {outcome.function} against central differences "
                     f"(good < {GOOD:g}, suspicious < {SUSPICIOUS:g}, else wrong)")
        for column in ("tensor", "relative error", "verdict", "note"):
            grid.add_column(column, overflow="fold")
        colour = {"good": "green", "suspicious": "yellow", "wrong": "red"}
        for row in rows:
            error = row["relative_error"]
            grid.add_row(row["tensor"], "-" if error is None else f"{error:.2e}",
                         f"[{colour[row['verdict']]}]{row['verdict']}[/]", plain(row["note"]))
        console.print(grid)
    console.print(NOT_THE_GRADE, style="bold")


def check_here(assignment: str, function: str, namespace: dict) -> bool:
    """A notebook's check cell: the public checks of ``function`` on the kernel's own code
    (the released ``<assignment>_checks.py`` beside the notebook: the kernel's folder)."""
    try:
        checks = released_checks_for(assignment, Path.cwd())
    except LookupError as missing:  # said in the cell's output; the notebook goes on
        print(f"self-check not run: {missing}")
        return False
    student = LocalStudent(namespace)
    notes = [note for note in student.accept(checks.alternatives)
             if note.startswith(f"{function}(")]
    report = Report(assignment, "this notebook",
                    run_checks(checks, student, functions={function}), notes)
    render(report)
    return report.passed
