"""One submission never stops the class: whatever fails while one student is identified, read,
extracted, graded or reported becomes that student's report (not gradable, with the stage
that failed), the others are graded, and the class files are written.

Real CLI batches (``--jobs 1``, and ``--jobs 2``, whose grading processes are forked from
this one after the failures below are set up, so they fail there too). Real failures where
they can be made (a notebook with a 1,500- and a 5,000-term sum, a file that vanishes
before it is read, a report folder the grader cannot write into, a grading process killed
by SIGKILL); a failure of the grader's own code injected where only a bug would cause one.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
from pathlib import Path, PurePath

import nbformat
import pytest
from conftest import EXAMPLES, SOLUTIONS, run_cli
from notebooks import messy_notebook

import grader.batch
import grader.grading.runner
import grader.isolation.session
import grader.loading.submission
import grader.reports.gradescope
from grader.atomic import PendingFiles
from grader.isolation.launcher import LauncherError
from grader.loading.notebook import NotebookError, notebook_source

CLASS_FILES = ("summary.csv", "canvas.csv", "junit.xml", "summary.md", "index.html")
# bob's notebook is the one that breaks; alice and carol are graded as always
SCORES = {"alice": 100, "bob": 96, "carol": 78}
BROKEN = "bob"


def long_sum(terms: int) -> str:
    return "x = " + " + ".join(["1"] * terms)


@pytest.fixture
def submissions(tmp_path) -> Path:
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "alice.py").write_text((EXAMPLES / "correct.py").read_text())
    nbformat.write(messy_notebook((EXAMPLES / "keepdims.py").read_text()), folder / "bob.ipynb")
    (folder / "carol.py").write_text((EXAMPLES / "missing_1_over_m.py").read_text())
    return folder


@pytest.fixture
def grading(monkeypatch):
    """Whose file is being graded (``grading["stem"]``), in whichever process grades it."""
    now = {"stem": None}
    real = grader.batch.grade_submission

    def tracked(loaded, submission, **options):
        now["stem"] = submission.path.stem
        return real(loaded, submission, **options)

    monkeypatch.setattr(grader.batch, "grade_submission", tracked)
    return now


def grade(submissions: Path, out: Path, jobs: int, *extra: str):
    return run_cli("-a", "one_hidden_layer", "-o", out, "--solutions", SOLUTIONS, "--jobs",
                   jobs, "--no-plots", *extra, submissions)


def reports_by_stem(out: Path) -> dict[str, dict]:
    """Every complete report under ``out``, by the stem of the file it is for."""
    reports = {}
    for model in out.glob("*/grader.json"):
        data = json.loads(model.read_text())
        reports[PurePath(data["source_file"]).stem] = data
    return reports


def assert_class_went_on(result, out: Path, *, broken_stage: str | None,
                         broken_status: str = "not_gradable") -> dict:
    """Exit 0, every student has a complete report, the others their usual score, the
    class files are written; the broken one is not gradable, naming ``broken_stage``."""
    assert result.exit_code == 0, result.output
    reports = reports_by_stem(out)
    assert set(reports) == set(SCORES), sorted(reports)
    for stem, report in reports.items():
        folder = out / report["student"]
        assert (folder / "results.json").is_file() and (folder / "report.html").is_file(), stem
        assert not list(folder.glob(".*.tmp")), "a report left a temporary file"
        if stem != BROKEN or broken_stage is None:
            assert report["status"] == "graded", (stem, report["reason"])
            assert report["score"] == SCORES[stem], stem
    broken = reports[BROKEN]
    if broken_stage is not None:
        assert broken["status"] == broken_status, broken
        assert broken_stage in broken["reason"], broken["reason"]
    for name in CLASS_FILES:
        assert (out / name).is_file(), f"no class-level {name}"
    with open(out / "summary.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(PurePath(row["source_file"]).stem for row in rows) == sorted(SCORES)
    (bob_row,) = [row for row in rows if PurePath(row["source_file"]).stem == BROKEN]
    assert bob_row["status"] == broken["status"]
    return broken


# ------------------------------------------------------------------ the cause: long sums


@pytest.mark.parametrize("terms", [1500, 5000])
def test_a_cell_too_deep_for_python_is_one_cell_and_the_notebook_still_loads(terms):
    notebook = messy_notebook((EXAMPLES / "correct.py").read_text())
    notebook.cells.insert(4, nbformat.v4.new_code_cell(long_sum(terms)))
    extracted = notebook_source(nbformat.writes(notebook), "deep.ipynb")
    assert "def nn_model" in extracted.source
    if terms == 1500:  # ast.parse takes it: a constant, kept like `n_h = 4`
        assert long_sum(terms) in extracted.source
    else:  # ast.parse cannot: a cell that does not parse (and defines nothing), dropped
        assert long_sum(terms) not in extracted.source
        assert any("does not parse (nested too deeply)" in d for d in extracted.dropped)


def test_json_nested_too_deep_is_an_unreadable_notebook_not_a_crash():
    with pytest.raises(NotebookError, match="not a readable notebook"):
        notebook_source("[" * 100_000 + "]" * 100_000, "deep.ipynb")


@pytest.mark.parametrize("jobs", [1, 2])
def test_notebooks_with_long_sums_are_graded_with_the_class(submissions, tmp_path, jobs):
    for terms in (1500, 5000):  # before: RecursionError, the batch aborted (exit 1)
        notebook = messy_notebook((EXAMPLES / "correct.py").read_text())
        notebook.cells.insert(4, nbformat.v4.new_code_cell(long_sum(terms)))
        nbformat.write(notebook, submissions / f"sum{terms}.ipynb")
    out = tmp_path / "out"
    result = grade(submissions, out, jobs)
    assert result.exit_code == 0, result.output
    reports = reports_by_stem(out)
    assert {stem: r["score"] for stem, r in reports.items()} == dict(
        SCORES, sum1500=100, sum5000=100)
    assert all((out / name).is_file() for name in CLASS_FILES)


# -------------------------------------------------- the class of bug: a failure per stage


def fail_identifying(monkeypatch, grading, out):
    real = grader.loading.submission.identity

    def identity(path):
        if path.stem == BROKEN:
            raise ValueError("injected: this name cannot be identified")
        return real(path)
    monkeypatch.setattr(grader.loading.submission, "identity", identity)


def vanish_before_reading(monkeypatch, grading, out):
    """A real failure: the file is deleted between discovery and reading."""
    real = grader.grading.runner.read_source

    def read_source(path):
        if path.stem == BROKEN:
            path.unlink()
        return real(path)
    monkeypatch.setattr(grader.grading.runner, "read_source", read_source)


def fail_extracting(monkeypatch, grading, out):
    real = grader.grading.runner.notebook_source

    def notebook_source(text, filename):
        if filename.startswith(BROKEN):
            raise RuntimeError("injected: extraction bug")
        return real(text, filename)
    monkeypatch.setattr(grader.grading.runner, "notebook_source", notebook_source)


def fail_starting_the_worker(monkeypatch, grading, out):
    real = grader.isolation.session.Worker

    def worker(**options):
        if grading["stem"] == BROKEN:
            raise LauncherError("injected: the template stopped answering")
        return real(**options)
    monkeypatch.setattr(grader.isolation.session, "Worker", worker)


def fail_running_a_check(monkeypatch, grading, out):
    real = grader.isolation.session.StudentSession.call

    def call(self, function, *args, **kwargs):
        if grading["stem"] == BROKEN and function == "compute_cost":
            raise KeyError("injected: a bug in a hidden test")
        return real(self, function, *args, **kwargs)
    monkeypatch.setattr(grader.isolation.session.StudentSession, "call", call)


def fail_rendering(monkeypatch, grading, out):
    real, failed = grader.reports.gradescope.render, []

    def render(result):
        if result.student == BROKEN and not failed:
            failed.append(True)
            raise ValueError("injected: a renderer bug")
        return real(result)
    monkeypatch.setattr(grader.reports.gradescope, "render", render)


def fail_writing(monkeypatch, grading, out):
    real_write, real_commit, broken, failed = PendingFiles.write, PendingFiles.commit, [], []

    def write(self, path, data):
        if Path(path).parent.name == BROKEN:
            broken.append(self)
        return real_write(self, path, data)

    def commit(self):
        if not failed and any(pending is self for pending in broken):
            failed.append(True)
            self.discard()
            raise OSError(errno.ENOSPC, "injected: No space left on device")
        return real_commit(self)
    monkeypatch.setattr(PendingFiles, "write", write)
    monkeypatch.setattr(PendingFiles, "commit", commit)


STAGES = {  # how to break it -> what the reason must name
    "identifying": (fail_identifying, "while identifying the file"),
    "reading": (vanish_before_reading, "while reading the file: FileNotFoundError"),
    "extracting": (fail_extracting, "while extracting the notebook's code"),
    "worker start": (fail_starting_the_worker, "while starting the worker: LauncherError"),
    "a check's run": (fail_running_a_check, "while running the checks"),
    "rendering": (fail_rendering, "while rendering the reports"),
    "writing": (fail_writing, "while writing the reports: OSError"),
}


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_failure_at_any_stage_is_that_students_report(submissions, tmp_path, monkeypatch,
                                                        grading, stage, jobs):
    out = tmp_path / "out"
    breaks, names = STAGES[stage]
    breaks(monkeypatch, grading, out)
    broken = assert_class_went_on(grade(submissions, out, jobs), out, broken_stage=names)
    assert broken["score"] == 0 or stage == "a check's run"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failure_to_name_mistakes_keeps_the_score_and_says_so(submissions, tmp_path,
                                                                monkeypatch, grading, jobs):
    """Diagnosis is advice next to a score that is complete without it: the student stays
    graded (not gradable would send the instructor to regrade a right score), the reason
    says which advice is missing."""
    real = grader.grading.runner.name_mistakes

    def name_mistakes(checks, candidates):
        if grading["stem"] == BROKEN:
            raise RuntimeError("injected: a broken catalogue")
        return real(checks, candidates)
    monkeypatch.setattr(grader.grading.runner, "name_mistakes", name_mistakes)
    out = tmp_path / "out"
    broken = assert_class_went_on(grade(submissions, out, jobs), out,
                                  broken_stage="while naming them", broken_status="graded")
    assert broken["score"] == SCORES[BROKEN]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_folder_that_cannot_be_written_loses_only_that_report(submissions, tmp_path,
                                                                       jobs):
    out = tmp_path / "out"
    out.mkdir()
    (out / BROKEN).write_text("a file where bob's folder goes\n")  # a real, lasting failure
    result = grade(submissions, out, jobs)
    assert result.exit_code == 0, result.output
    assert "no report for bob" in result.output  # said on the terminal
    reports = reports_by_stem(out)
    assert {stem: r["score"] for stem, r in reports.items()} == {"alice": 100, "carol": 78}
    with open(out / "summary.csv", newline="") as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {"alice", "bob", "carol"}
    assert rows["bob"]["status"] == "not_gradable"
    assert "could not be read back" in rows["bob"]["reason"]
    assert all((out / name).is_file() for name in CLASS_FILES)


# ------------------------------------------------------ grading processes (--jobs 2 only)


@pytest.mark.parametrize("death", ["os._exit", "SIGKILL"])
def test_a_grading_process_that_dies_loses_no_student(submissions, tmp_path, monkeypatch, death):
    batch = os.getpid()
    real = grader.batch.grade_submission

    def dies(loaded, submission, **options):
        if submission.path.stem == BROKEN and os.getpid() != batch:  # only in a grading process
            if death == "SIGKILL":
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(9)
        return real(loaded, submission, **options)
    monkeypatch.setattr(grader.batch, "grade_submission", dies)
    out = tmp_path / "out"
    # re-graded by the batch process itself: bob is graded as usual
    assert_class_went_on(grade(submissions, out, 2), out, broken_stage=None)


def test_a_task_that_raises_in_a_grading_process_is_that_students_report(
        submissions, tmp_path, monkeypatch):
    """Past every guard in the grading code: the pool hands the error back and the batch
    writes the student's report itself."""
    real = grader.batch.asdict

    def asdict(row):
        if row.student == BROKEN:
            raise RuntimeError("injected: a row that cannot be sent")
        return real(row)
    monkeypatch.setattr(grader.batch, "asdict", asdict)
    out = tmp_path / "out"
    assert_class_went_on(grade(submissions, out, 2), out,
                         broken_stage="while grading in a grading process")


def test_resume_grades_again_what_the_grader_failed_on_and_only_that(submissions, tmp_path,
                                                                    monkeypatch, grading):
    out = tmp_path / "out"
    fail_writing(monkeypatch, grading, out)
    assert_class_went_on(grade(submissions, out, 1), out, broken_stage="writing the reports")
    monkeypatch.undo()  # the disk has room again
    others = {path: path.read_bytes() for path in out.glob("*/grader.json")
              if path.parent.name != BROKEN}
    result = grade(submissions, out, 1, "--resume")
    assert_class_went_on(result, out, broken_stage=None)  # bob graded: 96
    assert {path: path.read_bytes() for path in others} == others  # the others not again
