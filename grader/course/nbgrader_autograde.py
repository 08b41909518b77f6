"""``nbgrader autograde`` scored by the grader, not by the student's kernel.

nbgrader runs a submitted notebook in a kernel where any earlier cell can change what a test
cell relies on: the grader's modules, builtins, ``sys.modules``, numpy, even IPython's
machinery that reports a cell's error. So nothing that runs in the kernel decides points.
``grade course`` configures nbgrader's ``Autograde`` with three preprocessors of ours, which
run in the nbgrader process (trusted, like ``grade``):

- :class:`GradeSubmission`, first, before nbgrader starts the kernel: grades the notebook's
  code as ``grade`` does (:func:`grader.batch.grade`: definitions only, in a sandboxed worker;
  the reference and every comparison in this process). The code is the notebook nbgrader
  read from ``submitted/`` and sanitised (locked cells restored from the gradebook), held in
  this process's memory, where the kernel cannot reach it.
- :class:`ScoreTestCells`, after the kernel ran, before ``SaveAutoGrades``: replaces each
  test cell's outputs by its check's outcome: nothing but a line on stdout for a passed
  check (nbgrader gives full points), an error with the check's message for a failed one
  (zero), so the gradebook equals ``grade``'s results check by check.
- :class:`CompleteGrades`, after ``SaveAutoGrades``: a check the grader could not grade (its
  own failure, or the whole notebook not gradable) is no score and "needs manual grade", not
  zero; a test cell the student deleted is scored from its check all the same.

Test cells are found by their ``grade_id`` (nbgrader's key for their points), never by
anything the student's copy could relabel.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, SaveAutoGrades
from traitlets import Unicode

from grader.course.nbgrader_course import graded_cells
from grader.loading.assignment import load_assignment

KEY = "backprop_grader"  # where the outcomes wait in nbconvert's resources
SCORED = ("passed", "failed")  # a check's statuses that are a score ("error" is not)


def outcomes(notebook, *, assignment: str, solutions: str | None, filename: str) -> dict:
    """``{"checks": {test name: check}, "reason": why none, "notes": [...]}`` for the
    notebook's code, graded the way ``grade`` grades it (``checks`` empty when it was not
    gradable; ``notes``, what ``grade`` accepted or left out)."""
    from grader import batch

    with tempfile.TemporaryDirectory(prefix="bpg-nbgrader-") as scratch:
        folder, out = Path(scratch) / "submitted", Path(scratch) / "out"
        folder.mkdir()
        path = folder / filename
        path.write_text(nbformat.writes(notebook))
        try:
            rows = batch.grade(assignment=assignment, paths=[path], out=out,
                               solutions=solutions, jobs=1, plots=False, layout="flat")
            result = json.loads((out / rows[0].student / "grader.json").read_text())
        except Exception as exc:  # cannot grade here at all: every cell waits for a person
            return {"checks": {}, "reason": f"{type(exc).__name__}: {exc}", "notes": []}
    checks = {check["name"]: check for check in result.get("checks", [])}
    if result.get("status") != "graded":
        return {"checks": {}, "reason": result.get("reason") or "not gradable", "notes": []}
    return {"checks": checks, "reason": "", "notes": result.get("notes", [])}


class GradeSubmission(NbGraderPreprocessor):
    """Grade the sanitised notebook with ``grade``'s engine before nbgrader runs it."""

    solutions = Unicode("", help="Where the hidden solutions are (as `grade --solutions`); "
                        "empty: $BACKPROP_GRADER_SOLUTIONS, else ./solutions").tag(config=True)
    assignment = Unicode("", help="The grader's assignment name; empty: nbgrader's "
                         "assignment id").tag(config=True)

    def preprocess(self, nb, resources):
        assignment = self.assignment or resources["nbgrader"]["assignment"]
        filename = f"{resources['nbgrader']['notebook']}.ipynb"
        solutions = self.solutions or None
        spec = load_assignment(assignment, solutions=solutions).spec
        started = time.perf_counter()
        found = outcomes(nb, assignment=assignment, solutions=solutions, filename=filename)
        resources[KEY] = dict(found, cells={grade_id: test.name for grade_id, test
                                            in graded_cells(spec).items()},
                              review=[], seen=[])
        self.log.info("graded %s by backprop-grader in %.2f s: %s", filename,
                      time.perf_counter() - started,
                      found["reason"] or f"{len(found['checks'])} check(s)")
        return nb, resources


