"""Grade a batch of submissions: the Python API behind the ``grade`` command.

Each submission's report is written to disk as soon as it is graded, and only a small
summary row is kept, so memory does not grow with the class. One broken submission never
stops the batch.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from functools import partial
from pathlib import Path, PurePath

from grader.atomic import PendingFiles, write_atomic
from grader.errors import CannotGradeSafely, UsageError
from grader.grading.mistakes import load_catalogue
from grader.grading.plan import plan_for
from grader.grading.provenance import provenance
from grader.grading.results import ERROR, NOT_GRADABLE, CheckResult, SubmissionResult
from grader.grading.runner import grade_submission, grader_failed
from grader.isolation import layers, sandbox
from grader.isolation.launcher import PRELOADS, Launcher, adopt_early, cpus_for, pin
from grader.isolation.session import keep_bytes_for
from grader.loading.assignment import (
    Assignment,
    load_assignment,
    published_provided,
    solutions_dir,
)
from grader.loading.layouts import choose, discover_all
from grader.loading.submission import Submission, SubmissionRejected, read_source
from grader.pool import GradingProcessError, grade_in_processes
from grader.reports import gradescope

# report.html's and the class files' code (jinja2, Pillow) is imported by prepare() while the
# templates finish starting, or on first use: `grade` on one file waits for nothing it
# does not need yet


def write_class_reports(out: Path, **options) -> list[Path]:
    from grader.reports.classwide import write_class_reports

    return write_class_reports(out, **options)

FEEDBACK_LEVELS = ("full", "summary", "score")
RESULT_MODEL_FILE = "grader.json"  # the full results model, from which reports are rendered


@dataclass(frozen=True)
class Row:
    """What the summary keeps of one graded submission."""

    student: str
    score: float
    max_score: float
    status: str
    failed: tuple[str, ...]
    mistakes: tuple[str, ...] = ()  # the named mistakes, each once
    cause: str = ""  # why the first failed check failed, shortened, for the summary table
    warning: str = ""  # for the instructor's terminal: its report could not be written
    filesystem: str = ""  # the filesystem layer its workers proved ("none": --unsafe)

    @classmethod
    def from_dict(cls, data: dict) -> Row:
        """The row back from plain data (a grading process sends rows as JSON)."""
        return cls(**dict(data, failed=tuple(data["failed"]), mistakes=tuple(data["mistakes"])))


IsolationError = CannotGradeSafely  # the name this error had before the layer chain


def check_isolation(capabilities: dict, *, unsafe: bool, limits: dict, out: Path) -> list[str]:
    """Choose the filesystem layer every worker must prove (:mod:`grader.isolation.layers`) into
    ``limits``, or refuse unless ``unsafe``; warnings for the instructor otherwise."""
    layer, warnings = layers.choose(capabilities, unsafe=unsafe, protect=limits["protect"],
                                    out=out)
    limits["filesystem"] = layer
    if layer == "uid":  # workers may read any process's command line: ours names the inputs
        sandbox.hide_command_line("grade")
    return warnings + layers.other_warnings(capabilities)


def shard_of(submissions: list[Submission], k: int, n: int) -> list[Submission]:
    """The k-th (1-based) of n slices: every n-th submission in student-id order.

    Deterministic for the same set of submissions, so n machines can each grade one slice.
    """
    if not 1 <= k <= n:
        raise UsageError(f"--shard {k}/{n}: K must be between 1 and N")
    ordered = sorted(submissions, key=lambda s: s.student)
    return [s for i, s in enumerate(ordered) if i % n == k - 1]


def collect(out: Path) -> list[Row]:
    """The summary rows of every complete report under ``out`` (merged shards, say)."""
    rows = []
    for path in sorted(out.glob(f"*/{RESULT_MODEL_FILE}")):
        result = finished(out, path.parent.name, None)
        if result is not None:
            rows.append(row_of(result))
    return rows


def merge(*, out: str | os.PathLike, shards: Iterable[str | os.PathLike] = (),
          title: str | None = None, roster=None, missing_score: float | None = None,
          mixed_tests: bool = False) -> list[Row]:
    """Copy the student folders of shard outputs into ``out``, write the class-level reports
    there, and return every row found. Reports graded with different hidden tests (their
    ``tests_hash``) are refused unless ``mixed_tests``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shards = [Path(shard) for shard in shards]
    for shard in shards:
        if not shard.is_dir():
            raise UsageError(f"no such folder: {shard}")
    if not mixed_tests:
        same_tests(out, shards)
    for shard in shards:
        for model in sorted(shard.glob(f"*/{RESULT_MODEL_FILE}")):
            target = out / model.parent.name
            if target.resolve() == model.parent.resolve():
                continue
            if (target / RESULT_MODEL_FILE).exists() and \
                    (target / RESULT_MODEL_FILE).read_bytes() != model.read_bytes():
                raise UsageError(f"student {model.parent.name} was graded in two shards with "
                                 "different results")
            shutil.copytree(model.parent, target, dirs_exist_ok=True)
    rows = collect(out)
    if not rows:
        raise UsageError(f"no complete reports found in {out}")
    first = finished(out, rows[0].student, None)
    write_class_reports(out, students=[row.student for row in rows], assignment=first.assignment,
                        title=title or first.assignment,
                        check_names=[check.name for check in first.checks],
                        max_score=first.max_score, roster=roster, missing_score=missing_score)
    return rows


