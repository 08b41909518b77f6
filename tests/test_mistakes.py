"""Named mistakes, for every assignment: every catalogued mistake, written the way a student
would (MISTAKES and MORE_SPELLINGS in tests/variants.py and tests/variants_<name>.py), is
named on the checks it fails, with its fix in the Gradescope output; the curriculum's faulty
variants get the name they should (or none); correct code and unrelated wrong answers are
never given a name; and the hidden tests kill the mutants of each reference (the audit)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from conftest import ASSIGNMENTS, CURRICULUM, EXAMPLES, FLAGSHIP, SOLUTIONS, variants_of

from grader.course.audit import audit
from grader.errors import UsageError
from grader.grading.diagnosis import diagnose, fits, name_mistakes
from grader.grading.mistakes import load_catalogue
from grader.grading.results import FAILED, GRADED, PASSED, CheckResult
from grader.grading.spec import run_test
from grader.isolation.session import StudentSession
from grader.loading.assignment import load_assignment, published_provided
from grader.reports import gradescope

# Each exercise's expectations (CATALOGUE_SIZE, MAY_STAY_UNNAMED, NAMED_FAULTY, AUDIT) are
# in its variants module (conftest.variants_of), with defaults for a new exercise.


def named(loaded, result) -> dict[str, str | None]:
    """{failed check's id: the id of the mistake named on it, or None}."""
    ids = {test.name: test.id for test in loaded.spec.tests}
    return {ids[c.name]: (c.mistake or {}).get("id") for c in result.failed}


def cases(table: str, assignments=ASSIGNMENTS):
    return [(name, key) for name in assignments
            for key in sorted(getattr(variants_of(name), table))]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_catalogued_mistake_has_a_student_variant(catalogue, name):
    variants = variants_of(name)
    mistakes = catalogue(name).mistakes if catalogue(name) else []  # mistakes.py is optional
    fewest, most = variants.CATALOGUE_SIZE
    assert fewest <= len(mistakes) <= most
    assert {m.id for m in mistakes} == set(variants.MISTAKES)
    for mistake in mistakes:
        assert mistake.name and mistake.explanation and mistake.fix
    for mistake_id, _ in variants.MORE_SPELLINGS.values():
        assert mistake_id in variants.MISTAKES
    assert set(variants.NAMED_FAULTY) <= set(variants.FAULTY)
    assert set(variants.NAMED_FAULTY.values()) <= set(variants.MISTAKES)


def student_spellings():
    return [(name, key, key) for name, key in cases("MISTAKES")] + [
        (name, key, variants_of(name).MORE_SPELLINGS[key][0])
        for name, key in cases("MORE_SPELLINGS")]


def source_of(name, key):
    variants = variants_of(name)
    return variants.MISTAKES[key] if key in variants.MISTAKES else variants.MORE_SPELLINGS[key][1]


@pytest.mark.parametrize("name, variant, mistake_id", student_spellings())
def test_each_catalogued_mistake_is_named_on_its_checks(assignment, catalogue, grade, name,
                                                        variant, mistake_id):
    mistake = next(m for m in catalogue(name).mistakes if m.id == mistake_id)
    result = grade(source_of(name, variant), variant, assignment=name)
    assert result.status == GRADED
    names = named(assignment(name), result)
    assert result.failed, "the mistake must lose points"
    must = {c for c in names if not c.startswith(tuple(variants_of(name).MAY_STAY_UNNAMED))}
    assert must and {c for c in must if names[c] == mistake_id} == must, names
    assert set(names.values()) <= {mistake_id, None}
    assert {c for c, n in names.items() if n} <= set(mistake.checks)
    report = gradescope.render(result)
    shown = [t["output"] for t in report["tests"] if t["status"] == "failed"]
    assert all(f"The mistake: {mistake.name}." in out and f"Fix: {mistake.fix}" in out
               for out, c in zip(shown, result.failed, strict=True) if c.mistake)


@pytest.mark.parametrize("name, variant", cases("UNNAMED"))
def test_unrelated_wrong_answers_get_no_name(assignment, grade, name, variant):
    result = grade(variants_of(name).UNNAMED[variant], variant, assignment=name)
    assert result.failed
    assert set(named(assignment(name), result).values()) == {None}
    assert "The mistake:" not in str(gradescope.render(result))


@pytest.mark.parametrize("name, variant", cases("FAULTY", CURRICULUM))
def test_faulty_variants_are_named_only_when_they_are_a_catalogued_mistake(assignment, grade,
                                                                           name, variant):
    variants = variants_of(name)
    result = grade(variants.FAULTY[variant], variant, assignment=name)
    expected = variants.NAMED_FAULTY.get(variant)
    names = named(assignment(name), result)
    assert set(names) == variants.EXPECTED_FAILURES[variant]
    assert names == {check: expected for check in names}


def correct_sources():
    """(assignment, source) for the reference, the example and each correct style; the
    flagship's are slow (its nn_model trains for every check it is asked about)."""
    found = []
    for name in ASSIGNMENTS:
        marks = [pytest.mark.slow] if name == FLAGSHIP else []
        found += [pytest.param(name, style, marks=marks) for style in
                  ["reference", "example", *sorted(variants_of(name).CORRECT_STYLES)]]
    return found


@pytest.mark.parametrize("name, style", correct_sources())
def test_correct_styles_are_never_diagnosed_even_when_asked(assignment, catalogue, name, style):
    """Diagnosis runs only on failed checks; here it is asked about every check anyway."""
    variants, loaded, mistakes = variants_of(name), assignment(name), catalogue(name)
    source = {"reference": (SOLUTIONS / name / "reference.py").read_text(),
              "example": variants.CORRECT}.get(style) or variants.CORRECT_STYLES[style]
    spec, asked = loaded.spec, 0
    # the assignment's provided modules importable, as when grading (deep_network's dnn_utils)
    limits = {"provided": [published_provided(loaded)]} if loaded.provided else None
    with StudentSession(source, spec.student_file, timeouts=spec.timeouts,
                        limits=limits) as student:
        for test in spec.tests:
            evidence = []
            assert run_test(test, student, loaded.reference, evidence=evidence).status == PASSED
            if mistakes is not None:  # an exercise without mistakes.py has nothing to name
                asked += len(mistakes.for_check(test.id))
                assert diagnose(mistakes, test.id, evidence) == [], test.name
    assert asked >= len(mistakes.mistakes if mistakes else [])


@pytest.mark.slow
@pytest.mark.parametrize("name", CURRICULUM)
def test_the_hidden_tests_kill_the_mutants_and_name_every_catalogued_mistake(name):
    threshold, at_least = variants_of(name).AUDIT
    report = audit(assignment=name, solutions=SOLUTIONS, jobs=2)
    assert len(report.mutants) >= at_least
    assert report.score >= threshold, [o.id for o in report.survivors]
    assert report.mistake_problems == []
    assert report.wrongly_equivalent == [] and report.unknown_equivalents == []
    assert bool(report.mistakes) == (SOLUTIONS / name / "mistakes.py").is_file()
    assert all(o.killed and o.id.split("#")[0] in o.named for o in report.mistakes)


# ------------------------------------------------------------------ the flagship's own


def test_evidence_rules():
    ref = {(("dW1",), "values"): np.ones(3), (("db1",), "values"): np.ones(2)}
    wrong = {(("dW1",), "values"): 7 * np.ones(3), (("db1",), "values"): 7 * np.ones(2)}
    half = {(("dW1",), "values"): 7 * np.ones(3), (("db1",), "values"): np.ones(2)}
    other = {(("dW1",), "values"): 7 * np.ones(3), (("db1",), "values"): 5 * np.ones(2)}
    assert fits(wrong, ref, wrong) == (True, True)
    assert fits(half, ref, wrong) == (True, True)  # made in one place only
    assert fits(ref, ref, wrong) == (True, False)  # correct: no evidence
    assert fits(other, ref, wrong) == (False, False)  # contradicts the mistake somewhere


def test_two_fitting_mistakes_are_named_only_when_another_check_settles_it(catalogue):
    plus, sign, zero = (next(m for m in catalogue(FLAGSHIP).mistakes if m.id == i)
                        for i in ("update_plus", "dZ2_sign", "zero_init"))
    checks = [CheckResult(str(i), "f", 0, 1, FAILED) for i in range(3)]
    name_mistakes(checks, {0: [plus, sign], 1: [zero]})
    assert checks[0].mistake is None and checks[1].mistake["id"] == "zero_init"
    name_mistakes(checks, {0: [plus, sign], 2: [plus]})
    assert checks[0].mistake["id"] == checks[2].mistake["id"] == "update_plus"


@pytest.mark.parametrize("old, new, message", [
    ('"A2_for_A1_in_dW2", "A2 where A1', '"missing_bias", "A2 where A1', "two mistakes"),
    ('("forward_A1",)', '("forward_A1", "no_such_check")', "unknown checks"),
    ('("dZ2 = A2 - Y", "dZ2 = Y - A2")', '("dZ2 = A2 - Y", "dZ2 = Y - A2"), ("nowhere", "x")',
     "matches nothing"),
])
def test_a_broken_catalogue_is_a_clear_error(cli, tmp_path, old, new, message):
    shutil.copytree(SOLUTIONS / "one_hidden_layer", tmp_path / "one_hidden_layer")
    path = tmp_path / "one_hidden_layer" / "mistakes.py"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(UsageError, match=message):
        load_catalogue(load_assignment("one_hidden_layer", solutions=tmp_path))
    # the grade command stops before grading anything, with the reason
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", tmp_path,
                 EXAMPLES)
    assert result.exit_code == 2 and message in result.output


