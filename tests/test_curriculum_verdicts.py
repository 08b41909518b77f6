"""The curriculum's verdicts, for every assignment but the flagship: the reference, the
example and every correct style earn full marks; each catalogued mistake loses points in
exactly the checks it should (tables in tests/variants_<name>.py), with a message that
says why; an untouched stub scores zero and says so."""

from __future__ import annotations

import importlib

import pytest
from conftest import ROOT, SOLUTIONS, failed_ids
from curriculum import grade_text

from grader.grading.results import GRADED
from grader.loading.assignment import load_assignment

ASSIGNMENTS = ("chain_rule", "scalar_chain", "gradient_descent")
VARIANTS = {name: importlib.import_module(f"variants_{name}") for name in ASSIGNMENTS}
LOADED = {}


def assignment(name):
    if name not in LOADED:
        LOADED[name] = load_assignment(name, solutions=SOLUTIONS)
    return LOADED[name]


def grade(name, source, folder, student="student"):
    return grade_text(assignment(name), source, folder, student)


def cases(table: str):
    return [(name, key) for name in ASSIGNMENTS for key in sorted(getattr(VARIANTS[name], table))]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_faulty_variant_has_an_expectation_and_100_points(name):
    assert set(VARIANTS[name].EXPECTED_FAILURES) == set(VARIANTS[name].FAULTY)
    assert assignment(name).spec.max_score == 100


@pytest.mark.parametrize("name", ASSIGNMENTS)
@pytest.mark.parametrize("source", ["reference", "example"])
def test_reference_and_example_earn_full_marks(name, source, tmp_path):
    text = VARIANTS[name].CORRECT if source == "example" else (
        SOLUTIONS / name / "reference.py").read_text()
    result = grade(name, text, tmp_path)
    assert result.status == GRADED
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == result.max_score == 100


@pytest.mark.parametrize("name, style", cases("CORRECT_STYLES"))
def test_correct_styles_earn_full_marks(name, style, tmp_path):
    result = grade(name, VARIANTS[name].CORRECT_STYLES[style], tmp_path, style)
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == 100


@pytest.mark.parametrize("name, mistake", cases("FAULTY"))
def test_each_mistake_loses_exactly_its_checks(name, mistake, tmp_path):
    variants = VARIANTS[name]
    result = grade(name, variants.FAULTY[mistake], tmp_path, mistake)
    assert result.status == GRADED
    assert failed_ids(assignment(name), result) == variants.EXPECTED_FAILURES[mistake]
    assert all(check.message for check in result.failed)
    assert result.score == result.max_score - sum(c.max_points for c in result.failed)
    if mistake in variants.HINTS:
        assert all(variants.HINTS[mistake] in check.message for check in result.failed)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_stub_scores_zero_and_says_not_written(name, tmp_path):
    spec = assignment(name).spec
    result = grade(name, (ROOT / "assignments" / name / spec.student_file).read_text(), tmp_path)
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)
