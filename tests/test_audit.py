"""grade audit: mutants of the reference, the catalogue, the mutation score and survivors."""

from __future__ import annotations

import ast
import shutil
import textwrap

import pytest
from conftest import SOLUTIONS

from grader.course.audit import audit
from grader.course.mutants import mutants

SOURCE = textwrap.dedent('''\
    import numpy as np


    def helper(x):
        return x - 1


    def backward(A2, Y, A1):
        m = Y.shape[1]
        ### BEGIN SOLUTION
        dZ2 = A2 - Y
        dW2 = dZ2 @ A1.T / m
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m
        ### END SOLUTION
        return dW2, db2
''')


def test_mutants_cover_the_documented_operators_inside_solution_regions_only():
    found = {m.id: m for m in mutants(SOURCE)}
    expected = [
        "backward: dZ2 = A2 - Y -> dZ2 = Y - A2 [operands]",
        "backward: dZ2 = A2 - Y -> dZ2 = A2 + Y [operator]",
        "backward: dZ2 = A2 - Y -> dZ2 = -(A2 - Y) [sign]",
        "backward: dW2 = dZ2 @ A1.T / m -> dW2 = dZ2 @ A1.T [dropped]",
        "backward: dW2 = dZ2 @ A1.T / m -> dW2 = dZ2 @ A1 / m [transpose]",
        "backward: dW2 = dZ2 @ A1.T / m -> dW2 = dZ2.T @ A1.T / m [transpose]",
        "backward: dW2 = dZ2 @ A1.T / m -> dW2 = dZ2 * A1.T / m [operator]",
        "backward: db2 = np.sum(dZ2, axis=1, keepdims=True) / m -> "
        "db2 = np.sum(dZ2, axis=1) / m [keepdims]",
        "backward: db2 = np.sum(dZ2, axis=1, keepdims=True) / m -> "
        "db2 = np.sum(dZ2, axis=0, keepdims=True) / m [axis]",
    ]
    assert [e for e in expected if e not in found] == []
    assert not [i for i in found if "helper" in i or "m = Y.shape[1]" in i]
    for mutant in found.values():
        assert mutant.source != SOURCE and ast.parse(mutant.source)
        assert "def helper(x):\n    return x - 1" in mutant.source


TINY_REFERENCE = '''\
def double(x):
    ### BEGIN SOLUTION
    y = 2 * x
    ### END SOLUTION
    return y
'''
TINY_TESTS = '''\
from grader.grading.checks import CheckFailed, check_float
from grader.grading.spec import Spec

spec = Spec(name="tiny", student_file="tiny.py")


@spec.test("double(0) is 0", points=1, function="double")
def double_zero(student, ref):
    if check_float("double(0.0)", student.double(0.0)) != 0:
        raise CheckFailed("double(0.0) should be 0")
'''
TINY_EQUIVALENT = '''\
EQUIVALENT = {"double: y = 2 * x -> y = -(2 * x) [sign]": "-0.0 == 0.0",
              "double: y = 2 * x -> y = 3 * x [constant]": "wrongly listed: survives here"}
'''


@pytest.fixture
def tiny(tmp_path):
    folder = tmp_path / "solutions" / "tiny"
    folder.mkdir(parents=True)
    (folder / "reference.py").write_text(TINY_REFERENCE)
    (folder / "tests.py").write_text(TINY_TESTS)
    (folder / "equivalent_mutants.py").write_text(TINY_EQUIVALENT)
    return tmp_path / "solutions"


def test_cli_prints_score_survivors_and_equivalents_with_reasons(cli, tiny):
    result = cli("audit", "-a", "tiny", "--solutions", tiny, "-j", "2")
    assert result.exit_code == 0, result.output
    report = audit(assignment="tiny", solutions=tiny, jobs=2)
    survivors = {o.id for o in report.survivors}
    # double(0) = 0 cannot tell 2x from x, 0x or 3x; 2 / x raises, the constant 2 is not 0
    assert survivors == {"double: y = 2 * x -> y = x [dropped]",
                         "double: y = 2 * x -> y = 0 * x [constant]",
                         "double: y = 2 * x -> y = 1 * x [constant]"}
    assert [o.id for o in report.equivalent] == ["double: y = 2 * x -> y = -(2 * x) [sign]",
                                                 "double: y = 2 * x -> y = 3 * x [constant]"]
    killed = len(report.mutants) - len(survivors) - 2
    assert report.score == pytest.approx(killed / (killed + 3))
    assert f"mutation score {100 * report.score:.1f}%" in result.output
    assert "Survivors (no check fails: a weakness of the hidden tests): 3" in result.output
    assert "double: y = 2 * x -> y = 0 * x [constant]" in result.output
    assert "-0.0 == 0.0" in result.output
    failing = cli("audit", "-a", "tiny", "--solutions", tiny, "--min-score", "99")
    assert failing.exit_code == 1


