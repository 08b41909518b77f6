"""Named mistakes in the curriculum's assignments (chain_rule, scalar_chain, gradient_descent):
every catalogued mistake, written the way a student would, is named on the checks it fails;
the faulty variants of tests/variants_<name>.py get the name they should (or none); correct
code and unrelated wrong answers are never given a name; and the hidden tests kill the
mutants of each reference (the audit)."""

from __future__ import annotations

import importlib

import pytest
from conftest import SOLUTIONS
from curriculum import grade_text

from grader.course.audit import audit
from grader.grading.diagnosis import diagnose
from grader.grading.mistakes import load_catalogue
from grader.grading.results import GRADED, PASSED
from grader.grading.spec import run_test
from grader.isolation.session import StudentSession
from grader.loading.assignment import load_assignment
from grader.reports import gradescope

ASSIGNMENTS = ("chain_rule", "scalar_chain", "gradient_descent")
VARIANTS = {name: importlib.import_module(f"variants_{name}") for name in ASSIGNMENTS}

# The faulty variants of tests/variants_<name>.py that are a catalogued mistake, and its id;
# every other faulty variant must get no name.
NAMED_FAULTY = {
    "chain_rule": {
        "half_cost_convention": "half_cost_gradient",
        "missing_sigma_prime": "missing_sigma_prime",
        "sigma_prime_of_a": "sigma_prime_of_a",
        "W_not_transposed": "W_not_transposed",
        "average_not_divided_by_n": "average_without_1_over_n",
    },
    "scalar_chain": {
        "W_index_swapped": "W_index_swapped",
        "missing_w_j": "missing_w_j",
        "error_sign": "error_sign",
    },
    "gradient_descent": {
        "forward_difference": "forward_difference",
        "sum_for_product": "sum_for_product",
        "dw_transposed": "dw_transposed",
    },
}

# Measured with `grade audit -a <name>`: every non-equivalent mutant is killed (mutants: 188
# for chain_rule with 2 reviewed as equivalent, 122 for scalar_chain, 115 for
# gradient_descent).
AUDIT = {"chain_rule": (1.0, 180), "scalar_chain": (1.0, 115), "gradient_descent": (1.0, 110)}

LOADED = {}


def assignment(name):
    if name not in LOADED:
        LOADED[name] = load_assignment(name, solutions=SOLUTIONS)
    return LOADED[name]


def catalogue(name):
    return load_catalogue(assignment(name))


def named(name, result) -> dict[str, str | None]:
    """{failed check's id: the id of the mistake named on it, or None}."""
    ids = {test.name: test.id for test in assignment(name).spec.tests}
    return {ids[c.name]: (c.mistake or {}).get("id") for c in result.failed}


def cases(table: str):
    return [(name, key) for name in ASSIGNMENTS for key in sorted(getattr(VARIANTS[name], table))]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_catalogued_mistake_has_a_student_variant(name):
    mistakes = catalogue(name).mistakes
    assert 6 <= len(mistakes) <= 13
    assert {m.id for m in mistakes} == set(VARIANTS[name].MISTAKES)
    for mistake in mistakes:
        assert mistake.name and mistake.explanation and mistake.fix
    for mistake_id, _ in VARIANTS[name].MORE_SPELLINGS.values():
        assert mistake_id in VARIANTS[name].MISTAKES
    assert set(NAMED_FAULTY[name]) <= set(VARIANTS[name].FAULTY)
    assert set(NAMED_FAULTY[name].values()) <= set(VARIANTS[name].MISTAKES)


def student_spellings():
    return [(name, key, key) for name, key in cases("MISTAKES")] + [
        (name, key, VARIANTS[name].MORE_SPELLINGS[key][0])
        for name, key in cases("MORE_SPELLINGS")]


def source_of(name, key):
    variants = VARIANTS[name]
    return variants.MISTAKES[key] if key in variants.MISTAKES else variants.MORE_SPELLINGS[key][1]


@pytest.mark.parametrize("name, variant, mistake_id", student_spellings())
def test_each_catalogued_mistake_is_named_on_its_checks(name, variant, mistake_id, tmp_path):
    mistake = next(m for m in catalogue(name).mistakes if m.id == mistake_id)
    result = grade_text(assignment(name), source_of(name, variant), tmp_path, variant)
    assert result.status == GRADED
    names = named(name, result)
    assert result.failed, "the mistake must lose points"
    assert set(names.values()) == {mistake_id}, names  # named on every check it fails
    assert set(names) <= set(mistake.checks)
    report = gradescope.render(result)
    shown = [t["output"] for t in report["tests"] if t["status"] == "failed"]
    assert shown and all(f"The mistake: {mistake.name}." in out and f"Fix: {mistake.fix}" in out
                         for out in shown)


@pytest.mark.parametrize("name, variant", cases("UNNAMED"))
def test_unrelated_wrong_answers_get_no_name(name, variant, tmp_path):
    result = grade_text(assignment(name), VARIANTS[name].UNNAMED[variant], tmp_path, variant)
    assert result.failed
    assert set(named(name, result).values()) == {None}
    assert "The mistake:" not in str(gradescope.render(result))


@pytest.mark.parametrize("name, variant", cases("FAULTY"))
def test_faulty_variants_are_named_only_when_they_are_a_catalogued_mistake(name, variant,
                                                                           tmp_path):
    result = grade_text(assignment(name), VARIANTS[name].FAULTY[variant], tmp_path, variant)
    expected = NAMED_FAULTY[name].get(variant)
    names = named(name, result)
    assert set(names) == VARIANTS[name].EXPECTED_FAILURES[variant]
    assert names == {check: expected for check in names}


def correct_sources():
    found = []
    for name in ASSIGNMENTS:
        found += [(name, "reference"), (name, "example")]
        found += [(name, style) for style in sorted(VARIANTS[name].CORRECT_STYLES)]
    return found


@pytest.mark.parametrize("name, style", correct_sources())
def test_correct_styles_are_never_diagnosed_even_when_asked(name, style):
    """Diagnosis runs only on failed checks; here it is asked about every check anyway."""
    variants, loaded = VARIANTS[name], assignment(name)
    source = {"reference": (SOLUTIONS / name / "reference.py").read_text(),
              "example": variants.CORRECT}.get(style) or variants.CORRECT_STYLES[style]
    spec, asked = loaded.spec, 0
    with StudentSession(source, spec.student_file, timeouts=spec.timeouts) as student:
        for test in spec.tests:
            evidence = []
            assert run_test(test, student, loaded.reference, evidence=evidence).status == PASSED
            asked += len(catalogue(name).for_check(test.id))
            assert diagnose(catalogue(name), test.id, evidence) == [], test.name
    assert asked >= len(catalogue(name).mistakes)


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_hidden_tests_kill_the_mutants_and_name_every_catalogued_mistake(name):
    threshold, at_least = AUDIT[name]
    report = audit(assignment=name, solutions=SOLUTIONS, jobs=2)
    assert len(report.mutants) >= at_least
    assert report.score >= threshold, [o.id for o in report.survivors]
    assert report.mistake_problems == []
    assert report.wrongly_equivalent == [] and report.unknown_equivalents == []
    assert report.mistakes and all(o.killed and o.id.split("#")[0] in o.named
                                   for o in report.mistakes)
