"""Notebooks made by nbgrader itself: the released student notebook (no drift), and an
nbgrader course whose autograde agrees with `grade`, check by check."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import ROOT, SOLUTIONS
from notebooks import fill_in
from variants import CORRECT, FAULTY

from grader import batch
from grader.course.nbgrader_course import graded_cells, nbgrader, source_notebook
from grader.course.stubs import make_stub

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("course")

NAME = "one_hidden_layer"
RELEASED = ROOT / "assignments" / NAME / "backprop.ipynb"
# a correct submission whose functions write to stderr and raise numpy warnings: nbgrader
# would score such a test cell zero if that output reached the cell (not full marks)
NOISY = CORRECT.replace(
    "    dZ2 = A2 - Y\n",
    "    dZ2 = A2 - Y\n    __import__('sys').stderr.write('debug: in backward\\n')\n"
    "    __import__('warnings').warn('a warning from the student')\n"
    "    np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n")
# the course's older compute_cost(A2, Y, parameters), accepted by `grade`: so by nbgrader too
OLDER_COST = CORRECT.replace("def compute_cost(A2, Y):", "def compute_cost(A2, Y, parameters):"
                             ).replace("compute_cost(A2, Y):f", "compute_cost(A2, Y, parameters):f")
# a student cell that patches everything a test cell in the kernel could rely on, then says so
PATCH = """import builtins, sys, types
import numpy as np
from IPython.core.interactiveshell import InteractiveShell
# the grader's modules a test cell imports: replaced by no-ops
fake = types.ModuleType("grader.course.nbgrader_tests")
fake.hidden_test = lambda *args, **kwargs: None
sys.modules["grader.course.nbgrader_tests"] = fake
import grader.selfcheck
grader.selfcheck.check_here = lambda *args, **kwargs: True
# builtins: every name is a function
builtins.callable = lambda thing: True
# numpy's testing: every comparison passes
np.testing.assert_allclose = np.testing.assert_array_equal = lambda *args, **kwargs: None
np.allclose = np.array_equal = lambda *args, **kwargs: True
# IPython: no error ever reaches the cell's outputs
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
InteractiveShell.showtraceback = lambda *args, **kwargs: None
get_ipython().showtraceback = lambda *args, **kwargs: None
print("patched: the kernel now hides every error")
"""
STUDENTS = {"noisy": NOISY, "tanh_slip": FAULTY["sigmoid_derivative_for_tanh"],
            "older_cost": OLDER_COST,
            "stub_patched": None, "correct_patched": CORRECT}  # None: the untouched stub
PATCHED = ("stub_patched", "correct_patched")
DELETED = "test-initialize-parameters-0"  # the cell id of test cell test_initialize_parameters_0
TOTALS = {"noisy": 100, "tanh_slip": 84, "older_cost": 100, "stub_patched": 0,
          "correct_patched": 100}


def solution_lines():
    """Lines only found inside the reference's solution regions (not in its docstrings)."""
    text = (SOLUTIONS / NAME / "reference.py").read_text()
    stub = make_stub(text)
    inside, lines = False, []
    for line in text.splitlines():
        inside = {"### BEGIN SOLUTION": True, "### END SOLUTION": False}.get(line.strip(), inside)
        if inside and "SOLUTION" not in line and len(line.strip()) > 12:
            lines.append(line.strip())
    assert len(lines) > 20
    return [line for line in lines if line not in stub]


@pytest.mark.slow
def test_committed_notebook_is_what_nbgrader_generates(cli, tmp_path):
    """`grade release --check` regenerates both student files with nbgrader; no drift."""
    dest = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", dest)
    committed = dest / NAME / "backprop.ipynb"
    result = cli("release", "-a", NAME, "--solutions", SOLUTIONS, "--dest", dest, "--check")
    assert result.exit_code == 0, f"run `grade release --assignment {NAME}`: {result.output}"
    assert committed.read_text() == (ROOT / "assignments" / NAME / "backprop.ipynb").read_text()


