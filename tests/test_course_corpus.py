"""Work shaped like the course's own (issue 17): its helper module, its template's asserts,
its older compute_cost signature, .py files exported from notebooks with sklearn and
testCases imports, top-level training and plots, a cell that does not parse. Each is graded
as students hand it in, and must be graded fairly: a function that is right is paid in full,
one right for n_y = 1 only keeps most of its points, the older signature is paid in full.

The corpus is written by tests/course_corpus/make.py; EXPECTED below is what each earns.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, SOLUTIONS

from grader.batch import grade
from grader.grading.runner import grade_submission
from grader.isolation.session import StudentSession
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("course_corpus")

CORPUS = ROOT / "tests" / "course_corpus" / "submissions"
CORRECT = (ROOT / "examples" / "correct.py").read_text()

# student -> (score, the checks it fails, a text each failed check's message contains)
EXPECTED = {
    "any_n_y": (100, set(), None),
    # the template's assert(A2.shape == (1, X.shape[1])): only "works for any n_y" fails
    "template_asserts": (94, {"forward_any_n_y"},
                         "`forward_propagation` raised AssertionError (template_asserts.ipynb, "
                         "cell 7, line 10, in forward_propagation: `assert(A2.shape == "
                         "(1, X.shape[1]))`)"),
    "exported_script": (94, {"forward_any_n_y"}, "with n_y=2 (n_x=2, n_h=6, n_y=2, m=9), "
                        "`forward_propagation` raised AssertionError (exported_script.py, line"),
    "unparsable_cell": (88, {"nn_model_shapes", "nn_model_learns", "nn_model_any_n_y"},
                        "cell 11 of unparsable_cell.ipynb does not parse (SyntaxError at line 6:"
                        " expected ':'), so nn_model is not defined"),
    "older_cost_not_averaged": (92, {"cost_value"}, "the cost is wrong"),
    "no_predict": (92, {"predict_shape", "predict_values", "predict_any_n_y"},
                   "no_predict.py has no function "
                   "`predict`"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    grade(assignment="one_hidden_layer", paths=[CORPUS], out=out, solutions=SOLUTIONS,
          plots=False, jobs=1)
    return {student: json.loads((out / student / "grader.json").read_text())
            for student in EXPECTED}


def failed(report: dict) -> dict[str, str]:
    ids = {test.name: test.id for test in
           load_assignment("one_hidden_layer", solutions=SOLUTIONS).spec.tests}
    return {ids[c["name"]]: c["message"] for c in report["checks"] if c["status"] != "passed"}


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_course_shaped_work_is_graded_fairly(graded, student):
    score, checks, text = EXPECTED[student]
    report = graded[student]
    assert (report["score"], set(failed(report))) == (score, checks), failed(report)
    for message in failed(report).values():
        assert text in message


def test_the_corpus_is_what_make_writes(tmp_path):
    made = tmp_path / "made"
    shutil.copytree(ROOT / "tests" / "course_corpus", made)
    text = (made / "make.py").read_text()
    exec(compile(text, str(made / "make.py"), "exec"), {"__file__": str(made / "make.py"),
                                                        "__name__": "__main__"})
    for path in CORPUS.iterdir():
        assert (made / "submissions" / path.name).read_text() == path.read_text(), path.name


def test_skipped_imports_are_noted_and_nothing_the_sandbox_made_is_printed(graded):
    report = graded["exported_script"]
    assert "`import sklearn` (exported_script.py, line 4) skipped: not available to the " \
           "grader" in report["notes"]
    assert "`from testCases_v2 import *` (exported_script.py, line 3) skipped: not available " \
           "to the grader" in report["notes"]
    assert any(note.startswith("`clf = sklearn.linear_model.LogisticRegressionCV()` "
                               "(exported_script.py, line 20) skipped") for note in report["notes"])
    # its top-level training ran (matplotlib too: plots at top level), and printed only its own
    assert "Cost after iteration 0" in report["output"]
    for noise in ("font_manager", "Matplotlib", "matplotlib", "Permission denied", "mkdir"):
        assert noise not in report["output"]


def test_the_older_signature_is_noted_and_its_mistakes_are_named(graded):
    for student in ("template_asserts", "older_cost_not_averaged"):
        assert "compute_cost(A2, Y, parameters) is an older signature of compute_cost: " \
               "accepted, and graded as such" in graded[student]["notes"]
    cost = next(c for c in graded["older_cost_not_averaged"]["checks"]
                if c["name"].startswith("compute_cost: J"))
    assert cost["mistake"]["id"] == "cost_not_averaged"


def grade_text(tmp_path, source: str, name: str = "alice", solutions=SOLUTIONS):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    return grade_submission(load_assignment("one_hidden_layer", solutions=solutions),
                            Submission(name, path))


def test_the_provided_helper_module_is_importable_in_the_worker(tmp_path):
    source = CORRECT.replace("import numpy as np\n", "import numpy as np\n"
                             "from planar_utils import sigmoid, load_planar_dataset\n", 1)
    source = source[:source.index("def sigmoid(")] + source[source.index("def initialize_"):]
    assert "def sigmoid(" not in source
    result = grade_text(tmp_path, source)
    assert result.score == 100, [(c.name, c.message) for c in result.failed]
    assert result.notes == []


def test_a_graded_function_from_a_provided_module_earns_nothing(tmp_path):
    solutions = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS / "one_hidden_layer", solutions / "one_hidden_layer")
    helper = "import numpy as np\n\n\n" + CORRECT[CORRECT.index("def sigmoid("):]
    (solutions / "one_hidden_layer" / "provided" / "course_helpers.py").write_text(helper)
    source = CORRECT[:CORRECT.index("def predict(")] + "from course_helpers import predict\n"
    result = grade_text(tmp_path, source, solutions=solutions)
    assert {c.function for c in result.failed} == {"predict"}
    for check in result.failed:
        assert check.message == ("`predict` comes from course_helpers, a provided module: it "
                                 "earns points only when alice.py defines it itself")


def test_a_name_from_a_skipped_import_says_where_it_was_meant_to_come_from(tmp_path):
    source = CORRECT.replace("import numpy as np\n", "import numpy as np\n"
                             "from course_helpers_v2 import tanh_of\n", 1)
    source = source.replace("A1 = np.tanh(Z1)", "A1 = tanh_of(Z1)")
    result = grade_text(tmp_path, source)
    forward = next(c for c in result.failed if c.name.endswith("A1 = tanh(Z1)"))
    assert "NameError: name 'tanh_of' is not defined" in forward.message
    assert "`tanh_of` was meant to come from `from course_helpers_v2 import tanh_of` " \
           "(alice.py, line 4), which was skipped: ModuleNotFoundError" in forward.message
    assert result.notes == ["`from course_helpers_v2 import tanh_of` (alice.py, line 4) "
                            "skipped: not available to the grader"]
    # every function that does not need it is graded as usual
    assert {c.function for c in result.failed} <= {"forward_propagation", "predict", "nn_model"}


def test_a_failing_top_level_statement_costs_nothing_and_is_noted(tmp_path):
    # issue 25: the functions are graded; the statement that failed is named
    result = grade_text(tmp_path, "import no_such_module\n" + CORRECT + "\nundefined_thing()\n")
    assert result.score == 100, [(c.name, c.message) for c in result.failed]
    assert "`undefined_thing()` (alice.py, line 65) skipped: it raised NameError: name " \
           "'undefined_thing' is not defined; the rest of the file was loaded" in result.notes


def test_matplotlib_in_a_worker_prints_nothing_of_its_own(tmp_path):
    source = CORRECT + ("\nimport matplotlib\nimport matplotlib.pyplot as plt\n"
                        "plt.plot([1, 2], [3, 4])\nplt.title('loss')\n"
                        "plt.savefig('curve.png')\nprint('plotted')\n")
    with StudentSession(source, "backprop.py") as student:
        assert student.loads() is None
        assert student.call("sigmoid", (0.0,)) == 0.5
    assert student.output.decode() == "plotted\n"


def test_report_html_names_each_mistake_once_at_the_top(tmp_path):
    from formats import Page  # the reports' own HTML reader
    from variants import FAULTY

    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "bob.py").write_text(FAULTY["missing_keepdims"])
    rows = grade(assignment="one_hidden_layer", paths=[tmp_path / "subs"], out=tmp_path / "out",
                 solutions=SOLUTIONS, plots=False, jobs=1)
    html = (tmp_path / "out" / "bob" / "report.html").read_text()
    page = Page(html)
    assert page.words.count("Fix first: missing keepdims, 4 points over 2 checks") == 1
    assert html.count("np.sum(dZ, axis=1) returns a rank-1 array") == 1  # the explanation once
    assert html.count('href="#mistake-missing_keepdims"') == 2  # each check points to it
    assert 'id="mistake-missing_keepdims"' in html
    # the terminal summary names the mistake; a student without one gets the first cause
    assert rows[0].mistakes == ("missing keepdims",)
    assert rows[0].cause.startswith("with n_x=3, n_h=4, n_y=1, m=7: db1 has shape (4,)")


def test_the_terminal_summary_shows_the_first_failure_cause(graded):
    from rich.console import Console

    from grader.batch import Row
    from grader.reports.terminal import print_summary

    console = Console(record=True, width=300)
    row = Row("alice", 94, 100, "graded", ("forward_propagation works for any n_y",),
              cause="with n_y=2 (n_x=2, n_h=6, n_y=2, m=9), `forward_propagation` raised "
                    "AssertionError")
    print_summary([row], title="t", console=console)
    assert "first: with n_y=2 (n_x=2, n_h=6, n_y=2, m=9), `forward_propagation` raised " \
           "AssertionError" in console.export_text()


def test_report_html_lists_what_the_grader_left_out(tmp_path):
    shutil.copy(CORPUS / "exported_script.py", tmp_path / "carol.py")
    grade(assignment="one_hidden_layer", paths=[tmp_path / "carol.py"], out=tmp_path / "out",
          solutions=SOLUTIONS, plots=False, jobs=1)
    html = (tmp_path / "out" / "carol" / "report.html").read_text()
    assert "What the grader left out or accepted" in html
    assert "<code>" not in html.split("What the grader left out")[1][:50]
    assert "import sklearn` (carol.py, line 4) skipped: not available to the grader" in html
