"""Grade one submission: read it, load it into a worker, run every test, collect results.

Tests run in this (trusted) process and talk to the student's code only through the
session. A student's failure fails a check; a failure of the grader itself marks the
check ``error`` and the submission ``not_gradable``, never a silent zero.
"""

from __future__ import annotations

import time

from grader.grading.diagnosis import diagnose_check, name_mistakes
from grader.grading.plan import plan_for
from grader.grading.results import (
    ERROR,
    FAILED,
    NOT_GRADABLE,
    CheckResult,
    SubmissionResult,
)
from grader.grading.spec import Test, run_test
from grader.isolation.launcher import Launcher
from grader.isolation.session import KEEP_BYTES, StudentSession
from grader.loading.assignment import Assignment, published_provided
from grader.loading.notebook import NotebookError, notebook_source
from grader.loading.script import script_source
from grader.loading.submission import Submission, SubmissionRejected, printable, read_source


def checked(assignment: Assignment, test: Test, student: StudentSession,
            fitting: list | None) -> CheckResult:
    """Run ``test``; when it fails and ``fitting`` is a list, add the catalogued mistakes its
    recorded calls show (named afterwards by diagnosis.name_mistakes)."""
    evidence = [] if fitting is not None else None
    result = run_test(test, student, assignment.reference, evidence=evidence)
    if result.status == FAILED and evidence is not None:
        fitting += fitting_mistakes(assignment, test, evidence)
    return result


def fitting_mistakes(assignment: Assignment, test: Test, calls: list) -> list:
    """The catalogued mistakes the evidence shows; never fails the grading."""
    try:
        return diagnose_check(assignment, test.id, calls)
    except Exception:  # a broken catalogue must not cost a student anything
        return []


def failed_everywhere(assignment: Assignment, message: str) -> list[CheckResult]:
    return [CheckResult(t.name, t.function, 0.0, t.points, FAILED, message)
            for t in assignment.spec.tests]


def grade_submission(assignment: Assignment, submission: Submission, *,
                     limits: dict | None = None, launcher: Launcher | None = None,
                     unsafe: bool = False, diagnose: bool = True,
                     plots: bool = True, prefetch: bool = True,
                     keep_bytes: int = KEEP_BYTES) -> SubmissionResult:
    """Grade one submission end to end; always returns a result, whatever the code does.

    Whatever fails in the grader itself, at any stage (identifying the file, reading it,
    extracting a notebook's code, starting the worker, running the checks), makes this one
    submission not gradable, with a reason naming the stage; it never raises ``Exception``.
    ``diagnose=False`` skips naming mistakes (grade audit's mutants need only the score);
    ``plots=False`` skips the student calls whose results only a plot would show;
    ``prefetch=False`` makes every call on its own (:mod:`grader.grading.plan`; same results);
    ``keep_bytes`` caps what the submission's replies may make the grader keep.
    """
    started = time.monotonic()
    result = SubmissionResult(submission.student, assignment.name, submission.shown)
    stage = Stage("identifying the file")
    try:
        if submission.problem:
            raise DiscoveryError(submission.problem)
        stage.now = "reading the file"
        source = read_source(submission.path)
        shown = printable(submission.path.name)
        locate, why_missing, script = None, {}, True
        if submission.path.suffix == ".ipynb":  # only its definitions are loaded
            stage.now = "extracting the notebook's code"
            notebook = notebook_source(source, shown)
            source, locate, why_missing = notebook.source, notebook.locate, notebook.unparsed
            script = False  # its script code was never loaded
    except (SubmissionRejected, NotebookError) as rejected:
        result.checks = failed_everywhere(assignment, str(rejected))
    except Exception as exc:
        grader_failed(result, stage.now, exc)
    else:
        try:
            run_checks(assignment, source, result, stage, limits=limits, launcher=launcher,
                       locate=locate, diagnose=diagnose, plots=plots, prefetch=prefetch,
                       keep_bytes=keep_bytes, shown=shown, why_missing=why_missing,
                       script=script)
            result.protections = dict(result.protections, unsafe=unsafe)
        except Exception as exc:  # the grader could not run this submission at all
            grader_failed(result, stage.now, exc)
    unevaluated = [check.name for check in result.checks if check.status == ERROR]
    if unevaluated and result.status != NOT_GRADABLE:
        result.status = NOT_GRADABLE
        result.reason = ("the grader failed while running the checks: it could not evaluate "
                         + ", ".join(repr(name) for name in unevaluated))[:500]
    result.execution_time = round(time.monotonic() - started, 3)
    return result