def test_released_notebook_teaches_and_hides_the_solution():
    notebook = nbformat.read(str(RELEASED), as_version=4)
    text = RELEASED.read_text()
    assert not [line for line in solution_lines() if line in text]
    cells = notebook.cells
    for function in ("initialize_parameters", "forward_propagation", "compute_cost",
                     "backward_propagation", "update_parameters", "nn_model", "predict"):
        at = next(i for i, c in enumerate(cells) if c.source.startswith(f"def {function}("))
        about, check = cells[at - 1], cells[at + 1]
        assert about.cell_type == "markdown" and about.source.startswith(f"## `{function}(")
        assert "YOUR CODE HERE" in cells[at].source
        assert f"check_here('one_hidden_layer', '{function}', globals())" in check.source
    backward = next(c.source for c in cells if c.source.startswith("## `backward_propagation"))
    assert "dW1 = (1/m) dZ1 X^T" in backward and "keepdims=True" in backward
    assert "```" in backward  # formulas as a code block, prose as text


def test_source_notebook_has_one_test_cell_per_hidden_test_worth_its_points(assignment):
    spec = assignment(NAME).spec
    notebook = source_notebook(NAME, solutions=SOLUTIONS, autograded=True)
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert sorted(c.metadata.nbgrader.points for c in tests) == sorted(t.points for t in spec.tests)
    assert sum(c.metadata.nbgrader.points for c in tests) == spec.max_score == 100
    # nothing hidden in them: the grader scores them outside the kernel
    assert not any("HIDDEN" in c.source or "solutions" in c.source for c in tests)
    plain = source_notebook(NAME, solutions=SOLUTIONS)
    assert not any(c.metadata.get("nbgrader", {}).get("grade") for c in plain.cells)


@pytest.fixture(scope="session")
def course(cli, tmp_path_factory):
    """One real nbgrader course for the whole session: generate, autograde, feedback."""
    root = tmp_path_factory.mktemp("course")
    made = cli("course", "-a", NAME, "--solutions", SOLUTIONS, root)
    assert made.exit_code == 0, made.output
    assert (root / "source" / NAME / "backprop.ipynb").is_file()
    # the kernel imports this checkout's grader; the solutions path is baked in by --solutions
    env = {"PYTHONPATH": str(ROOT)}
    nbgrader(root, "generate_assignment", NAME, env=env)
    released = nbformat.read(str(root / "release" / NAME / "backprop.ipynb"), as_version=4)
    for student, source in STUDENTS.items():
        folder = root / "submitted" / student / NAME
        folder.mkdir(parents=True)
        notebook = released if source is None else fill_in(released, source)
        if student in PATCHED:  # right after the introduction: before every test cell
            notebook.cells.insert(1, nbformat.v4.new_code_cell(PATCH))
            # and a test cell deleted: the grader scores it all the same
            notebook.cells = [c for c in notebook.cells if c.get("id") != DELETED]
        nbformat.write(notebook, str(folder / "backprop.ipynb"))
    done = nbgrader(root, "autograde", NAME, env=env)
    (root / "autograde.log").write_text(done.stdout + done.stderr)
    nbgrader(root, "generate_feedback", NAME, env=env)
    return root


def gradebook_scores(root) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in STUDENTS:
            submission = gradebook.find_submission_notebook("backprop", NAME, student)
            scores[student] = {grade.name: grade.score for grade in submission.grades
                               if grade.name.startswith("test_")}
    return scores


@pytest.mark.slow
def test_nbgrader_gradebook_agrees_with_grade(assignment, course, tmp_path):
    spec = assignment(NAME).spec
    folder = tmp_path / "submissions"
    folder.mkdir()
    for student in STUDENTS:  # the very notebooks nbgrader graded, named by student
        shutil.copy(course / "submitted" / student / NAME / "backprop.ipynb",
                    folder / f"{student}.ipynb")
    batch.grade(assignment=NAME, paths=[folder], out=tmp_path / "out", solutions=SOLUTIONS)
    cells = {grade_id: test.name for grade_id, test in graded_cells(spec).items()}
    assert sorted(cells.values()) == sorted(test.name for test in spec.tests)
    nbgrader_scores = gradebook_scores(course)
    totals = {}
    for student in STUDENTS:
        result = json.loads((tmp_path / "out" / student / "grader.json").read_text())
        ours = {check["name"]: check["points"] for check in result["checks"]}
        theirs = {cells[grade_id]: score for grade_id, score in nbgrader_scores[student].items()}
        assert theirs == ours, student
        totals[student] = (sum(theirs.values()), result["score"])
    assert totals == {student: (total, total) for student, total in TOTALS.items()}


