"""chain_rule's verdicts: the reference and correct styles earn full marks, and each
catalogued mistake loses points in exactly the checks it should, with a message that says why."""

from __future__ import annotations

import pytest
from conftest import SOLUTIONS, failed_ids
from curriculum import grade_text
from variants_chain_rule import CORRECT, CORRECT_STYLES, FAULTY

from grader.assignment import load_assignment, load_module
from grader.results import GRADED

SCALAR_CHECKS = {f"{name}_{kind}" for name in ("dC_dw", "dC_db", "dC_da_prev")
                 for kind in ("value", "gradient_check")}
BACKPROP_VALUES = {"backprop_grad_w", "backprop_grad_b", "backprop_gradient_check"}
AVERAGE_VALUES = {"average_values", "average_gradient_check"}

# backprop and average_gradient call the student's own helpers, so a wrong σ' or dC_da
# costs them too: their returned gradients are wrong.
EXPECTED_FAILURES = {
    "half_cost_convention": {"cost_value", "dC_da_value"} | SCALAR_CHECKS | BACKPROP_VALUES
    | AVERAGE_VALUES,
    "missing_sigma_prime": SCALAR_CHECKS | BACKPROP_VALUES | AVERAGE_VALUES,
    "sigma_prime_of_a": SCALAR_CHECKS | BACKPROP_VALUES | AVERAGE_VALUES,
    # every hidden network is non-square, so w^(l) @ delta cannot even be computed
    "W_not_transposed": {"backprop_shapes", "average_shapes"} | BACKPROP_VALUES | AVERAGE_VALUES,
    "average_not_divided_by_n": AVERAGE_VALUES,
}

HINTS = {
    "half_cost_convention": "exactly half the right value",
    "W_not_transposed": "w^(l) is not transposed",
    "average_not_divided_by_n": "times too large: divide the sum over examples by n",
    "missing_sigma_prime": "it matches the chain without σ'",
    "sigma_prime_of_a": "it matches σ' applied to the activation a = σ(z)",
}


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("chain_rule", solutions=SOLUTIONS)


@pytest.fixture
def grade(assignment, tmp_path):
    return lambda source, name="student": grade_text(assignment, source, tmp_path, name)


def test_every_faulty_variant_has_an_expectation():
    assert set(EXPECTED_FAILURES) == set(FAULTY)


def test_points_total_100(assignment):
    assert assignment.spec.max_score == 100


def test_hidden_networks_cover_depths_and_widths():
    tests = load_module("chain_rule_tests", SOLUTIONS / "chain_rule" / "tests.py")
    depths = {len(sizes) - 1 for sizes, _ in tests.NETWORKS}
    widths = {width for sizes, _ in tests.NETWORKS for width in sizes}
    assert depths == {2, 3, 4} and widths == {1, 2, 3, 4, 5}
    assert any(1 in sizes[1:-1] for sizes, _ in tests.NETWORKS)  # a width-1 hidden layer
    assert any(sizes[-1] == 1 for sizes, _ in tests.NETWORKS)  # and a single output
    for sizes, _ in tests.NETWORKS:  # no square w^(l): a missing transpose cannot pass
        assert all(rows != cols for cols, rows in zip(sizes[:-1], sizes[1:], strict=True))


@pytest.mark.parametrize("source", ["reference", "example"])
def test_reference_and_example_earn_full_marks(grade, source):
    text = CORRECT if source == "example" else (
        SOLUTIONS / "chain_rule" / "reference.py").read_text()
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
    assert all(check.message for check in result.failed)
    assert result.score == result.max_score - sum(c.max_points for c in result.failed)
    if mistake in HINTS:
        assert all(HINTS[mistake] in check.message for check in result.failed)


def test_gradient_check_reports_every_layer(grade):
    result = grade(FAULTY["average_not_divided_by_n"])
    check = next(c for c in result.failed if c.name.startswith("average_gradient passes"))
    table = check.data["gradient_check"]
    assert len(table) == 2 * (2 + 3 + 4 + 2)  # w and b of every layer of the four networks
    errors = {round(row["relative_error"], 6) for row in table}
    assert errors == {round((n - 1) / (n + 1), 6) for n in (3, 4, 5, 6)}  # n times too large


def test_untouched_stub_scores_zero_and_says_not_written(grade):
    from conftest import ROOT

    result = grade((ROOT / "assignments" / "chain_rule" / "chain_rule.py").read_text())
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)
