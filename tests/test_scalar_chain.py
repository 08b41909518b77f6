"""scalar_chain's verdicts: the reference and correct styles earn full marks, and each
catalogued mistake loses points in exactly the checks it should, with a message that says why."""

from __future__ import annotations

import pytest
from conftest import SOLUTIONS, failed_ids
from curriculum import grade_text
from variants_scalar_chain import CORRECT, FAULTY

from grader.grading.results import GRADED
from grader.loading.assignment import load_assignment


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("scalar_chain", solutions=SOLUTIONS)


@pytest.fixture
def grade(assignment, tmp_path):
    return lambda source, name="student": grade_text(assignment, source, tmp_path, name)


def test_gradient_check_table_has_a_row_per_case(grade):
    result = grade(FAULTY["missing_w_j"])
    check = next(c for c in result.failed if "central differences" in c.name)
    errors = [row["relative_error"] for row in check.data["gradient_check"]]
    assert len(errors) == 4 and all(error > 1e-3 for error in errors)
    passed = grade(CORRECT)
    check = next(c for c in passed.checks if "central differences" in c.name)
    assert max(row["relative_error"] for row in check.data["gradient_check"]) < 1e-8


def test_a_huge_wrong_z_is_a_failure_not_a_grader_error(assignment, grade):
    result = grade(CORRECT.replace("z1 = params", "z1 = 1e6 * params"))
    assert result.status == GRADED and all(c.status == "failed" for c in result.failed)
    ids = failed_ids(assignment, result)
    assert "forward_hidden" in ids
    assert "forward_output" not in ids  # judged against the student's own a_j