def same_tests(out: Path, shards: list[Path]) -> None:
    """Refuse to merge reports graded with different hidden tests (a report from before
    tests were hashed counts as its own kind)."""
    seen: dict[str, str] = {}
    for folder in [out, *shards]:
        for model in sorted(folder.glob(f"*/{RESULT_MODEL_FILE}")):
            try:
                data = json.loads(model.read_text(encoding="utf-8"))
                digest = str((data.get("provenance") or {}).get("tests_hash", "unrecorded"))
            except (OSError, ValueError, AttributeError):
                continue  # not a complete report: collect() leaves it out too
            seen.setdefault(digest, f"{model.parent}")
    if len(seen) > 1:
        listed = "; ".join(f"{digest[:19]}… (e.g. {where})" for digest, where in seen.items())
        raise UsageError(f"these reports were graded with different hidden tests: {listed}. "
                         "Regrade them with one version, or pass --mixed-tests to merge anyway")


def write_reports(result: SubmissionResult, out: Path, *, title: str = "",
                  plots: bool = True, pending: PendingFiles | None = None) -> None:
    """Every format, then the results model last: its presence means the report is complete.
    With ``pending``, the files appear only when it is committed."""
    directory = out / result.student
    try:
        directory.mkdir(parents=True)
    except FileExistsError:  # an earlier run's folder: remove what an interrupted one left
        for stale in directory.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
    from grader.reports import html

    gradescope.write(result, directory, pending=pending)
    html.write(result, directory, title=title, plots=plots, pending=pending)
    write_atomic(directory / RESULT_MODEL_FILE, json.dumps(result.to_dict()) + "\n",
                 pending=pending)


def finished(out: Path, student: str, assignment: str | None,
             source_file: str | None = None) -> SubmissionResult | None:
    """The complete earlier result for ``student`` (of ``assignment``, and of a file named
    like ``source_file``, unless None), if any: --resume never reuses a report for another
    file that now has this id (a new file can take the id of an old one when ids collide)."""
    try:
        data = json.loads((out / student / RESULT_MODEL_FILE).read_text())
        result = SubmissionResult.from_dict(data)
    except Exception:  # whatever is there, it is not a complete report
        return None
    if assignment is not None and result.assignment != assignment:
        return None
    if source_file is not None and \
            PurePath(str(result.source_file)).name != PurePath(source_file).name:
        return None
    return result


def not_gradable(loaded, submission: Submission, stage: str,
                 exc: BaseException) -> SubmissionResult:
    """The result of a submission the grader failed on at ``stage``, outside
    :func:`grader.grading.runner.grade_submission`: no check evaluated, and why."""
    message = f"not evaluated: the grader failed while {stage}"
    result = SubmissionResult(submission.student, loaded.name, submission.shown,
                              checks=[CheckResult(t.name, t.function, 0.0, t.points, ERROR,
                                                  message, visibility=t.visibility)
                                      for t in loaded.spec.tests],
                              origin=origin_of(submission))
    grader_failed(result, stage, exc)
    return result


