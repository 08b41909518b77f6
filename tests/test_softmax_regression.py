"""softmax_regression's own checks: the stability check and its messages, the per-tensor
gradient table, and a reference that stays finite on extreme scores. The verdicts every
assignment shares (tests/variants_softmax_regression.py) are tested in tests/test_verdicts.py."""

from __future__ import annotations

import numpy as np
from conftest import failed_ids
from variants_softmax_regression import CORRECT, FAULTY, MISTAKES

from grader.grading.results import GRADED

NAME = "softmax_regression"


def test_the_reference_softmax_is_finite_and_normalised_on_extreme_scores(assignment):
    softmax = assignment(NAME).reference.softmax
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 700.0], [0.0, 0.0, -700.0]])
    A = softmax(Z)
    assert np.all(np.isfinite(A)) and np.allclose(A.sum(axis=0), 1)
    assert np.allclose(A[:, 0], [1, 0, 0]) and np.allclose(A[:, 1], [0, 1, 0])


def test_overflow_and_underflow_cost_the_stability_check_only_and_say_why(assignment, grade):
    for source in (FAULTY["softmax_unstable"], MISTAKES["min_subtraction"]):
        result = grade(source, assignment=NAME)
        assert result.status == GRADED
        assert failed_ids(assignment(NAME), result) == {"softmax_stable"}
        (check,) = result.failed
        assert "has NaN or infinite entries" in check.message
        assert "Subtract each column's max" in check.message
    # e^Z with no shift already breaks at Z + 1000; the min only when a column spans > 709
    unstable = grade(FAULTY["softmax_unstable"], assignment=NAME).failed[0].message
    assert "softmax(Z +1000)" in unstable
    assert "softmax(500 Z)" in grade(MISTAKES["min_subtraction"], assignment=NAME).failed[0].message


def test_a_constant_reply_does_not_pass_as_stable(assignment, grade):
    source = CORRECT.replace("    Z_shift = Z - Z.max(axis=0, keepdims=True)\n",
                             "    return np.zeros((7, 7))\n")
    result = grade(source, assignment=NAME)
    assert "softmax_stable" in failed_ids(assignment(NAME), result)


def test_the_gradient_check_has_a_row_per_case_and_tensor(grade):
    rows = lambda result: next(c for c in result.checks  # noqa: E731
                               if c.name.startswith("backward passes")).data["gradient_check"]
    good = rows(grade(CORRECT, assignment=NAME))
    assert [row["tensor"] for row in good] == ["dW", "db"] * 3
    assert all(row["passed"] and row["relative_error"] < 1e-6 for row in good)
    bad = rows(grade(FAULTY["dZ_backwards"], assignment=NAME))
    assert [row["passed"] for row in bad] == [False] * 6
    # dZ = Y - A is exactly -(A - Y): every gradient points the other way
    assert all(abs(row["relative_error"] - 1) < 1e-6 for row in bad)
