"""Every assignment's verdicts: the reference, the example and every correct style earn full
marks; each faulty variant loses points in exactly the checks it should (EXPECTED_FAILURES of
its variants module: conftest.variants_of), with a message
that says why; an untouched stub scores zero and says so. What only one assignment does is
tested in tests/test_<name>.py."""

from __future__ import annotations

import pytest
from conftest import ASSIGNMENTS, RELEASED, SOLUTIONS, failed_ids, variants_of

from grader.grading.results import GRADED


def cases(table: str):
    """(assignment, key) for every key of that table in every assignment's variants."""
    return [(name, key) for name in ASSIGNMENTS
            for key in sorted(getattr(variants_of(name), table))]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_faulty_variant_has_an_expectation_and_100_points(assignment, name):
    assert set(variants_of(name).EXPECTED_FAILURES) == set(variants_of(name).FAULTY)
    assert set(variants_of(name).HINTS) <= set(variants_of(name).FAULTY)
    assert assignment(name).spec.max_score == 100


@pytest.mark.parametrize("name", ASSIGNMENTS)
@pytest.mark.parametrize("source", ["reference", "example"])
def test_reference_and_example_earn_full_marks(grade, name, source):
    text = variants_of(name).CORRECT if source == "example" else (
        SOLUTIONS / name / "reference.py").read_text()
    result = grade(text, assignment=name)
    assert result.status == GRADED
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == result.max_score == 100


@pytest.mark.parametrize("name, style", cases("CORRECT_STYLES"))
def test_correct_styles_earn_full_marks(grade, name, style):
    result = grade(variants_of(name).CORRECT_STYLES[style], style, assignment=name)
    assert [(c.name, c.message) for c in result.failed] == []
    assert result.score == 100


@pytest.mark.parametrize("name, mistake", cases("FAULTY"))
def test_each_mistake_loses_exactly_its_checks(assignment, grade, name, mistake):
    variants = variants_of(name)
    result = grade(variants.FAULTY[mistake], mistake, assignment=name)
    assert result.status == GRADED
    assert failed_ids(assignment(name), result) == variants.EXPECTED_FAILURES[mistake]
    assert all(check.message for check in result.failed)
    assert result.score == result.max_score - sum(c.max_points for c in result.failed)
    if mistake in variants.HINTS:
        assert all(variants.HINTS[mistake] in check.message for check in result.failed)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_untouched_stub_scores_zero_and_says_not_written(assignment, grade, name):
    spec = assignment(name).spec
    result = grade((RELEASED / name / spec.student_file).read_text(),
                   assignment=name)
    assert result.score == 0 and result.status == GRADED
    assert all("not written yet" in c.message for c in result.checks)