def origin_of(submission: Submission) -> dict:
    """What a platform's export said about the submission, for grader.json (the original
    names are only needed to choose the file)."""
    return {key: value for key, value in submission.origin.items() if key != "originals"}


def write_bare_reports(result: SubmissionResult, out: Path, *, title: str = "") -> None:
    """The reports of a not-gradable ``result``, written at once and without plots, each
    format on its own (whatever broke the full reports may break one of them again), the
    results model last, atomically like every report. Raises only if that cannot be written."""
    from grader.reports import html

    directory = out / result.student
    directory.mkdir(parents=True, exist_ok=True)
    for write in (gradescope.write,
                  lambda result, directory: html.write(result, directory, title=title,
                                                       plots=False)):
        try:
            write(result, directory)
        except Exception:  # grader.json, written next, holds the reason
            continue
    write_atomic(directory / RESULT_MODEL_FILE, json.dumps(result.to_dict()) + "\n")


def row_of(result: SubmissionResult) -> Row:
    return Row(result.student, result.score, result.max_score, result.status,
               tuple(check.name for check in result.failed),
               tuple(dict.fromkeys(c.mistake["name"] for c in result.failed if c.mistake)),
               filesystem=str(result.protections.get("filesystem", "")),
               cause=first_cause(result))


def first_cause(result: SubmissionResult, limit: int = 120) -> str:
    """The first failed check's message, on one line and at most ``limit`` characters."""
    message = next((check.message for check in result.failed if check.message), "")
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 1] + "…"


@dataclass
class PendingReport:
    """A graded submission: its row, and its report files until they reach the disk.

    :meth:`finish` commits the files (fsync, then the renames: run on a background thread
    while the next student is graded) and returns the row; if that fails, the row of the
    not-gradable report written instead.
    """

    row: Row
    files: PendingFiles | None = None  # None: nothing left to wait for
    failed: Callable[[str, BaseException], Row] | None = None

    def finish(self) -> Row:
        if self.files is not None:
            try:
                self.files.commit()
            except Exception as exc:
                return self.failed("writing the reports", exc)
        return self.row


@dataclass
class Batch:
    """What every submission of one batch is graded with, and the steps of grading one."""

    loaded: Assignment
    out: Path
    title: str
    limits: dict
    unsafe: bool
    resume: bool
    plots: bool
    processes: int  # grading at once (what each submission may keep depends on it)
    provenance: dict = field(default_factory=dict)  # grader.grading.provenance, the same for all
    feedback: str = "full"  # full | summary | score: what students are shown
    late: object = None  # a grader.grading.late.LatePolicy, or None

    def annotate(self, result: SubmissionResult, submission: Submission) -> SubmissionResult:
        """What the batch knows beyond the grading: the export's origin, provenance, each
        check's visibility, the feedback level and a late penalty."""
        result.origin = origin_of(submission)
        result.provenance = dict(self.provenance)
        result.feedback = self.feedback
        visibility = {test.name: test.visibility for test in self.loaded.spec.tests}
        for check in result.checks:
            check.visibility = visibility.get(check.name, check.visibility)
        if self.late is not None:
            result.penalty = self.late.penalty(result)
        return result

    def grade(self, submission: Submission, launcher) -> PendingReport:
        """The submission graded and its reports written (not yet on the disk). Never
        raises ``Exception``: whatever fails becomes this student's report."""
        try:
            result = finished(self.out, submission.student, self.loaded.name,
                              submission.shown) if self.resume else None
            if result is not None and result.status != NOT_GRADABLE:
                return PendingReport(row_of(result))  # not gradable: the grader failed, so again
            result = self.annotate(grade_submission(
                self.loaded, submission, limits=self.limits, launcher=launcher,
                unsafe=self.unsafe, plots=self.plots, keep_bytes=keep_bytes_for(self.processes)),
                submission)
        except Exception as exc:  # grade_submission returns its failures: a bug here
            return PendingReport(self.salvage(submission, "grading", exc))
        files = PendingFiles()
        try:
            write_reports(result, self.out, title=self.title, plots=self.plots, pending=files)
            row = row_of(result)
        except BaseException as exc:
            files.discard()
            if not isinstance(exc, Exception):
                raise
            return PendingReport(self.salvage(submission, "rendering the reports", exc))
        return PendingReport(row, files, partial(self.salvage, submission))

    def salvage(self, submission: Submission, stage: str, exc: BaseException) -> Row:
        """The row of a submission the grader failed on at ``stage``, after writing its
        not-gradable report (if even that fails, the class files say it is missing)."""
        result = not_gradable(self.loaded, submission, stage, exc)
        try:
            self.annotate(result, submission)
        except Exception:  # the bare report matters more than its extras
            pass
        try:
            write_bare_reports(result, self.out, title=self.title)
        except Exception as again:  # said where the row arrives, in the batch process
            return replace(row_of(result), warning=(
                f"no report for {submission.student} ({submission.shown}): "
                f"{result.reason}; writing that failed too: {type(again).__name__}: {again}"))
        return row_of(result)


