"""grader.authoring's Outputs and check_gradients (grader/grading/compare.py), through a real
assignment written with them and real submissions graded in workers: the structure, shape,
value and gradient checks give the usual messages, charge a mistake once, and the reference
runs once per case."""

from __future__ import annotations

import textwrap

import pytest

from grader.grading.results import GRADED
from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

REFERENCE = textwrap.dedent('''\
    import numpy as np

    CALLS = {"step": 0}


    def step(X, W, b):
        CALLS["step"] += 1
        ### BEGIN SOLUTION
        Z = W @ X + b
        ### END SOLUTION
        return Z, {"X": X}


    def grads(X, W, b, Y):
        m = X.shape[1]
        ### BEGIN SOLUTION
        dZ = (W @ X + b - Y) / m
        dW = dZ @ X.T
        db = np.sum(dZ, axis=1, keepdims=True)
        ### END SOLUTION
        return dW, db
''')

TESTS = textwrap.dedent('''\
    import functools

    import numpy as np

    from grader.authoring import GradientTable, Outputs, Spec, check_gradients, each_case, frozen

    spec = Spec(name="tiny", student_file="tiny.py")
    STEP = Outputs("step", ("Z", "cache"), args=lambda c: (c["X"], c["W"], c["b"]))
    GRADS = Outputs("grads", ("dW", "db"), args=lambda c: (c["X"], c["W"], c["b"], c["Y"]))


    @functools.cache
    def cases():
        rng = np.random.default_rng(0)
        return frozen([{"X": rng.standard_normal((3, 5)), "W": rng.standard_normal((2, 3)),
                        "b": rng.standard_normal((2, 1)), "Y": rng.standard_normal((2, 5))}
                       for _ in range(2)])


    def on(case):
        return f"X of shape {case['X'].shape}"


    def cost(case):
        X, Y = case["X"], case["Y"]
        return lambda p: float(np.sum((p["W"] @ X + p["b"] - Y) ** 2) / (2 * X.shape[1]))


    @spec.test("Z shape", points=1, function="step")
    def step_shape(student, ref):
        each_case(cases(), STEP.shapes_check(student, ref, "Z"), on)


    @spec.test("Z values", points=1, function="step")
    def step_values(student, ref):
        each_case(cases(), STEP.values_check(student, ref, "Z"), on)


    @spec.test("Z matches", points=1, function="step")
    def step_matches(student, ref):
        each_case(cases(), STEP.matches_check(student, ref, "Z"), on)


    @spec.test("grads returns", points=1, function="grads")
    def grads_returns(student, ref):
        each_case(cases(), GRADS.returns_check(student, ref=ref), on)


    @spec.test("db shape", points=1, function="grads")
    def grads_db_shape(student, ref):
        each_case(cases(), GRADS.shapes_check(student, ref, "db"), on)


    @spec.test("grads values", points=1, function="grads")
    def grads_values(student, ref):
        each_case(cases(), GRADS.values_check(student, ref), on)


    def gradient_test(student, ref, directional):
        table = GradientTable(1e-6)
        for case in cases():
            check_gradients(table, on(case), cost(case), {"W": case["W"], "b": case["b"]},
                            GRADS.of(student, case), key=ref if directional else None,
                            directional=directional)
        return table.result()


    @spec.test("grads check", points=1, function="grads")
    def grads_check(student, ref):
        return gradient_test(student, ref, True)


    @spec.test("grads check, every coordinate", points=1, function="grads")
    def grads_check_full(student, ref):
        return gradient_test(student, ref, False)
''')

CORRECT = REFERENCE.replace("CALLS = {\"step\": 0}\n", "").replace(
    '    CALLS["step"] += 1\n', "")


def variant(old, new):
    assert old in CORRECT
    return CORRECT.replace(old, new)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("solutions") / "tiny"
    folder.mkdir()
    (folder / "reference.py").write_text(REFERENCE)
    (folder / "tests.py").write_text(TESTS)
    return load_assignment("tiny", solutions=folder.parent)


@pytest.fixture
def grade(tiny, tmp_path):
    def grade(source):
        path = tmp_path / "student.py"
        path.write_text(source)
        result = grade_submission(tiny, Submission("student", path))
        assert result.status == GRADED, result.reason
        return {check.name: check for check in result.checks}
    return grade


def failed(checks) -> dict[str, str]:
    return {name: check.message for name, check in checks.items() if check.status != "passed"}


def test_a_correct_submission_passes_every_check_with_a_row_per_tensor(grade, tiny):
    checks = grade(CORRECT)
    assert failed(checks) == {}
    rows = checks["grads check"].data["gradient_check"]
    assert [(row["case"], row["tensor"], row["passed"]) for row in rows] == [
        ("X of shape (3, 5)", "dW", True), ("X of shape (3, 5)", "db", True)] * 2
    assert all(row["relative_error"] < 1e-6 for row in rows)
    # the reference's step ran once per case for all three step checks (and its plan)
    before = tiny.reference.CALLS["step"]
    grade(CORRECT)
    assert tiny.reference.CALLS["step"] == before


def test_a_wrong_structure_fails_with_the_tuple_message(grade):
    checks = grade(variant("return Z, {\"X\": X}", "return Z"))
    assert set(failed(checks)) == {"Z shape", "Z values", "Z matches"}
    assert all(message.startswith("with X of shape (3, 5): step should return a tuple of 2 "
                                  "values, got an array of shape (2, 5)")
               for message in failed(checks).values())


def test_a_transposed_output_fails_shape_and_values_with_the_hint(grade):
    checks = grade(variant("Z = W @ X + b", "Z = (W @ X + b).T"))
    messages = failed(checks)
    assert messages["Z shape"] == ("with X of shape (3, 5): Z has shape (5, 2), expected (2, 5): "
                                   "it is transposed; check the order of the matrix product or "
                                   "a missing .T")
    assert "so its values cannot be compared" in messages["Z values"]
    assert set(messages) == {"Z shape", "Z values", "Z matches"}


def test_a_rank_1_column_costs_its_shape_check_only(grade):
    checks = grade(variant("db = np.sum(dZ, axis=1, keepdims=True)", "db = np.sum(dZ, axis=1)"))
    assert set(failed(checks)) == {"db shape"}
    assert "it is a rank-1 array; sum with keepdims=True" in failed(checks)["db shape"]


def test_wrong_values_fail_values_and_both_gradient_checks_per_tensor(grade):
    checks = grade(variant("dW = dZ @ X.T", "dW = 2 * dZ @ X.T"))
    messages = failed(checks)
    assert set(messages) == {"grads values", "grads check", "grads check, every coordinate"}
    assert messages["grads values"].startswith("with X of shape (3, 5): dW is wrong in 6 of 6 "
                                               "entries (100%)")
    for name in ("grads check", "grads check, every coordinate"):
        assert messages[name].startswith("with X of shape (3, 5): dW: relative error ")
        assert "against central differences of the cost (must be below 1e-06)" in messages[name]
        rows = checks[name].data["gradient_check"]
        assert [(row["tensor"], row["passed"]) for row in rows] == [
            ("dW", False), ("db", True)] * 2
        assert rows[0]["relative_error"] == pytest.approx(1 / 3, rel=1e-4)


def test_returns_check_wants_as_many_entries_as_the_reference(grade):
    checks = grade(variant("return dW, db", "return dW[0], db"))
    assert failed(checks)["grads returns"] == (
        "with X of shape (3, 5): dW has 3 entries, expected 6 (shape (2, 3))")
