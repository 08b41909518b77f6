"""Every report format, validated against its own rules, all rendered from the results model."""

from __future__ import annotations

import io
import json
import re
import textwrap

import numpy as np
import pytest
from conftest import EXAMPLES, SOLUTIONS
from formats import (
    SVG_NS,
    assert_self_contained,
    markdown_table,
    parse_junit,
    png_images,
    read_csv,
    svg_charts,
    validate_gradescope,
)

from grader.batch import RESULT_MODEL_FILE, write_reports
from grader.grading.results import (
    ERROR,
    FAILED,
    NOT_GRADABLE,
    PASSED,
    CheckResult,
    SubmissionResult,
)
from grader.reports import classwide, html
from grader.reports.classwide import write_class_reports

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("reports")

STUDENTS = ("correct", "keepdims", "missing_1_over_m", "stub")
SCORES = {"correct": 100, "keepdims": 96, "missing_1_over_m": 78, "stub": 0}
TITLE = "Backprop 1 (4711)"
MISTAKE = {"name": "missing keepdims", "explanation": "np.sum drops the summed axis.",
           "fix": "sum with keepdims=True"}


@pytest.fixture(scope="module")
def graded(cli, tmp_path_factory):
    """The bundled examples graded once through the CLI, as an instructor would."""
    out = tmp_path_factory.mktemp("reports")
    result = cli("--assignment", "one_hidden_layer", "--out", out, "--solutions", SOLUTIONS,
                 "--title", TITLE, EXAMPLES)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def spec_checks(graded):
    return [c["name"] for c in json.loads((graded / "correct" / RESULT_MODEL_FILE)
                                          .read_text())["checks"]]


# ------------------------------------------------------------------------------ per student


def test_every_student_gets_every_file(graded):
    for student in STUDENTS:
        for name in ("results.json", RESULT_MODEL_FILE, html.FILENAME):
            assert (graded / student / name).is_file()
    assert classwide.MODEL_FILE == RESULT_MODEL_FILE
    assert not list(graded.rglob("*.tmp")), "no temporary file is left behind"


def test_results_json_follows_the_gradescope_schema(graded):
    for student in STUDENTS:
        data = json.loads((graded / student / "results.json").read_text())
        validate_gradescope(data)
        assert data["score"] == SCORES[student]
        assert sum(test["score"] for test in data["tests"]) == data["score"]


def test_report_html_is_self_contained_and_complete(graded, spec_checks):
    page = assert_self_contained(graded / "keepdims" / html.FILENAME)
    rows = [attrs for attrs in page.all("tr") if "check" in attrs.get("class", "").split()]
    assert len(rows) == len(spec_checks)
    statuses = [attrs["class"].split()[1] for attrs in rows]
    assert statuses.count(FAILED) == 2 and statuses.count(PASSED) == len(spec_checks) - 2
    assert "96 / 100 points" in page.words
    assert "db1 has shape (4,), expected (4, 1)" in page.words  # the check's message
    assert page.all("html")[0].get("lang") and page.all("meta")[0].get("charset") == "utf-8"


def test_report_html_shows_the_gradient_check_table(graded):
    page = assert_self_contained(graded / "missing_1_over_m" / html.FILENAME)
    gradient_rows = [attrs for tag, attrs in page.tags if tag == "tr"
                     and attrs.get("class") in (PASSED, FAILED)]
    assert len(gradient_rows) == 8  # 2 cases with n_y = 1 x dW1, db1, dW2, db2
    assert all(attrs["class"] == FAILED for attrs in gradient_rows)  # m times too large
    assert "Gradient check" in page.words and "1.0e-06" in page.words


def test_plots_appear_only_when_nn_model_ran(graded):
    assert_self_contained(graded / "correct" / html.FILENAME)
    charts = svg_charts((graded / "correct" / html.FILENAME).read_text())
    assert set(charts) == {"decision-boundary", "cost-curve"}
    assert len(charts["cost-curve"].findall(".//{*}polyline")) == 1
    assert len(charts["decision-boundary"].findall(".//{*}circle")) == 80  # the training set
    for student in ("stub", "keepdims"):  # nn_model never returned usable parameters
        assert svg_charts((graded / student / html.FILENAME).read_text()) == {}