def grade(*, assignment: str, paths: Iterable[str | os.PathLike], out: str | os.PathLike,
          solutions: str | os.PathLike | None = None, jobs: int | None = None,
          limits: dict | None = None, unsafe: bool = False, resume: bool = False,
          shard: tuple[int, int] | None = None,
          on_start: Callable[[int], None] | None = None,
          on_result: Callable[[Row], None] | None = None,
          on_warning: Callable[[str], None] | None = None,
          title: str | None = None, plots: bool = True, layout: str = "auto",
          feedback: str = "full", roster=None, missing_score: float | None = None,
          late=None, inputs: Iterable[str | os.PathLike] = ()) -> list[Row]:
    """Grade every submission under ``paths`` for ``assignment``, writing reports under ``out``.

    Raises :class:`grader.errors.UsageError` before grading anything if the assignment or
    paths are wrong, or if student code cannot be isolated and ``unsafe`` is off. With
    ``resume``, submissions whose reports are complete are not graded again (unless not
    gradable: the grader failed on them, and may not now). With
    ``shard=(k, n)``, only the k-th of n deterministic slices is graded. Returns one
    :class:`Row` per submission, in the order of the paths. ``title`` names the assignment
    in the reports (and the Canvas column) [default: the spec's title]. The class-level
    reports are written last, from the files on disk. ``plots=False`` leaves the plots out
    of every report (inline SVG), and the student calls that
    only a plot would show (the flagship's cost curve: five more training runs). ``jobs``
    grading processes [default: one per core] each grade one submission at a time.

    ``paths`` may be platforms' exports, folders or .zip (:mod:`grader.loading.layouts`;
    ``layout`` forces one); ``feedback`` is what students are shown (full, summary, score);
    ``roster`` (a :class:`grader.loading.roster.Roster`) fills canvas.csv with the gradebook's
    ids and names the students without a submission (``missing_score`` is their canvas.csv
    score: blank unless given); ``late``, a :class:`grader.grading.late.LatePolicy`;
    ``inputs``: other files grade read (the roster's CSV, the config file), which no
    worker may read either.
    """
    paths, inputs = list(paths), list(inputs)
    sandbox.prctl(sandbox.PR_SET_DUMPABLE, 0)  # same-user processes cannot read our memory
    if feedback not in FEEDBACK_LEVELS:
        raise UsageError(f"--feedback {feedback}: expected one of {', '.join(FEEDBACK_LEVELS)}")
    with discover_all(list(paths), layout=layout, assignment=assignment) as discovery:
        submissions = discovery.submissions
        for note in discovery.notes if on_warning is not None else ():
            on_warning(note)  # files not graded, folders read otherwise than they looked
        if shard is not None:
            submissions = shard_of(submissions, *shard)
        out = Path(out)
        limits = dict(limits or {}, protect=protected(solutions, out, submissions,
                                                      inputs=[*paths, *inputs]))
        processes = max(1, min(jobs or os.cpu_count() or 1, len(submissions)))
        # one worker template per grading process, all started before any reference is
        # loaded; each grading process, its template and its workers share one CPU (cpus_for)
        cpus = cpus_for(processes)
        # started by the CLI while it imported us, or now; exec'd either way, so the hidden
        # material loaded below never reaches them, and they import numpy meanwhile
        launchers = adopt_early(cpus, wait=False)
        for launcher in launchers:  # a template holding matplotlib pays off past one submission
            launcher.preloading = len(submissions) > len(launchers)
        start_variants_early(submissions, launchers)
        try:
            loaded = prepare(assignment, solutions, out, launchers, unsafe=unsafe, plots=plots,
                             processes=processes, limits=limits, on_warning=on_warning)
            submissions = [choose(s, loaded.spec.student_file) for s in submissions]
            batch = Batch(loaded, out, title or loaded.spec.title or loaded.name, limits,
                          unsafe=unsafe, resume=resume, plots=plots, processes=processes,
                          provenance=provenance(loaded.directory), feedback=feedback,
                          late=late)
            rows = Rows(len(submissions), on_start=on_start, on_result=on_result,
                        on_warning=on_warning)
            if processes == 1:
                grade_one_by_one(batch, submissions, launchers[0], cpus[0], rows)
            else:
                grade_in_forks(batch, submissions, launchers, cpus, rows)
        finally:
            close_launchers(launchers, on_warning)
        return finish(batch, rows.rows, roster=roster, missing_score=missing_score,
                      notes=discovery.notes)


