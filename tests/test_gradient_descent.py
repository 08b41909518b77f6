"""gradient_descent's own checks: functions reach the student's code as wire.Function sources
built in the worker. The verdicts every assignment shares (tests/variants_gradient_descent.py)
are tested in tests/test_verdicts.py."""

from __future__ import annotations

from conftest import failed_ids
from variants_gradient_descent import CORRECT

from grader.grading.results import GRADED

NAME = "gradient_descent"


def test_descend_really_calls_the_slope_it_is_given(assignment, grade):
    """A descend that ignores its slope argument (always 2x) fails on |x| and sin(x)."""
    result = grade(CORRECT.replace("x = x - alpha * slope(x)", "x = x - alpha * 2 * x"),
                   assignment=NAME)
    assert failed_ids(assignment(NAME), result) == {"descend_values"}
    check = next(c for c in result.failed)
    assert "lambda x: -1.0 if x < 0" in check.message


def test_a_student_error_inside_the_test_function_is_reported(assignment, grade):
    """f raises when called with a list: the student's mistake, reported with its line."""
    result = grade(CORRECT.replace("return (f(x + h) - f(x - h)) / (2 * h)",
                                   "return (f([x + h]) - f([x - h])) / (2 * h)"), assignment=NAME)
    assert result.status == GRADED
    assert failed_ids(assignment(NAME), result) == {"numerical_slope_central",
                                                    "numerical_slope_given_h"}
    assert all("TypeError" in c.message and "in numerical_slope" in c.message
               for c in result.failed)
