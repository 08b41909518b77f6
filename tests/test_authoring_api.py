"""grader.authoring: the one module hidden tests import, and what it promises.

A plain ``assert`` in a hidden test is a failed check with the assert's message; tests have
explicit ids; ``each_case`` names the failing case; the ``student`` a test receives has the
student's functions as its only attributes, so a function called ``close`` or ``output`` is
the student's, not the session's. Real assignments in a temporary solutions folder, graded
in real workers.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

import pytest
from conftest import SOLUTIONS

import grader.authoring as authoring
from grader.grading.results import ERROR, FAILED, GRADED, NOT_GRADABLE, PASSED
from grader.grading.runner import grade_submission
from grader.grading.spec import GRADER_PACKAGE, Spec
from grader.isolation.session import StudentSession
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission


def make_assignment(root, name, reference, tests):
    folder = root / "solutions" / name
    folder.mkdir(parents=True)
    (folder / "reference.py").write_text(textwrap.dedent(reference))
    (folder / "tests.py").write_text(textwrap.dedent(tests))
    return load_assignment(name, solutions=root / "solutions")


def grade(assignment, source, folder, name="student"):
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return grade_submission(assignment, Submission(name, path))


def checks(result) -> dict:
    return {check.name: (check.status, check.message) for check in result.checks}


# --------------------------------------------------------------- one module to import


def grader_imports(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return {name for name in found if name.split(".")[0] == "grader"}


HIDDEN_FILES = sorted([*SOLUTIONS.glob("*/tests.py"), *SOLUTIONS.glob("*/mistakes.py")])


@pytest.mark.parametrize("path", HIDDEN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hidden_files_import_only_grader_authoring(path):
    assert grader_imports(path) == {"grader.authoring"}


def test_the_authoring_module_exports_what_the_hidden_files_use():
    used = set()
    for path in HIDDEN_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "grader.authoring":
                used |= {alias.name for alias in node.names}
    assert used <= set(authoring.__all__)
    assert {"Spec", "CheckFailed", "StudentCallError", "Function", "GradientTable",
            "Mistake", "each_case", "check_values", "check_gradient"} <= set(authoring.__all__)
    assert all(hasattr(authoring, name) for name in authoring.__all__)


def test_no_hidden_test_patches_a_function_name():
    for path in SOLUTIONS.glob("*/tests.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for leaf in ast.walk(target):
                    assert not (isinstance(leaf, ast.Attribute) and leaf.attr == "__name__"), path


# ------------------------------------------------------------------------ explicit ids


def test_a_test_id_is_its_function_name_or_given_explicitly():
    spec = Spec(name="s", student_file="s.py")

    @spec.test("first", points=1, function="f")
    def plain(student, ref):
        pass

    for index in range(2):  # tests made in a loop: each says its id
        spec.test(f"made {index}", points=1, function="f", id=f"made_{index}")(
            lambda student, ref: None)
    assert [test.id for test in spec.tests] == ["plain", "made_0", "made_1"]
    with pytest.raises(ValueError, match="id"):  # a lambda has no usable name
        spec.test("no id", points=1, function="f")(lambda student, ref: None)
    with pytest.raises(ValueError, match="two tests have the id 'plain'"):
        spec.test("another name", points=1, function="f", id="plain")(plain)


def test_generated_tests_keep_the_ids_mistakes_and_reports_use():
    ids = {name: [test.id for test in load_assignment(name, solutions=SOLUTIONS).spec.tests]
           for name in ("one_hidden_layer", "chain_rule", "scalar_chain")}
    assert {"backward_dW2_value", "backward_db2_value", "backward_dW1_value",
            "backward_db1_value"} <= set(ids["one_hidden_layer"])
    assert {"dC_dw_value", "dC_dw_gradient_check", "dC_da_prev_value"} <= set(ids["chain_rule"])
    assert {"gradients_output", "gradients_hidden_weights",
            "gradients_hidden_biases"} <= set(ids["scalar_chain"])
    for found in ids.values():
        assert len(found) == len(set(found)) and "test" not in found


# ---------------------------------------------------------------- a plain assert fails

REFERENCE = '''\
    def double(x):
        return 2 * x
'''
ASSERTING_TESTS = '''\
    from grader.authoring import Spec, each_case

    spec = Spec(name="asserting", student_file="asserting.py")


    @spec.test("double(1) is 2", points=1, function="double")
    def with_message(student, ref):
        got = student.double(1)
        assert got == ref.double(1), f"double(1) should be 2, got {got}"


    @spec.test("double(2) is 4", points=1, function="double")
    def without_message(student, ref):
        got = student.double(2)
        assert (got ==
                4)


    @spec.test("double doubles every case", points=1, function="double")
    def per_case(student, ref):
        def check(x):
            assert student.double(x) == 2 * x, "not doubled"
        each_case([0, 1, 5], check, lambda x: f"x={x}")


    @spec.test("numpy's asserts count too", points=1, function="double")
    def numpy_assert(student, ref):
        import numpy as np
        np.testing.assert_allclose(student.double(3.0), 6.0)
'''


def test_a_plain_assert_is_a_failed_check_with_its_message(tmp_path):
    assignment = make_assignment(tmp_path, "asserting", REFERENCE, ASSERTING_TESTS)
    wrong = grade(assignment, "def double(x):\n    return 3 * x\n", tmp_path)
    assert wrong.status == GRADED and wrong.score == 0
    found = checks(wrong)
    assert found["double(1) is 2"] == (FAILED, "double(1) should be 2, got 3")
    assert found["double(2) is 4"] == (FAILED, "`assert got == 4` failed")
    assert found["double doubles every case"] == (FAILED, "with x=1: not doubled")
    status, message = found["numpy's asserts count too"]
    assert status == FAILED and "Not equal to tolerance" in message
    assert not any(str(tmp_path) in m or ".py" in m for _, m in found.values())  # no paths

    right = grade(assignment, "def double(x):\n    return 2 * x\n", tmp_path, "right")
    assert right.status == GRADED and right.score == right.max_score == 4


def test_an_assert_failing_inside_the_grader_itself_is_still_the_graders_error(tmp_path):
    inside = GRADER_PACKAGE / "grading" / "somewhere.py"
    tests = ASSERTING_TESTS + f'''
    @spec.test("the grader's own assert", points=1, function="double")
    def grader_assert(student, ref):
        exec(compile("assert False", {str(inside)!r}, "exec"))
'''
    assignment = make_assignment(tmp_path, "asserting", REFERENCE, tests)
    result = grade(assignment, "def double(x):\n    return 2 * x\n", tmp_path)
    assert checks(result)["the grader's own assert"][0] == ERROR
    assert result.status == NOT_GRADABLE


def test_asserts_stay_checks_under_python_dash_O(tmp_path):
    """``python -O`` drops assert statements; hidden tests are compiled with them kept."""
    make_assignment(tmp_path, "asserting", REFERENCE, ASSERTING_TESTS)
    probe = textwrap.dedent(f'''
        import sys
        from grader.loading.assignment import load_assignment
        assert sys.flags.optimize == 1
        spec = load_assignment("asserting", solutions={str(tmp_path / "solutions")!r}).spec
        class Wrong:
            def call(self, function, args, kwargs, seed=0):
                return -1
        from grader.grading.spec import Student
        try:
            spec.tests[1].run(Student(Wrong()), None)
        except AssertionError:
            print("kept")
    ''')
    done = subprocess.run([sys.executable, "-O", "-c", probe], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "kept", done.stderr


# -------------------------------------------------- the student's functions, only those

SHADOWING_REFERENCE = '''\
    import numpy as np


    def close(x):
        return x + 1


    def output(x):
        return 2 * x


    def call(x):
        return 3 * x


    def recorder(x):
        return 4 * x


    def protections(x):
        return 5 * x


    def with_seed(x):
        return 6 * x


    def draw():
        return float(np.random.rand())
'''
SHADOWING_TESTS = '''\
    from grader.authoring import Spec, check_float

    spec = Spec(name="shadowing", student_file="shadowing.py")
    NAMES = ("close", "output", "call", "recorder", "protections", "with_seed")

    for _name in NAMES:
        @spec.test(f"{_name} is the student's", points=1, function=_name, id=f"{_name}_value")
        def _test(student, ref, name=_name):
            got = check_float(f"{name}(7)", getattr(student, name)(7))
            assert got == getattr(ref, name)(7), f"{name}(7) is wrong"


    @spec.test("draw is seeded", points=1, function="draw")
    def draw_seeded(student, ref):
        import numpy as np
        np.random.seed(5)
        expected = ref.draw()
        assert check_float("draw()", student.draw.with_seed(5)()) == expected, "not seeded"
        assert student.draw.with_seed(5)() != student.draw(), "the seed should matter"
'''


def test_student_functions_named_like_the_sessions_attributes_are_the_students(tmp_path):
    assignment = make_assignment(tmp_path, "shadowing", SHADOWING_REFERENCE, SHADOWING_TESTS)
    result = grade(assignment, SHADOWING_REFERENCE, tmp_path)
    assert {name: status for name, (status, _) in checks(result).items()} == {
        check.name: PASSED for check in result.checks}, checks(result)
    assert result.status == GRADED and result.score == result.max_score == 7

    wrong = grade(assignment, SHADOWING_REFERENCE.replace("x + 1", "x + 2"), tmp_path, "wrong")
    assert [check.name for check in wrong.failed] == ["close is the student's"]


def test_the_student_a_test_receives_has_no_attribute_of_its_own():
    calls = []

    class Calls:
        def call(self, function, args, kwargs, seed=0):
            calls.append((function, args, kwargs, seed))
            return function

    student = authoring.Student(Calls())
    assert student.close(1, k=2) == "close" and student.plots.with_seed(3)() == "plots"
    assert calls == [("close", (1,), {"k": 2}, 0), ("plots", (), {}, 3)]
    assert [name for name in dir(student) if not name.startswith("_")] == []
    with pytest.raises(AttributeError):
        student._calls_of_the_grader  # noqa: B018
    with pytest.raises(AttributeError):
        student.close = None


def test_a_session_is_not_the_student():
    """The session keeps the grader's attributes; only a Student turns names into calls."""
    with StudentSession("def double(x):\n    return 2 * x\n", "s.py") as session:
        assert session.loads() is None
        with pytest.raises(AttributeError):
            session.double  # noqa: B018
        assert authoring.Student(session).double(2) == 4
