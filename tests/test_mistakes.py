"""Named mistakes: every catalogued mistake, written the way a student would, is named on the
checks it fails, with its fix in the Gradescope output; correct code and unrelated wrong
answers are never given a name."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, SOLUTIONS, failed_ids
from variants import CORRECT_STYLES, MISTAKES, UNNAMED

from grader.cli import main
from grader.errors import UsageError
from grader.grading.diagnosis import diagnose, fits, name_mistakes
from grader.grading.mistakes import load_catalogue
from grader.grading.results import FAILED, PASSED, CheckResult
from grader.grading.spec import run_test
from grader.isolation.session import StudentSession
from grader.loading.assignment import load_assignment
from grader.reports import gradescope


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(load_assignment("one_hidden_layer", solutions=SOLUTIONS))


def named(flagship, result) -> dict[str, str | None]:
    ids = {test.name: test.id for test in flagship.spec.tests}
    return {ids[c.name]: (c.mistake or {}).get("id") for c in result.failed}


def test_the_catalogue_has_at_least_15_mistakes_each_with_a_student_variant(catalogue):
    assert len(catalogue.mistakes) >= 15
    assert {m.id for m in catalogue.mistakes} == set(MISTAKES)
    for mistake in catalogue.mistakes:
        assert mistake.name and mistake.explanation and mistake.fix


@pytest.mark.parametrize("mistake_id", sorted(MISTAKES))
def test_each_catalogued_mistake_is_named_on_its_checks(flagship, grade_source, catalogue,
                                                        mistake_id):
    mistake = next(m for m in catalogue.mistakes if m.id == mistake_id)
    result = grade_source(MISTAKES[mistake_id], mistake_id)
    names = named(flagship, result)
    assert result.failed, "the mistake must lose points"
    # named on every check it fails (training can diverge, so nn_model checks may stay unnamed)
    must = {c for c in failed_ids(flagship, result) if not c.startswith("nn_model")}
    assert must and {c for c in must if names[c] == mistake_id} == must, names
    assert {c for c, n in names.items() if n} <= set(mistake.checks)
    assert set(names.values()) <= {mistake_id, None}
    report = gradescope.render(result)
    shown = [t["output"] for t in report["tests"] if t["status"] == "failed"]
    assert all(f"The mistake: {mistake.name}." in out and f"Fix: {mistake.fix}" in out
               for out, c in zip(shown, result.failed, strict=True) if c.mistake)


@pytest.mark.parametrize("variant", sorted(UNNAMED))
def test_unrelated_wrong_answers_get_no_name(flagship, grade_source, variant):
    result = grade_source(UNNAMED[variant], variant)
    assert result.failed
    assert named(flagship, result) == {c: None for c in failed_ids(flagship, result)}
    assert "The mistake:" not in str(gradescope.render(result))


CORRECT = {"reference": (SOLUTIONS / "one_hidden_layer" / "reference.py").read_text(),
           "examples_correct": (EXAMPLES / "correct.py").read_text(), **CORRECT_STYLES}


@pytest.mark.slow
@pytest.mark.parametrize("style", sorted(CORRECT))
def test_correct_styles_are_never_diagnosed_even_when_asked(flagship, catalogue, style):
    """Diagnosis runs only on failed checks; here it is asked about every check anyway."""
    spec, asked = flagship.spec, 0
    with StudentSession(CORRECT[style], spec.student_file, timeouts=spec.timeouts) as student:
        for test in spec.tests:
            evidence = []
            assert run_test(test, student, flagship.reference, evidence=evidence).status == PASSED
            asked += len(catalogue.for_check(test.id))
            assert diagnose(catalogue, test.id, evidence) == [], test.name
    assert asked >= len(catalogue.mistakes)


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
    plus, sign, zero = (next(m for m in catalogue.mistakes if m.id == i)
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
def test_a_broken_catalogue_is_a_clear_error(tmp_path, old, new, message):
    shutil.copytree(SOLUTIONS / "one_hidden_layer", tmp_path / "one_hidden_layer")
    path = tmp_path / "one_hidden_layer" / "mistakes.py"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(UsageError, match=message):
        load_catalogue(load_assignment("one_hidden_layer", solutions=tmp_path))
    # the grade command stops before grading anything, with the reason
    result = CliRunner().invoke(main, ["-a", "one_hidden_layer", "-o", str(tmp_path / "out"),
                                       "--solutions", str(tmp_path), str(EXAMPLES)])
    assert result.exit_code == 2 and message in result.output


def test_reports_show_the_named_mistake_and_its_fix_next_to_the_failed_check(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["--assignment", "one_hidden_layer", "--out", str(out),
                                       "--solutions", str(SOLUTIONS), str(EXAMPLES)])
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
