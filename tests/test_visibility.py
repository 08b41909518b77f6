"""What students see, and when: per-test visibility in the hidden spec (Gradescope's
vocabulary) and the run's --feedback level, in results.json (checked against Gradescope's
schema) and in report.html."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import EXAMPLES, SOLUTIONS
from formats import validate_gradescope

from grader.authoring import Spec
from grader.batch import grade

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("visibility")

HIDDEN = "backward_propagation: db2 has shape (n_y, 1)"  # keepdims fails it
LATER = "nn_model learns a separable data set"  # prefix; keepdims fails it too
SHOWN = "backward_propagation: db1 has shape (n_h, 1)"


@pytest.fixture(scope="module")
def solutions(tmp_path_factory):
    """The flagship's hidden tests with one check hidden and one shown after the due date,
    declared with spec.test(..., visibility=...)."""
    root = tmp_path_factory.mktemp("solutions")
    shutil.copytree(SOLUTIONS / "one_hidden_layer", root / "one_hidden_layer")
    tests = root / "one_hidden_layer" / "tests.py"
    text = tests.read_text()
    text = text.replace(f'"{HIDDEN}",', f'"{HIDDEN}", visibility="hidden",', 1)
    assert "visibility=" in text, "the hidden test's declaration moved: update HIDDEN"
    tests.write_text(text + (
        "\nfor _test in spec.tests:\n"
        f"    if _test.name.startswith({LATER!r}):\n"
        "        _test.visibility = 'after_due_date'\n"))
    return root


@pytest.fixture(scope="module")
def graded(solutions, tmp_path_factory):
    """keepdims graded at each feedback level: {level: its student folder}."""
    folders = {}
    for level in ("full", "summary", "score"):
        out = tmp_path_factory.mktemp(level)
        grade(assignment="one_hidden_layer", paths=[EXAMPLES / "keepdims.py"], out=out,
              solutions=solutions, jobs=1, plots=False, feedback=level)
        folders[level] = out / "keepdims"
    return folders


def results_json(folder) -> dict:
    data = json.loads((folder / "results.json").read_text())
    validate_gradescope(data)
    return data


def test_results_json_carries_each_tests_visibility(graded):
    data = results_json(graded["full"])
    visibility = {test["name"]: test["visibility"] for test in data["tests"]}
    assert visibility[HIDDEN] == "hidden"
    assert [v for name, v in visibility.items() if name.startswith(LATER)] == ["after_due_date"]
    assert visibility[SHOWN] == "visible"
    assert data["visibility"] == "visible" and data["stdout_visibility"] == "visible"
    shown = next(test for test in data["tests"] if test["name"] == SHOWN)
    assert "expected (4, 1)" in shown["output"] and "keepdims" in shown["output"]


def test_summary_gives_pass_fail_without_messages(graded):
    data = results_json(graded["summary"])
    assert data["stdout_visibility"] == "hidden"
    shown = next(test for test in data["tests"] if test["name"] == SHOWN)
    assert shown["status"] == "failed" and shown["output"] == ""
    assert data["score"] == 96
    page = (graded["summary"] / "report.html").read_text()
    assert SHOWN in page and "expected (4, 1)" not in page and "Likely mistake" not in page


def test_score_gives_the_score_only(graded):
    data = results_json(graded["score"])
    assert data["tests"] == [] and data["score"] == 96
    assert "failed" not in data["output"]
    page = (graded["score"] / "report.html").read_text()
    assert "96" in page and SHOWN not in page and "Only the score is released" in page


def test_report_html_leaves_out_checks_not_yet_visible(graded):
    page = (graded["full"] / "report.html").read_text()
    assert SHOWN in page and "expected (4, 1)" in page
    assert HIDDEN not in page and LATER not in page
    assert "2 more check(s)" in page and "they count in the score above" in page
    model = json.loads((graded["full"] / "grader.json").read_text())
    assert {c["name"]: c["visibility"] for c in model["checks"]}[HIDDEN] == "hidden"


def test_an_unknown_visibility_is_refused():
    spec = Spec("x", "x.py")
    with pytest.raises(ValueError, match="visibility must be one of"):
        spec.test("t", points=1, function="f", visibility="secret")


def test_the_gradescope_autograder_follows_the_feedback_level(tmp_path, solutions):
    """`grade gradescope --feedback summary` (or BACKPROP_GRADER_GRADESCOPE_FEEDBACK in the
    bundle's environment): results.json without messages, each test's visibility kept."""
    from conftest import run_cli

    (tmp_path / "submission").mkdir()
    shutil.copy(EXAMPLES / "keepdims.py", tmp_path / "submission" / "backprop.py")
    result = run_cli("gradescope", "-a", "one_hidden_layer", "--root", tmp_path,
                     "--solutions", solutions,
                     env={"BACKPROP_GRADER_GRADESCOPE_FEEDBACK": "summary"})
    assert result.exit_code == 0, result.output
    data = results_json(tmp_path / "results")
    assert data["score"] == 96 and data["stdout_visibility"] == "hidden"
    assert all(test["output"] in ("", "NOT GRADABLE") for test in data["tests"])
    assert {t["name"]: t["visibility"] for t in data["tests"]}[HIDDEN] == "hidden"