def test_nn_model_hands_the_report_its_own_training(graded):
    model = json.loads((graded / "correct" / RESULT_MODEL_FILE).read_text())
    learns = next(c for c in model["checks"] if c["name"].startswith("nn_model learns"))
    training = learns["data"]["training"]
    assert len(training["X"]) == 2 and len(training["X"][0]) == 80
    assert [len(row) for row in training["params"]["W1"]] == [2, 2, 2, 2]
    curve = training["cost_curve"]
    assert [point["iteration"] for point in curve][0] == 0 and curve[-1]["iteration"] == 100
    costs = [point["cost"] for point in curve]
    assert abs(costs[0] - 0.6931) < 1e-3  # log 2: tiny random weights predict 0.5
    assert costs == sorted(costs, reverse=True) and costs[-1] < 0.01


# ------------------------------------------------------------------------------ class files


def test_summary_csv_has_a_row_per_student_and_points_per_check(graded, spec_checks):
    header, *rows = read_csv(graded / "summary.csv")
    assert header[:9] == ["student", "score", "max", "status", "source_file", "name",
                          "submitted_at", "late", "raw_score"]
    assert header[9:-1] == spec_checks and header[-1] == "reason"
    assert [row[0] for row in rows] == list(STUDENTS)
    for row in rows:
        assert float(row[1]) == SCORES[row[0]] == sum(float(v) for v in row[9:-1]) \
            == float(row[8])  # no late penalty: the raw score is the score
        assert row[4].endswith(f"{row[0]}.py")  # the file the id stands for
        assert row[2] == "100" and row[3] == "graded"


