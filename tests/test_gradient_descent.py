"""gradient_descent's verdicts: the reference and correct styles earn full marks, and each
catalogued mistake loses points in exactly the checks it should, with a message that says why.
Functions reach the student's code as wire.Function sources built in the worker."""

from __future__ import annotations

import pytest
from conftest import ROOT, SOLUTIONS, failed_ids
from curriculum import grade_text
from variants_gradient_descent import CORRECT, CORRECT_STYLES, FAULTY

from grader.assignment import load_assignment
from grader.results import GRADED

EXPECTED_FAILURES = {
    "forward_difference": {"numerical_slope_central", "numerical_slope_given_h"},
    "sum_for_product": {"chain_slope_values", "chain_slope_composition"},
    # values are compared whatever the orientation: the shape check alone charges it
    "dw_transposed": {"logistic_gradients_shapes"},
}

HINTS = {
    "forward_difference": "this is a forward difference",
    "sum_for_product": "the chain rule multiplies them",
    "dw_transposed": "it is transposed",
}


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("gradient_descent", solutions=SOLUTIONS)


@pytest.fixture
def grade(assignment, tmp_path):
    return lambda source, name="student": grade_text(assignment, source, tmp_path, name)


def test_every_faulty_variant_has_an_expectation():
    assert set(EXPECTED_FAILURES) == set(FAULTY)


def test_points_total_100(assignment):
    assert assignment.spec.max_score == 100


@pytest.mark.parametrize("source", ["reference", "example"])
def test_reference_and_example_earn_full_marks(grade, source):
    text = CORRECT if source == "example" else (
        SOLUTIONS / "gradient_descent" / "reference.py").read_text()
    result = grade(text)
    assert result.status == GRADED
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == result.max_score == 100


@pytest.mark.parametrize("style", sorted(CORRECT_STYLES))
def test_correct_styles_earn_full_marks(grade, style):
    result = grade(CORRECT_STYLES[style], style)
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == 100


@pytest.mark.parametrize("mistake", sorted(FAULTY))
def test_each_mistake_loses_exactly_its_checks(assignment, grade, mistake):
    result = grade(FAULTY[mistake], mistake)
    assert result.status == GRADED
    assert failed_ids(assignment, result) == EXPECTED_FAILURES[mistake]
    assert result.score == result.max_score - sum(c.max_points for c in result.failed)
    assert all(HINTS[mistake] in check.message for check in result.failed)


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


def test_untouched_stub_scores_zero_and_says_not_written(grade):
    stub = (ROOT / "assignments" / "gradient_descent" / "gradient_descent.py").read_text()
    result = grade(stub)
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)