def test_a_listed_equivalent_that_loses_points_is_reported(tiny):
    (tiny / "tiny" / "equivalent_mutants.py").write_text(
        'EQUIVALENT = {"double: y = 2 * x -> y = 2 [dropped]": "not really", "gone": "x"}\n')
    report = audit(assignment="tiny", solutions=tiny, jobs=2)
    assert [o.id for o in report.wrongly_equivalent] == ["double: y = 2 * x -> y = 2 [dropped]"]
    assert report.unknown_equivalents == ["gone"]


def test_unknown_assignment_is_a_usage_error(cli):
    result = cli("audit", "-a", "nope", "--solutions", SOLUTIONS)
    assert result.exit_code == 2 and "unknown assignment 'nope'" in result.output


@pytest.mark.slow
def test_the_flagship_hidden_tests_kill_at_least_98_percent_of_mutants():
    report = audit(assignment="one_hidden_layer", solutions=SOLUTIONS, jobs=2)
    assert len(report.mutants) > 100
    assert report.score >= 0.98, [o.id for o in report.survivors]
    assert report.mistake_problems == []
    assert report.wrongly_equivalent == [] and report.unknown_equivalents == []
    # every spelling of every catalogued mistake loses points and is named
    assert report.mistakes and all(o.killed and o.id.split("#")[0] in o.named
                                   for o in report.mistakes)


STRICT_TESTS = TINY_TESTS + '''

@spec.test("double(1) is 2", points=1, function="double")
def double_one(student, ref):
    if check_float("double(1.0)", student.double(1.0)) != 2:
        raise CheckFailed("double(1.0) should be 2")
'''
# "plus_five" fails double_zero and double_one; "triple" fails double_one only
STRICT_MISTAKES = '''
from grader.authoring import Mistake

mistakes = [
    Mistake("triple", "3x", "tripled", "double it", {triple},
            (("y = 2 * x", "y = 3 * x"),)),
    Mistake("plus_five", "2x + 5", "added 5", "do not add 5", {plus_five},
            (("y = 2 * x", "y = 2 * x + 5"),)),
]
'''


def strict_catalogue(folder, triple, plus_five):
    (folder / "tests.py").write_text(STRICT_TESTS)
    (folder / "equivalent_mutants.py").write_text("EQUIVALENT = {}\n")
    (folder / "mistakes.py").write_text(STRICT_MISTAKES.format(triple=triple, plus_five=plus_five))


def test_strict_exits_1_on_catalogue_problems_in_both_directions(cli, tiny):
    folder = tiny / "tiny"
    strict_catalogue(folder, '("double_one",)', '("double_zero", "double_one")')
    clean = cli("audit", "-a", "tiny", "--solutions", tiny, "-j", "2", "--strict")
    assert clean.exit_code == 0, clean.output
    assert "Catalogue problems" not in clean.output

    # a listed check it does not fail, and a failed check it does not list (a new folder:
    # a catalogue is loaded once per process)
    tiny = tiny.parent / "other"
    shutil.copytree(folder, tiny / "tiny")
    strict_catalogue(tiny / "tiny", '("double_zero", "double_one")', '("double_one",)')
    report = audit(assignment="tiny", solutions=tiny, jobs=2)
    assert sorted(report.mistake_problems) == [
        "plus_five: fails checks it does not list (so it is not named there): double_zero",
        "triple: lists checks none of its spellings fails: double_zero"]
    lenient = cli("audit", "-a", "tiny", "--solutions", tiny, "-j", "2")
    assert lenient.exit_code == 0, lenient.output
    assert "Catalogue problems: 2" in lenient.output
    strict = cli("audit", "-a", "tiny", "--solutions", tiny, "-j", "2", "--strict")
    assert strict.exit_code == 1, strict.output
    assert "--strict: 2 problem(s)" in strict.output
    # --strict adds to --min-score, it does not replace it
    both = cli("audit", "-a", "tiny", "--solutions", tiny, "--min-score", "0", "--strict")
    assert both.exit_code == 1


def test_strict_also_fails_on_a_wrong_equivalent_list(cli, tiny):
    (tiny / "tiny" / "equivalent_mutants.py").write_text(
        'EQUIVALENT = {"double: y = 2 * x -> y = 2 [dropped]": "not really"}\n')
    result = cli("audit", "-a", "tiny", "--solutions", tiny, "-j", "2", "--strict")
    assert result.exit_code == 1
    assert "--strict: 1 problem(s)" in result.output