def test_canvas_csv_is_a_gradebook_import(graded):
    header, points, *rows = read_csv(graded / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", TITLE]
    assert points[0] == "Points Possible" and points[-1] == "100"
    assert {row[3]: float(row[5]) for row in rows} == SCORES


def test_junit_xml_has_a_suite_per_student_and_a_case_per_check(graded, spec_checks):
    root = parse_junit(graded / "junit.xml")
    suites = {suite.get("name"): suite for suite in root}
    assert list(suites) == list(STUDENTS)
    for student, suite in suites.items():
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert float(properties["score"]) == SCORES[student] and properties["max_score"] == "100"
        assert [case.get("name") for case in suite.findall("testcase")] == spec_checks
    failure = suites["keepdims"].find("testcase/failure")
    assert "keepdims=True" in failure.get("message") and "keepdims=True" in failure.text
    assert int(suites["stub"].get("failures")) == len(spec_checks)
    assert int(suites["correct"].get("failures")) == 0


def test_summary_md_renders_as_github_tables(graded):
    text = (graded / "summary.md").read_text()
    rows = markdown_table(text, "| student | score | % | failed checks |")
    assert [row[0] for row in rows] == ["correct", "keepdims", r"missing\_1\_over\_m", "stub"]
    assert [row[1] for row in rows] == ["100 / 100", "96 / 100", "78 / 100", "0 / 100"]
    assert text.startswith(f"## {TITLE}\n")
    assert "### keepdims: 96 / 100 points" in text and "### correct" not in text
    assert len(markdown_table(text, "| check | passed |")) == 34  # with the 5 any-n_y checks


def test_index_html_links_every_report(graded):
    page = assert_self_contained(graded / "index.html")
    links = [attrs["href"] for attrs in page.all("a")]
    assert links == [f"{student}/report.html" for student in STUDENTS]
    assert all((graded / link).is_file() for link in links)
    assert png_images(page) == []
    charts = svg_charts((graded / "index.html").read_text())
    histogram = charts.pop("histogram")
    assert [int(bar.get("data-count")) for bar in histogram.iter(SVG_NS + "rect")
            if bar.get("class") == "bin"] == [1, 0, 0, 0, 0, 0, 0, 1, 0, 2]  # 0, 78, 96, 100
    assert "68.5%" in page.words  # the mean of 100, 96, 78, 0
    assert len(charts) == 34  # a pass-rate bar per check
    assert all(chart.get("aria-label").endswith("% passed") for chart in charts.values())


# ------------------------------------------------------------------------- not gradable


CRASHY_TESTS = '''
from grader.grading.spec import Spec

spec = Spec(name="crashy", student_file="backprop.py", title="Crashy")


@spec.test("f returns one", points=2, function="f")
def f_returns_one(student, ref):
    assert student.f() == 1


@spec.test("the grader divides by zero", points=3, function="f")
def grader_bug(student, ref):
    return 1 / 0
'''


def test_a_crash_in_the_grader_says_not_gradable_in_every_format(cli, tmp_path):
    solutions = tmp_path / "solutions" / "crashy"
    solutions.mkdir(parents=True)
    (solutions / "reference.py").write_text("def f():\n    return 1\n")
    (solutions / "tests.py").write_text(textwrap.dedent(CRASHY_TESTS))
    (tmp_path / "ada.py").write_text("def f():\n    return 1\n")
    out = tmp_path / "out"
    result = cli("--assignment", "crashy", "--out", out, "--solutions", solutions.parent,
                 tmp_path / "ada.py")
    assert result.exit_code == 0, result.output
    assert_not_gradable_everywhere(out, "ada", "could not evaluate")


def test_a_submission_the_grader_could_not_run_at_all(tmp_path):
    result = SubmissionResult("bob", "one_hidden_layer", "bob.py", status=NOT_GRADABLE,
                              reason="the grader failed: OSError: no space left on device")
    write_reports(result, tmp_path, title="T")
    write_class_reports(tmp_path, students=["bob"], assignment="one_hidden_layer", title="T",
                        check_names=["a check"], max_score=10)
    assert_not_gradable_everywhere(tmp_path, "bob", "no space left on device")
    (suite,) = parse_junit(tmp_path / "junit.xml")
    (case,) = suite.findall("testcase")
    assert case.get("name") == "grading" and "no space left" in case.find("error").text


def assert_not_gradable_everywhere(out, student, reason):
    gradescope = json.loads((out / student / "results.json").read_text())
    validate_gradescope(gradescope)
    assert gradescope["output"].startswith("NOT GRADABLE") and reason in gradescope["output"]
    page = assert_self_contained(out / student / html.FILENAME)
    assert "Not gradable. This is not a score of 0" in page.words and reason in page.words
    header, row = read_csv(out / "summary.csv")
    assert row[1] == "" and row[3] == NOT_GRADABLE and reason in row[-1]  # no score, not 0
    *_, canvas = read_csv(out / "canvas.csv")
    assert canvas[0] == student and canvas[-1] == ""  # Canvas posts no grade
    (suite,) = parse_junit(out / "junit.xml")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["score"] == "not gradable" and reason in properties["reason"]
    assert int(suite.get("errors")) >= 1
    markdown = (out / "summary.md").read_text()
    (row,) = markdown_table(markdown, "| student | score | % | failed checks |")
    assert row[1] == "**not gradable**" and row[2] == "-"
    index = assert_self_contained(out / "index.html")
    assert "not gradable" in index.words and "1 not gradable" in index.words


# -------------------------------------------------------- named mistakes and hostile text


def hand_built() -> SubmissionResult:
    hostile = "<script>alert(1)</script> | =HYPERLINK(\"x\") \x00\x1b[31m 100% done\r\nnext"
    return SubmissionResult("eve", "one_hidden_layer", "eve.py", checks=[
        CheckResult("db1 has shape (n_h, 1)", "backward_propagation", 0.0, 2.0, FAILED,
                    "db1 has shape (4,), expected (4, 1)", mistake=MISTAKE),
        CheckResult("a check, with: odd text", "predict", 0.0, 3.0, FAILED, hostile),
        CheckResult("a grader bug", "predict", 0.0, 1.0, ERROR, "the grader could not"),
        CheckResult("fine", "predict", 4.0, 4.0, PASSED),
    ], output=hostile, status=NOT_GRADABLE, reason="=cmd|' /C calc'!A0")


@pytest.fixture
def written(tmp_path):
    write_reports(hand_built(), tmp_path, title="Hand built")
    write_class_reports(tmp_path, students=["eve"], assignment="one_hidden_layer",
                        title="Hand built", check_names=[c.name for c in hand_built().checks],
                        max_score=10)
    return tmp_path


def test_a_named_mistake_is_shown_next_to_its_check_everywhere(written):
    page = assert_self_contained(written / "eve" / html.FILENAME)
    words = page.words
    at = words.index("db1 has shape (n_h, 1)")
    assert words.index("Likely mistake: missing keepdims", at) < words.index("a check, with", at)
    assert "Fix: sum with keepdims=True" in words
    (suite,) = parse_junit(written / "junit.xml")
    failure = suite.find("testcase/failure")
    assert "Likely mistake: missing keepdims" in failure.text and "keepdims=True" in failure.text
    markdown = (written / "summary.md").read_text()
    assert "Likely mistake: **missing keepdims**" in markdown
    assert markdown_table(markdown, "| mistake | students | fix |") == [
        ["missing keepdims", "1", "sum with keepdims=True"]]
    index = assert_self_contained(written / "index.html").words
    assert "Commonest mistakes" in index and "missing keepdims 1 sum with keepdims=True" in index


def test_hostile_text_cannot_break_any_format(written):
    page = assert_self_contained(written / "eve" / html.FILENAME)
    assert not page.all("script") and "<script>alert(1)</script>" in page.words
    assert "\x1b" not in (written / "eve" / html.FILENAME).read_text()  # no terminal codes
    parse_junit(written / "junit.xml")  # control characters stripped: still well-formed
    header, row = read_csv(written / "summary.csv")
    assert row[-1].startswith("'=cmd")  # a spreadsheet will not run it as a formula
    markdown = (written / "summary.md").read_text()
    markdown_table(markdown, "| student | score | % | failed checks |")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


CONTROLS = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;title\x07\x00\x7f\x9b2J\x85\r"


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for pair in value.items() for item in pair for text in strings_in(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in strings_in(item)]
    return []


UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
VISIBLE = {code: f"\\x{code:02x}" for code in [*range(9), *range(11, 32), *range(127, 160)]} | {
    ord("\r"): "\n"}


def test_control_characters_become_visible_as_they_enter_the_results_model():
    """Set by the constructor, by assignment, inside check data (keys too) and read back from
    grader.json: no C0 control but tab and newline, no DEL, no C1 control, no lone surrogate;
    the text stays readable."""
    check = CheckResult("c", "f", 0.0, 1.0, FAILED, "said " + CONTROLS + "\tend\nnext")
    assert check.message == ("said \\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[2J\\x1b]0;title\\x07\\x00"
                             "\\x7f\\x9b2J\\x85\n\tend\nnext")
    check.data = {"rows": [{"tensor" + CONTROLS: ["x\x1b", 1.5]}], "arr": np.zeros(2)}
    check.message = "\x1b[1;31mred\x1b[0m\r\nplain\ud800"
    assert check.message == "red\nplain\ufffd"  # colours go, CRLF is a line end
    result = SubmissionResult("s\x1b", "a", "f\x9b.py", output=CONTROLS, checks=[check])
    result.reason = CONTROLS
    back = SubmissionResult.from_dict(json.loads(json.dumps(result.to_dict(), default=list)))
    for model in (result, back):
        assert not [text for text in strings_in(model.to_dict()) if UNSAFE.search(text)]
        assert model.checks[0].data["rows"] == [
            {"tensor" + CONTROLS.translate(VISIBLE): ["x\\x1b", 1.5]}]
        assert (model.student, model.source_file) == ("s\\x1b", "f\\x9b.py")


def test_text_without_control_characters_is_kept_as_it_is():
    text = "fine\ttab\nline: é, ✓, 😀, \\x1b and \\ stay"
    data = {"rows": [{"tensor": "W1", "relative_error": 1e-9, "note": text}],
            "curve": [1.0, 0.5], "arr": np.arange(3)}
    check = CheckResult("c", "f", 1.0, 1.0, PASSED, text, data)
    assert check.message == text and check.data["rows"] == data["rows"]
    assert check.data["curve"] is data["curve"] and check.data["arr"] is data["arr"]


def test_the_terminal_summary_shows_names_as_they_are(tmp_path):
    """Rich markup in a student id or a name is shown, not obeyed (an unbalanced [/] would
    raise), and no control character reaches the terminal."""
    from rich.console import Console

    from grader.batch import Row
    from grader.reports.terminal import print_summary

    buffer = io.StringIO()
    rows = [Row("[bold red]eve[/][/]" + CONTROLS, 3, 10, "graded",
                ("[link=https://evil.example]x[/link]\x1b[2J",), ("[/]\x07",))]
    print_summary(rows, title="t", console=Console(file=buffer, width=400))
    shown = buffer.getvalue()
    assert "[bold red]eve[/][/]\\x1b]52;c;" in shown
    assert "[link=https://evil.example]x[/link]\\x1b[2J" in shown and "[/]\\x07" in shown
    assert not UNSAFE.search(shown)


def test_markdown_and_workflow_commands_escape_control_characters_themselves():
    """Belt and braces for the formats a terminal shows: text that did not come through the
    results model is cleaned there too."""
    from grader.reports import github, markdown

    for text in (markdown.escape(CONTROLS), github.escape_data(CONTROLS),
                 github.escape_property(CONTROLS)):
        assert not UNSAFE.search(text), text
        assert "x1b" in text and "x9b" in text


def test_class_files_are_read_back_from_disk(written):
    (written / "eve" / RESULT_MODEL_FILE).write_text("{ truncated")
    write_class_reports(written, students=["eve"], assignment="one_hidden_layer", title="T",
                        check_names=[], max_score=10)
    header, row = read_csv(written / "summary.csv")
    assert row[3] == NOT_GRADABLE and "could not be read back" in row[-1]


# ---------------------------------------------------------------------------- --fail-under


@pytest.mark.parametrize("threshold, code", [("70", 1), ("0", 0)])
def test_fail_under_exits_1_below_the_threshold(cli, tmp_path, threshold, code):
    result = cli("-a", "one_hidden_layer", "-o", tmp_path, "--solutions", SOLUTIONS,
                 "--fail-under", threshold, EXAMPLES / "correct.py", EXAMPLES / "stub.py")
    assert result.exit_code == code, result.output
    assert ("below 70%" in result.output and "stub" in result.output) == (code == 1)


def test_fail_under_passes_when_every_score_clears_it(cli, tmp_path):
    result = cli("-a", "one_hidden_layer", "-o", tmp_path, "--solutions", SOLUTIONS,
                 "--fail-under", "80", EXAMPLES / "correct.py", EXAMPLES / "keepdims.py")
    assert result.exit_code == 0, result.output


def test_fail_under_out_of_range_is_a_usage_error(cli, tmp_path):
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "o", "--solutions", SOLUTIONS,
                 "--fail-under", "150", EXAMPLES / "correct.py")
    assert result.exit_code == 2 and not (tmp_path / "o").exists()


