"""An exercise is its folder: `grade new` writes one that works as it is, and the repository's
exercise-generic tests pick a new folder up with no edit under tests/ or grader/.

The proof runs in a copy of this course (solutions/, examples/, assignments/) with one more
exercise from `grade new`: it releases, audits at 100%, and the exercise-generic test files,
pointed at that copy (conftest's BACKPROP_GRADER_TEST_COURSE), pass for it: verdicts,
named mistakes, the graded class, the self-check with and without --assignment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from grader.course.audit import audit
from grader.course.nbgrader_course import source_notebook
from grader.course.stubs import release
from grader.public import load_file, released_name
from grader.selfcheck import PASSED, self_check

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("new_exercise")

NAME = "fit_demo"
# the least an author may write: reference.py, tests.py and the example (no public.py,
# mistakes, equivalent mutants or test data), as someone following docs/authoring.md might
BARE = "fit_bare"
# every test file that is parametrized over the exercises in solutions/
GENERIC = ("test_verdicts.py", "test_mistakes.py", "test_selfcheck.py", "test_cli.py",
           "test_stubs.py", "test_curriculum_robustness.py")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A copy of this course with one exercise more, written by `grade new`."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "examples", "assignments"):
        shutil.copytree(ROOT / folder, root / folder)
    result = run_cli("new", NAME, "--solutions", root / "solutions", "--examples",
                     root / "examples", "--dest", root / "assignments")
    assert result.exit_code == 0, result.output
    (root / "solutions" / BARE).mkdir()
    for file in ("reference.py", "tests.py"):
        text = (root / "solutions" / NAME / file).read_text()
        (root / "solutions" / BARE / file).write_text(text.replace(NAME, BARE))
    shutil.copytree(root / "examples" / NAME, root / "examples" / BARE)
    result = run_cli("release", "-a", BARE, "--solutions", root / "solutions", "--dest",
                     root / "assignments")
    assert result.exit_code == 0, result.output
    return root


def test_new_writes_the_folder_its_example_and_the_released_files(course):
    folder = course / "solutions" / NAME
    assert sorted(p.name for p in folder.iterdir()) == [
        "equivalent_mutants.py", "mistakes.py", "reference.py", "tests.py", "variants.py"]
    assert (course / "examples" / NAME / "correct.py").is_file()
    assert sorted(p.name for p in (course / "assignments" / NAME).iterdir()) == [
        f"{NAME}.py", released_name(NAME)]
    assert release(NAME, solutions=course / "solutions", dest=course / "assignments",
                   write=False) == []  # released as it is
    # the default self-check (no public.py): structure and the declared gradient table
    checks = load_file(course / "assignments" / NAME / released_name(NAME))
    assert checks.name == NAME and checks.functions == ["gradients"]
    assert [item.name for item in checks.items] == [
        "returns a dict of dw, db with the right shapes, on public random inputs",
        "agrees with central differences of your cost in w, b"]
    assert sum(checks.points(item) for item in checks.items) == 100
    # the released notebook gets a check cell for it
    cells = source_notebook(NAME, solutions=course / "solutions").cells
    assert any(f"check_here({NAME!r}, 'gradients', globals())" in c.source for c in cells)


def test_new_refuses_a_taken_or_bad_name(course):
    result = run_cli("new", NAME, "--solutions", course / "solutions")
    assert result.exit_code == 2 and "already exists" in result.output
    result = run_cli("new", "Not-a-name", "--solutions", course / "solutions")
    assert result.exit_code == 2 and "not a good exercise name" in result.output


def test_the_released_default_holds_no_hidden_value(course):
    """The hidden inputs and the reference's outputs on them appear nowhere in it."""
    import numpy as np

    from grader.loading.assignment import load_assignment

    text = (course / "assignments" / NAME / released_name(NAME)).read_text()
    loaded = load_assignment(NAME, solutions=course / "solutions")
    cases = loaded.spec.tests[0].run.__globals__["cases"]  # tests.py's hidden inputs
    numbers = {float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)}
    for case in cases():
        hidden = [*(np.ravel(a) for a in case),
                  *(np.ravel(v) for v in loaded.reference.gradients(*case).values())]
        for value in np.concatenate(hidden):
            if value not in (0.5,):  # b's constant: not a secret, and the range shows it
                assert not any(abs(value - n) < 1e-6 for n in numbers), value


@pytest.mark.slow
def test_it_audits_at_100_percent(course):
    report = audit(assignment=NAME, solutions=course / "solutions", jobs=1)
    assert report.score == 1.0 and len(report.mutants) >= 20
    assert report.mistakes and all(o.killed and o.named for o in report.mistakes)
    assert audit(assignment=BARE, solutions=course / "solutions", jobs=1).score == 1.0


@pytest.mark.slow
def test_the_exercise_generic_tests_pass_for_it_with_no_edit(course):
    env = {**os.environ, "BACKPROP_GRADER_TEST_COURSE": str(course)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-k", f"{NAME} or {BARE}",
                          *(str(ROOT / "tests" / name) for name in GENERIC)],
                         cwd=course, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", run.stdout).group(1))
    assert passed >= 35, run.stdout[-2000:]  # every generic test, for both new exercises


def test_the_default_self_check_explains_a_missing_keepdims(course, tmp_path):
    source = (course / "examples" / NAME / "correct.py").read_text()
    assert "keepdims=True" in source
    (tmp_path / f"{NAME}.py").write_text(source.replace("keepdims=True", "keepdims=False"))
    shutil.copy(course / "assignments" / NAME / released_name(NAME), tmp_path)
    report = self_check(tmp_path / f"{NAME}.py")
    failed = [o.message for o in report.outcomes if o.status != PASSED]
    assert len(failed) == 1 and "db'] has shape (1,), expected (1, 1)" in failed[0]
    assert "keepdims" in failed[0] and failed[0].startswith("with inputs of shapes (")


def test_release_refuses_public_checks_of_an_ungraded_function(course, tmp_path):
    shutil.copytree(course / "solutions" / NAME, tmp_path / NAME)
    (tmp_path / NAME / "public.py").write_text(
        "from grader.public import PublicChecks\n\nchecks = PublicChecks()\n\n\n"
        "@checks.check('returns a number', function='cost')\ndef cost(student):\n"
        "    student.cost(1, 2, 3, 4)\n")
    result = run_cli("release", "-a", NAME, "--solutions", tmp_path, "--dest", tmp_path / "out")
    assert result.exit_code == 2 and "functions no hidden test grades: ['cost']" in result.output
