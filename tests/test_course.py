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
from grader.course.nbgrader_course import nbgrader, source_notebook
from grader.course.stubs import make_stub

NAME = "one_hidden_layer"
RELEASED = ROOT / "assignments" / NAME / "backprop.ipynb"
# a correct submission whose functions write to stderr and raise numpy warnings: nbgrader
# would score such a test cell zero if that output reached the cell (not full marks)
NOISY = CORRECT.replace(
    "    dZ2 = A2 - Y\n",
    "    dZ2 = A2 - Y\n    __import__('sys').stderr.write('debug: in backward\\n')\n"
    "    __import__('warnings').warn('a warning from the student')\n"
    "    np.log(np.zeros(1))  # RuntimeWarning: divide by zero\n")
STUDENTS = {"noisy": NOISY, "tanh_slip": FAULTY["sigmoid_derivative_for_tanh"]}


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
    assert all("### BEGIN HIDDEN TESTS" in c.source for c in tests)
    assert all(f"solutions={str(SOLUTIONS.resolve())!r})" in c.source for c in tests)
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
        nbformat.write(fill_in(released, source), str(folder / "backprop.ipynb"))
    nbgrader(root, "autograde", NAME, env=env)
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
    cells = {}  # grade_id of each test cell -> the hidden test it runs
    for function in dict.fromkeys(t.function for t in spec.tests):
        for index, test in enumerate(t for t in spec.tests if t.function == function):
            cells[f"test_{function}_{index}"] = test.name
    nbgrader_scores = gradebook_scores(course)
    totals = {}
    for student in STUDENTS:
        result = json.loads((tmp_path / "out" / student / "grader.json").read_text())
        ours = {check["name"]: check["points"] for check in result["checks"]}
        theirs = {cells[grade_id]: score for grade_id, score in nbgrader_scores[student].items()}
        assert theirs == ours, student
        totals[student] = (sum(theirs.values()), result["score"])
    assert totals == {"noisy": (100, 100), "tanh_slip": (84, 84)}


@pytest.mark.slow
def test_hidden_tests_stay_out_of_the_student_release_and_feedback_is_written(course):
    released = (course / "release" / NAME / "backprop.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in released and "hidden_test" not in released
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