def start_variants_early(submissions: list[Submission], launchers: list[Launcher],
                         sample: int = 3) -> None:
    """Start the templates holding matplotlib now, beside the others, when a class's
    notebooks import it (a course's import it at the top, or none does: the first
    ``sample`` notebooks decide). Each submission still gets the template its own source
    asks for (:meth:`Launcher.for_source`); this only saves the first one's wait."""
    notebooks = [s for s in submissions if s.path.suffix == ".ipynb" and not s.problem]
    for submission in notebooks[:sample]:
        try:
            text = read_source(submission.path)  # the same safe read grading makes
        except (SubmissionRejected, OSError):
            continue
        if "matplotlib" in text:
            for launcher in launchers:
                launcher.start_variant(PRELOADS["matplotlib"])
            return


def protected(solutions, out: Path, submissions: list[Submission],
              inputs=()) -> list[str]:
    """What no worker may read: the hidden solutions, the reports, the submissions (every
    file a student handed in, whichever is graded), every input grade was given (exports as
    folders or .zip, the roster, the config file) and the repository holding the solutions
    (its history holds them too: :func:`grader.isolation.layers.repository_of`)."""
    hidden = solutions_dir(solutions).resolve()
    given = {str(Path(path).resolve()) for path in inputs if path and os.path.exists(path)}
    return [str(hidden), str(out.resolve()),
            *sorted({str(path.parent.resolve()) for s in submissions
                     for path in (s.path, *s.candidates)} | given
                    | set(layers.repository_of(hidden)))]


def prepare(assignment: str, solutions, out: Path, launchers: list[Launcher], *,
            unsafe: bool, plots: bool, processes: int, limits: dict,
            on_warning: Callable[[str], None] | None) -> Assignment:
    """The assignment, loaded once the templates are exec'd, with what the grading
    processes will share learned before they fork; refuses (or warns about) the isolation
    the templates found, and makes ``out``."""
    loaded = load_assignment(assignment, solutions=solutions)
    load_catalogue(loaded)  # a broken mistakes.py is a usage error now, not silence later
    published_provided(loaded)  # one copy, before the grading processes fork
    # while the templates finish starting (once, before the grading processes fork)
    from grader.reports import (  # noqa: F401  (for the reports and the class files)
        canvas,
        dashboard,
        html,
        jinja,
        junit,
        markdown,
        summary_csv,
    )

    jinja.warm("report.html.j2", "index.html.j2")
    plan_for(loaded, plots=plots)
    if plots:
        from grader.reports import plots as figures

        figures.prepare()
    for launcher in launchers:
        launcher.ready()
    for warning in check_isolation(launchers[0].capabilities, unsafe=unsafe, limits=limits,
                                   out=out):
        if on_warning is not None:
            on_warning(warning)
    out.mkdir(parents=True, exist_ok=True)
    return loaded