def test_odd_check_data_costs_the_page_not_the_batch(tmp_path):
    result = SubmissionResult("zed", "one_hidden_layer", "zed.py", checks=[
        CheckResult("gradients", "backward_propagation", 0.0, 1.0, FAILED, "bad",
                    data={"gradient_check": ["not a row"]}),
        CheckResult("training", "nn_model", 0.0, 1.0, FAILED, "bad",
                    data={"training": {"X": [[1.0]], "Y": [[1.0]], "params": {"W1": "?"}}})])
    write_reports(result, tmp_path, title="T")
    page = assert_self_contained(tmp_path / "zed" / html.FILENAME)
    assert "could not be rendered" in page.words and "results.json" in page.words
    validate_gradescope(json.loads((tmp_path / "zed" / "results.json").read_text()))


def test_a_plot_that_cannot_be_drawn_becomes_a_note(tmp_path):
    result = SubmissionResult("zoe", "one_hidden_layer", "zoe.py", checks=[
        CheckResult("training", "nn_model", 0.0, 1.0, FAILED, "bad", data={"training": {
            "X": [[0.0, 1.0], [1.0, 0.0]], "Y": [[0.0, 1.0]], "params": {"W1": [[1.0]]},
            "cost_curve": [{"iteration": 0, "cost": None}]}})])
    write_reports(result, tmp_path, title="T")
    page = assert_self_contained(tmp_path / "zoe" / html.FILENAME)
    assert "The decision boundary could not be drawn" in page.words
    assert "The cost curve could not be drawn" in page.words
    assert svg_charts((tmp_path / "zoe" / html.FILENAME).read_text()) == {}
    assert "zoe.py" in page.words and "0 / 1" in page.words


def test_no_plots_leaves_the_figures_out_and_says_so(cli, tmp_path):
    result = cli("-a", "one_hidden_layer", "-o", tmp_path, "--solutions", SOLUTIONS,
                 "--no-plots", EXAMPLES / "correct.py")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "correct" / html.FILENAME).read_text()
    assert "<svg" not in page and "--no-plots" in page
    dashboard = (tmp_path / "index.html").read_text()
    assert "histogram" not in svg_charts(dashboard)
    assert "histogram was not drawn for this batch (--no-plots)" in dashboard