@pytest.mark.slow
def test_student_cells_that_patch_the_kernel_change_no_points(course):
    """Red team: the patching cell ran (and would hide every error from a test cell in the
    kernel), yet the untouched stub scores what it earns (0) and a correct notebook 100."""
    for student in PATCHED:
        graded = nbformat.read(str(course / "autograded" / student / NAME / "backprop.ipynb"),
                               as_version=4)
        assert "patched: the kernel now hides every error" in json.dumps(graded.cells[1].outputs)
    totals = {student: sum(scores.values()) for student, scores
              in gradebook_scores(course).items()}
    assert totals["stub_patched"] == 0 and totals["correct_patched"] == 100
    stub = nbformat.read(str(course / "autograded" / "stub_patched" / NAME / "backprop.ipynb"),
                         as_version=4)
    tests = [c for c in stub.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert tests and all(c.outputs[0].output_type == "error" for c in tests)
    assert "not written yet" in json.dumps(tests[0].outputs)  # the check's own message
    scores = gradebook_scores(course)  # the deleted test cell: scored by the grader
    assert scores["correct_patched"]["test_initialize_parameters_0"] > 0
    assert scores["stub_patched"]["test_initialize_parameters_0"] == 0


@pytest.mark.slow
def test_autograde_finds_no_changed_checksum(course):
    """nbgrader stores a test cell's checksum before it removes hidden tests, so a hidden
    block makes every test cell of every student "changed"; ours have none."""
    log = (course / "autograde.log").read_text()
    assert "Autograding" in log and "graded backprop.ipynb by backprop-grader" in log
    assert "has changed" not in log and "checksum" not in log.lower()


@pytest.mark.slow
def test_hidden_tests_stay_out_of_the_student_release_and_feedback_is_written(course):
    released = (course / "release" / NAME / "backprop.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in released
    assert "run the cell that defines forward_propagation first" in released  # visible part
    assert not [line for line in solution_lines() if line in released]
    feedback = (course / "feedback" / "tanh_slip" / NAME / "backprop.html").read_text()
    assert "relative error" in feedback and "central differences" in feedback


@pytest.mark.slow
def test_check_cells_ran_the_public_checks_in_the_kernel(course):
    graded = nbformat.read(str(course / "autograded" / "noisy" / NAME / "backprop.ipynb"),
                           as_version=4)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "check_backward_propagation")
    shown = json.dumps(cell.outputs)
    assert "dW1" in shown and "good" in shown and "not your grade" in shown


@pytest.mark.slow
def test_check_cells_accept_the_older_signature_grade_accepts(course):
    graded = nbformat.read(str(course / "autograded" / "older_cost" / NAME / "backprop.ipynb"),
                           as_version=4)
    cell = next(c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "check_compute_cost")
    shown = json.dumps(cell.outputs)
    assert "older signature of compute_cost" in shown and "FAILED" not in shown
    tests = [c for c in graded.cells if c.metadata.get("nbgrader", {}).get("grade_id", "")
             .startswith("test_compute_cost_")]  # and the grader's test cells say so too
    assert tests and all("older signature of compute_cost" in json.dumps(c.outputs)
                         and "passed: " in json.dumps(c.outputs) for c in tests)


@pytest.mark.slow
def test_checks_the_grader_cannot_grade_wait_for_a_person_not_zero(cli, tmp_path):
    """No filesystem layer (all turned off): `grade` would refuse (exit 3), so nbgrader's
    test cells get no automatic score, each saying why, and need a manual grade."""
    made = cli("course", "-a", NAME, "--solutions", SOLUTIONS, tmp_path)
    assert made.exit_code == 0, made.output
    env = {"PYTHONPATH": str(ROOT)}
    nbgrader(tmp_path, "generate_assignment", NAME, env=env)
    released = nbformat.read(str(tmp_path / "release" / NAME / "backprop.ipynb"), as_version=4)
    folder = tmp_path / "submitted" / "alice" / NAME
    folder.mkdir(parents=True)
    nbformat.write(fill_in(released, CORRECT), str(folder / "backprop.ipynb"))
    nbgrader(tmp_path, "autograde", NAME,
             env=dict(env, BACKPROP_GRADER_DISABLE="landlock,view,uid"))
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        grades = [g for g in gradebook.find_submission_notebook("backprop", NAME, "alice").grades
                  if g.name.startswith("test_")]
        assert grades and all(g.auto_score is None and g.needs_manual_grade for g in grades)
    graded = nbformat.read(str(tmp_path / "autograded" / "alice" / NAME / "backprop.ipynb"),
                           as_version=4)
    shown = json.dumps([c.outputs for c in graded.cells
                        if c.metadata.get("nbgrader", {}).get("grade")])
    assert "left for manual grading" in shown and "Cannot grade safely" in shown
