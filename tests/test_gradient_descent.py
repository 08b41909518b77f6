"""gradient_descent's verdicts: the reference and correct styles earn full marks, and each
catalogued mistake loses points in exactly the checks it should, with a message that says why.
Functions reach the student's code as wire.Function sources built in the worker."""

from __future__ import annotations

import pytest
from conftest import SOLUTIONS, failed_ids
from curriculum import grade_text
from variants_gradient_descent import CORRECT

from grader.grading.results import GRADED
from grader.loading.assignment import load_assignment


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("gradient_descent", solutions=SOLUTIONS)


@pytest.fixture
def grade(assignment, tmp_path):
    return lambda source, name="student": grade_text(assignment, source, tmp_path, name)


def test_descend_really_calls_the_slope_it_is_given(assignment, grade):
    """A descend that ignores its slope argument (always 2x) fails on |x| and sin(x)."""
    result = grade(CORRECT.replace("x = x - alpha * slope(x)", "x = x - alpha * 2 * x"))
    assert failed_ids(assignment, result) == {"descend_values"}
    check = next(c for c in result.failed)
    assert "lambda x: -1.0 if x < 0" in check.message


def test_a_student_error_inside_the_test_function_is_reported(assignment, grade):
    """f raises when called with a list: the student's mistake, reported with its line."""
    result = grade(CORRECT.replace("return (f(x + h) - f(x - h)) / (2 * h)",
                                   "return (f([x + h]) - f([x - h])) / (2 * h)"))
    assert result.status == GRADED
    assert failed_ids(assignment, result) == {"numerical_slope_central", "numerical_slope_given_h"}
    assert all("TypeError" in c.message and "in numerical_slope" in c.message
               for c in result.failed)