def failure_text(check: dict) -> str:
    text = check.get("message") or "failed"
    mistake = check.get("mistake")
    if mistake:
        text += (f"\nThe mistake: {mistake.get('name', '')}. {mistake.get('explanation', '')}"
                 f"\nFix: {mistake.get('fix', '')}")
    return text


def error_output(ename: str, text: str):
    return nbformat.v4.new_output("error", ename=ename, evalue=text,
                                  traceback=[f"{ename}: {text}"])


class ScoreTestCells(NbGraderPreprocessor):
    """Each test cell's outputs become its check's outcome, whatever the kernel showed."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        found = resources.get(KEY)
        if found is None:
            raise RuntimeError("backprop-grader: GradeSubmission must run before ScoreTestCells")
        if not cell.metadata.get("nbgrader", {}).get("grade") or grade_id not in found["cells"]:
            return cell, resources
        name = found["cells"][grade_id]
        found["seen"].append(grade_id)
        check = found["checks"].get(name)
        if check is None or check.get("status") == "error":
            reason = (check or {}).get("message") or found["reason"] or "no such check"
            found["review"].append(grade_id)
            cell.outputs = [error_output("NotGraded", f"{name}: the grader could not grade "
                                         f"this ({reason}); left for manual grading")]
        elif check.get("status") == "passed":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                   text=f"passed: {name}\n")]
        elif check.get("visibility") == "hidden":  # as report.html: its details are not shown
            cell.outputs = [error_output("CheckFailed", f"{name}: failed")]
        else:
            cell.outputs = [error_output("CheckFailed", f"{name}: {failure_text(check)}")]
        function = (check or {}).get("function", "")
        notes = [f"note: {note}\n" for note in found.get("notes", [])
                 if function and note.startswith(f"{function}(")]  # an accepted signature
        if notes:
            cell.outputs.insert(0, nbformat.v4.new_output("stream", name="stdout",
                                                          text="".join(notes)))
        return cell, resources


class CompleteGrades(NbGraderPreprocessor):
    """After ``SaveAutoGrades``: a check the grader could not grade gets no automatic score
    (a person grades it), and a test cell the student deleted still gets its check's score
    (nbgrader would leave it unscored; its ``add_missing_cells`` fails on our layout)."""

    def preprocess(self, nb, resources):
        found, about = resources.get(KEY), resources["nbgrader"]
        if found is None:
            raise RuntimeError("backprop-grader: GradeSubmission must run before CompleteGrades")
        missing = {grade_id: name for grade_id, name in found["cells"].items()
                   if grade_id not in found["seen"]}
        if not (found["review"] or missing):
            return nb, resources
        with Gradebook(about["db_url"]) as gradebook:
            for grade_id in [*found["review"], *missing]:
                try:
                    grade = gradebook.find_grade(grade_id, about["notebook"],
                                                 about["assignment"], about["student"])
                except MissingEntry:
                    self.log.warning("backprop-grader: no grade %s in the gradebook", grade_id)
                    continue
                check = found["checks"].get(missing.get(grade_id))
                if grade_id in missing and check and check.get("status") in SCORED:
                    grade.auto_score = check["points"]
                    grade.needs_manual_grade = grade.manual_score is not None
                    self.log.warning("backprop-grader: test cell %s was deleted; scored "
                                     "from its check", grade_id)
                else:
                    grade.auto_score, grade.needs_manual_grade = None, True
            gradebook.db.commit()
        return nb, resources


def autograde_preprocessors() -> list:
    """nbgrader's own autograde preprocessors with ours around them (see the docstring)."""
    chain = list(Autograde.class_traits()["autograde_preprocessors"].default())
    chain.insert(chain.index(Execute), GradeSubmission)
    chain.insert(chain.index(SaveAutoGrades), ScoreTestCells)
    chain.insert(chain.index(SaveAutoGrades) + 1, CompleteGrades)
    return chain