class Rows:
    """The batch's rows, in the order of the submissions, as they arrive."""

    def __init__(self, count: int, *, on_start: Callable[[int], None] | None,
                 on_result: Callable[[Row], None] | None,
                 on_warning: Callable[[str], None] | None):
        self.rows: list[Row | None] = [None] * count
        self.on_start, self.on_result, self.on_warning = on_start, on_result, on_warning

    def started(self) -> None:
        """Grading starts (a progress bar may start its thread: the forks are done)."""
        if self.on_start is not None:
            self.on_start(len(self.rows))

    def collected(self, index: int, row: Row) -> None:
        self.rows[index] = row
        if row.warning and self.on_warning is not None:
            self.on_warning(row.warning)
        if self.on_result is not None:
            self.on_result(row)


def grade_one_by_one(batch: Batch, submissions: list[Submission], launcher: Launcher,
                     cpu: int | None, rows: Rows) -> None:
    """Grade here, one submission at a time, each one's reports reaching the disk on a
    background thread while the next is graded."""
    rows.started()
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    pin(0, cpu)
    try:
        with ThreadPoolExecutor(max_workers=1) as finisher:
            last = None  # (index, future): its reports reach the disk meanwhile
            for index, submission in enumerate(submissions):
                pending = batch.grade(submission, launcher)
                if last is not None:
                    rows.collected(last[0], last[1].result())
                last = (index, finisher.submit(pending.finish))
            if last is not None:
                rows.collected(last[0], last[1].result())
    finally:
        if allowed:
            os.sched_setaffinity(0, allowed)


def grade_in_forks(batch: Batch, submissions: list[Submission], launchers: list[Launcher],
                   cpus: list[int | None], rows: Rows) -> None:
    """Grade in one forked grading process per launcher (:mod:`grader.pool`); a submission
    whose process died is graded here, with a template of its own."""
    def setup(k: int):
        pin(0, cpus[k])

        def task(index: int):
            pending = batch.grade(submissions[index], launchers[k])
            return lambda: asdict(pending.finish())
        return task

    def fallback(index: int) -> dict:
        try:
            launcher = Launcher()  # exec'd clean, like the others
        except Exception as exc:
            return asdict(batch.salvage(submissions[index], "starting a worker template", exc))
        with launcher:
            return asdict(batch.grade(submissions[index], launcher).finish())

    grade_in_processes(
        len(submissions), len(launchers), setup, fallback=fallback, on_start=rows.started,
        on_row=lambda index, data: rows.collected(index, Row.from_dict(data)),
        on_error=lambda index, error: rows.collected(index, batch.salvage(
            submissions[index], "grading in a grading process", GradingProcessError(error))))


def close_launchers(launchers: list[Launcher], on_warning: Callable[[str], None] | None) -> None:
    for launcher in launchers:
        launcher.close()
        for entry in launcher.unremoved if on_warning is not None else ():
            on_warning(f"a scratch folder could not be removed, student files are left "
                       f"in it: {entry}")


def finish(batch: Batch, rows: list[Row], *, roster=None,
           missing_score: float | None = None, notes: Iterable[str] = ()) -> list[Row]:
    """The class-level files, from the reports on disk (``notes``: what reading the export
    said, for summary.md and index.html); the rows."""
    loaded = batch.loaded
    write_class_reports(batch.out, students=[row.student for row in rows],
                        assignment=loaded.name, title=batch.title,
                        check_names=[test.name for test in loaded.spec.tests],
                        max_score=loaded.spec.max_score, plots=batch.plots, roster=roster,
                        missing_score=missing_score, notes=notes)
    return rows
