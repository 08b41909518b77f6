"""Regrades you can trust: grader.json records what produced the grade (grader version, a hash
of the hidden tests and reference, the machine, the protections); `grade diff` lists what a
regrade changed; `grade merge` refuses to mix reports graded with different hidden tests."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES, SOLUTIONS, run_cli

from grader import __version__
from grader.batch import grade
from grader.grading.provenance import hidden_material_hash

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("regrade")


def run(paths, out, solutions=SOLUTIONS):
    return grade(assignment="one_hidden_layer", paths=paths, out=out, solutions=solutions,
                 jobs=1, plots=False)


@pytest.fixture(scope="module")
def changed_solutions(tmp_path_factory):
    """The flagship's hidden tests with "compute_cost returns a float" worth 4 points, not 2
    (correct and keepdims both pass it)."""
    root = tmp_path_factory.mktemp("solutions")
    shutil.copytree(SOLUTIONS / "one_hidden_layer", root / "one_hidden_layer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    tests = root / "one_hidden_layer" / "tests.py"
    old = '@spec.test("compute_cost returns a float", points=2,'
    assert old in tests.read_text()
    tests.write_text(tests.read_text().replace(old, old.replace("points=2", "points=4")))
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory, changed_solutions):
    """The same class graded with the hidden tests as they are, then as changed."""
    base = tmp_path_factory.mktemp("runs")
    subs = base / "subs"
    subs.mkdir()
    for name in ("correct", "keepdims"):
        shutil.copy(EXAMPLES / f"{name}.py", subs / f"{name}.py")
    run([subs], base / "old")
    run([subs], base / "new", changed_solutions)
    return base


def test_grader_json_records_what_produced_the_grade(runs):
    model = json.loads((runs / "old" / "keepdims" / "grader.json").read_text())
    provenance = model["provenance"]
    assert provenance["grader_version"] == __version__
    assert provenance["tests_hash"] == hidden_material_hash(SOLUTIONS / "one_hidden_layer")
    assert provenance["platform"] and provenance["python"]
    assert model["protections"]["filesystem"]


def test_the_hash_follows_the_hidden_material(tmp_path, changed_solutions):
    assert hidden_material_hash(changed_solutions / "one_hidden_layer") != \
        hidden_material_hash(SOLUTIONS / "one_hidden_layer")
    copy = tmp_path / "copy"
    shutil.copytree(SOLUTIONS / "one_hidden_layer", copy)
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert hidden_material_hash(copy) == hidden_material_hash(SOLUTIONS / "one_hidden_layer")
    (copy / "reference.py").write_text((copy / "reference.py").read_text() + "\n")
    assert hidden_material_hash(copy) != hidden_material_hash(SOLUTIONS / "one_hidden_layer")


def test_diff_lists_score_changes_and_changed_checks(runs):
    result = run_cli("diff", "--format", "json", runs / "old", runs / "new")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    assert changes["same_tests"] is False
    changed = {change["student"]: change for change in changes["changed"]}
    assert set(changed) == {"correct", "keepdims"}
    assert (changed["keepdims"]["old_score"], changed["keepdims"]["new_score"]) == (96, 98)
    assert changed["correct"]["checks"] == [{"check": "compute_cost returns a float",
                                             "old": ["passed", 2], "new": ["passed", 4]}]
    text = run_cli("diff", runs / "old", runs / "new").output
    assert "hidden tests differ" in text and "correct: 100 -> 102" in text


def test_diff_names_checks_whose_outcome_changed(tmp_path):
    """A student whose file now fails two shape checks (a resubmission graded again)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(EXAMPLES / "correct.py", tmp_path / "a" / "ada.py")
    shutil.copy(EXAMPLES / "keepdims.py", tmp_path / "b" / "ada.py")
    run([tmp_path / "a"], tmp_path / "old")
    run([tmp_path / "b"], tmp_path / "new")
    result = run_cli("diff", tmp_path / "old", tmp_path / "new")
    assert result.exit_code == 0, result.output
    assert "ada: 100 -> 96" in result.output
    assert "backward_propagation: db1 has shape (n_h, 1): passed -> failed (2 -> 0)" in \
        result.output
    assert "hidden tests differ" not in result.output
    assert "1 student(s) changed" in result.output


def test_merge_refuses_mixed_hidden_tests_unless_told(runs, tmp_path):
    result = run_cli("merge", "-o", tmp_path / "class", runs / "old", runs / "new")
    assert result.exit_code == 2 and "different hidden tests" in result.output
    assert not (tmp_path / "class" / "keepdims").exists()
    result = run_cli("merge", "-o", tmp_path / "class2", "--mixed-tests", runs / "old")
    assert result.exit_code == 0, result.output