class Stage:
    """What grading one submission is doing now, to name it if the grader fails there."""

    def __init__(self, now: str) -> None:
        self.now = now


class DiscoveryError(RuntimeError):
    """The file could not be identified when the batch listed its submissions."""


def grader_failed(result: SubmissionResult, stage: str, exc: Exception) -> None:
    """Mark ``result`` not gradable: the grader itself failed while at ``stage``."""
    result.status = NOT_GRADABLE
    result.reason = f"the grader failed while {stage}: {type(exc).__name__}: {exc}"[:500]


def load_as_graded(session, source: str, shown: str, *, script: bool, again=None):
    """The one loading rule (`grade` and `grade check` alike): ``session(source)`` loaded
    as written; with ``script`` (a .py file), a source that cannot be loaded as a whole (a
    training run past the load's time limit, an exit at the bottom) loaded again without
    its script code (:mod:`grader.loading.script`). Returns the session (open), the error
    that stops every call or None, and the notes that say what was done."""
    student, notes = session(source), []
    try:
        load_error = student.loads()
        without = script_source(source) if load_error is not None and script else None
        if without is not None and without.not_run:
            student.close()
            if again is not None:
                again()
            notes = [f"{load_error}; so it was loaded again without its script code: "
                     f"{without.note(shown)}"]
            student = session(without.source)
            load_error = student.loads()
    except BaseException:
        student.close()
        raise
    return student, load_error, notes


def run_checks(assignment: Assignment, source: str, result: SubmissionResult, stage: Stage,
               *, limits, launcher, locate, diagnose: bool, plots: bool,
               prefetch: bool, keep_bytes: int, shown: str | None = None,
               why_missing: dict | None = None, script: bool = False) -> None:
    """Load ``source`` in a worker and fill in ``result``'s checks, saying in ``stage``
    what it is doing. With ``script`` (a .py file), a source that cannot be loaded as a
    whole (a training run past the load's time limit, an exit at the bottom) is loaded again
    without its script code (:mod:`grader.loading.script`)."""
    spec = assignment.spec
    stage.now = "starting the worker"
    if assignment.provided:  # the assignment's public helper modules: read-only, importable
        limits = dict(limits or {}, provided=[published_provided(assignment)])

    def session(text: str) -> StudentSession:
        return StudentSession(text, spec.student_file, limits=limits,
                              default_timeout=spec.default_timeout,
                              timeouts=spec.timeouts, launcher=launcher,
                              locate=locate, plots=plots, keep_bytes=keep_bytes,
                              shown=shown, why_missing=why_missing,
                              signatures_of=tuple(a.function for a in spec.alternatives))

    def again() -> None:
        stage.now = "loading the file without its script code"

    student, load_error, notes = load_as_graded(session, source, shown or spec.student_file,
                                                script=script, again=again)
    with student:
        stage.now = "running the checks"
        if load_error is not None:
            result.checks = failed_everywhere(assignment, str(load_error))
        else:
            result.notes = notes + student.skipped_notes()
            student.adapters, accepted = spec.adapters_for(student.signatures,
                                                           assignment.reference)
            result.notes += accepted
            # the plan's order holds either way: no call goes out while its inputs hold
            # the reference's answer to a call this student has not answered yet
            student.prefetch(plan_for(assignment, plots=plots), send=prefetch)
            fits = [[] for _ in spec.tests]
            result.checks = [checked(assignment, t, student, found if diagnose else None)
                             for t, found in zip(spec.tests, fits, strict=True)]
            stage.now = "naming mistakes"
            try:
                name_mistakes(result.checks, dict(enumerate(fits)))
            except Exception as exc:  # advice only: the score stands, and the report says so
                result.reason = (f"no mistakes named: the grader failed while naming them: "
                                 f"{type(exc).__name__}: {exc}")[:500]
        stage.now = "stopping the worker"
    result.output = student.output.decode("utf-8", "replace")
    result.protections = dict(student.protections)