def test_reports_show_the_named_mistake_and_its_fix_next_to_the_failed_check(cli, tmp_path):
    out = tmp_path / "reports"
    result = cli("--assignment", "one_hidden_layer", "--out", out, "--solutions", SOLUTIONS,
                 EXAMPLES, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "mistake: missing keepdims" in result.output and "mistake: missing 1/m" in result.output
    tests = json.loads((out / "keepdims" / "results.json").read_text())["tests"]
    db1 = next(t for t in tests if t["name"] == "backward_propagation: db1 has shape (n_h, 1)")
    assert db1["output"].startswith("with n_x=3, n_h=4, n_y=1, m=7: db1 has shape (4,)")
    assert "\n\nThe mistake: missing keepdims. np.sum(dZ, axis=1) returns" in db1["output"]
    assert "\nFix: sum with np.sum(dZ, axis=1, keepdims=True)" in db1["output"]
    assert not any("The mistake:" in t["output"] for t in tests if t["status"] == "passed")
    model = json.loads((out / "keepdims" / "grader.json").read_text())
    assert {c["mistake"]["id"] for c in model["checks"] if c["mistake"]} == {"missing_keepdims"}
    correct = json.loads((out / "correct" / "grader.json").read_text())
    assert all(c["mistake"] is None for c in correct["checks"])
    stub = json.loads((out / "stub" / "results.json").read_text())
    assert "The mistake:" not in json.dumps(stub)  # "not written yet" is no mistake
