"""scalar_chain's verdicts: the reference and correct styles earn full marks, and each
catalogued mistake loses points in exactly the checks it should, with a message that says why."""

from __future__ import annotations

import pytest
from conftest import ROOT, SOLUTIONS, failed_ids
from curriculum import grade_text
from variants_scalar_chain import CORRECT, CORRECT_STYLES, FAULTY

from grader.assignment import load_assignment
from grader.results import GRADED

GRADIENT_CHECKS = {"gradients_hidden_weights", "gradients_hidden_biases",
                   "gradients_gradient_check"}

# gradients runs the student's own forward, so a swapped forward changes every gradient
EXPECTED_FAILURES = {
    "W_index_swapped": {"forward_hidden", "gradients_output"} | GRADIENT_CHECKS,
    "missing_w_j": GRADIENT_CHECKS,
    "error_sign": {"gradients_output"} | GRADIENT_CHECKS,
}

HINTS = {
    "W_index_swapped": "W_ij connects input i to hidden unit j",
    "missing_w_j": "the w_j factor is missing",
    "error_sign": "every sign is flipped",
}


@pytest.fixture(scope="module")
def assignment():
    return load_assignment("scalar_chain", solutions=SOLUTIONS)


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
        SOLUTIONS / "scalar_chain" / "reference.py").read_text()
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


def test_untouched_stub_scores_zero_and_says_not_written(grade):
    result = grade((ROOT / "assignments" / "scalar_chain" / "scalar_chain.py").read_text())
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)
