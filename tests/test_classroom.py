"""GitHub Classroom: `--format classroom`'s result line, read the way
classroom-resources/autograding-grading-reporter (v1) reads it, and docs/ci/classroom.yml run
step by step in a template repository with the public wheel installed.

What the reporter does with a runner's output (its src/main.js, notify-classroom.js,
helpers/test-helpers.js, console-results.js), restated here and checked on our output:
- env ``<RUNNER ID upper-cased>_RESULTS`` = ``steps.<id>.outputs.result``, base64 of UTF-8 JSON;
- posted points: sum of every test's ``score`` / sum of ``max_score`` over runners whose
  ``max_score`` is not 0 (nothing posted when that is 0);
- its log table: (tests with status ``pass`` / tests) x ``max_score``;
- the step fails when a runner's ``status`` is ``fail`` or ``error``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import (
    ASSIGNMENTS,
    EXAMPLES,
    FLAGSHIP,
    RELEASED,
    ROOT,
    SOLUTIONS,
    build_wheel,
    run_cli,
)
from formats import markdown_table
from notebooks import messy_notebook
from notebooks import write as write_notebook
from variants import CORRECT, FAULTY

from grader.grading.results import (
    ERROR,
    FAILED,
    NOT_GRADABLE,
    PASSED,
    CheckResult,
    SubmissionResult,
)
from grader.loading.assignment import load_assignment
from grader.public import PublicChecks, load_file, released_name
from grader.reports import classroom
from grader.selfcheck import Outcome, self_check

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("classroom")

WORKFLOW = ROOT / "docs" / "ci" / "classroom.yml"
STATUS = {"enum": ["pass", "fail", "error"]}
NUMBER = {"type": "number"}
# the fields the reporter reads, with the types it needs
SCHEMA = {
    "type": "object",
    "required": ["version", "status", "max_score", "tests"],
    "properties": {
        "version": {"const": 1}, "status": STATUS, "max_score": {**NUMBER, "minimum": 0},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "status", "score", "max_score", "message", "line_no"],
            "properties": {"name": {"type": "string", "minLength": 1}, "status": STATUS,
                           "score": NUMBER, "max_score": {**NUMBER, "minimum": 0},
                           "message": {"type": "string"}, "filename": {"type": "string"},
                           "line_no": {"type": "integer", "minimum": 0}}}}},
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def decode(value: str) -> dict:
    """A runner's output as the reporter decodes it, checked against the schema."""
    value = value.removeprefix("result=")
    assert re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", value), "one line of base64"
    data = json.loads(base64.b64decode(value, validate=True).decode("utf-8"))
    jsonschema.validate(data, SCHEMA)
    statuses = {test["status"] for test in data["tests"]}
    expected = "error" if "error" in statuses or data.get("message") else \
        "fail" if "fail" in statuses else "pass"
    assert data["status"] == expected
    return data


def posted(*runners: dict) -> tuple[float, float] | None:
    """The "Points X/Y" the reporter posts to the Classroom (None: it posts nothing)."""
    counted = [r for r in runners if r["max_score"]]
    maximum = sum(r["max_score"] for r in counted)
    return (sum(t["score"] for r in counted for t in r["tests"]), maximum) if maximum else None


def table_score(runner: dict) -> float:
    """The score the reporter's log table shows for a runner."""
    passed = sum(test["status"] == "pass" for test in runner["tests"])
    return passed / len(runner["tests"]) * runner["max_score"]


def fails_the_step(*runners: dict) -> bool:
    return any(r["status"] in ("fail", "error") for r in runners)


def released(name: str = FLAGSHIP) -> PublicChecks:
    """The public checks students receive with the exercise: the points come from them."""
    return load_file(RELEASED / name / released_name(name))


def hidden_max(name: str = FLAGSHIP) -> float:
    """The exercise's score out of, as the hidden tests give it."""
    return load_assignment(name, solutions=SOLUTIONS).spec.max_score


def earned(checks: PublicChecks, failing: set[str]) -> float:
    """A file's public points when the checks named ``failing`` ("function: check") fail."""
    names = {f"{item.function}: {item.name}" for item in checks.items}
    assert failing <= names, f"no such public check: {failing - names}"
    return sum(checks.points(item) for item in checks.items
               if f"{item.function}: {item.name}" not in failing)


def as_released(folder: Path, source: str, name: str = "backprop.py") -> Path:
    """``source`` as the student's file, with what ``grade release`` puts beside it (the
    checks file, the provided helper modules), as in a student's repository."""
    checks = released()
    for beside in (released_name(FLAGSHIP), *checks.provided):
        shutil.copy(RELEASED / FLAGSHIP / beside, folder)
    path = folder / name
    path.write_text(source)
    return path


def check_file(cli, path, tmp_path, *args, env=None):
    """``grade check --format classroom`` with $GITHUB_OUTPUT: (click's result, the output
    file's text)."""
    output = tmp_path / "github_output"
    output.write_text("earlier=1\n")
    done = cli("check", "--format", "classroom", *args, path,
               env={"GITHUB_OUTPUT": str(output), **(env or {})})
    return done, output.read_text()


def test_a_correct_file_earns_every_public_point_and_the_same_line_goes_to_github_output(
        cli, tmp_path):
    path = as_released(tmp_path, CORRECT)
    done, output = check_file(cli, path, tmp_path)
    assert done.exit_code == 0, done.output
    (line,) = done.stdout.splitlines()  # stdout is the result line only
    assert output == f"earlier=1\n{line}\n"  # appended, not overwritten
    assert "self-check of backprop.py" in done.stderr  # the terminal table, for the log
    data = decode(line)
    checks = released()
    # every public point: the exercise's score out of, shared among its functions' checks
    assert posted(data) == (checks.max_points, checks.max_points) == (hidden_max(),) * 2
    assert table_score(data) == hidden_max() and not fails_the_step(data)
    assert [(t["name"], t["score"], t["max_score"]) for t in data["tests"]] == [
        (f"{i.function}: {i.name}", checks.points(i), checks.points(i)) for i in checks.items]
    assert len({t["max_score"] for t in data["tests"]}) > 1  # unequal, as the rule shares
    source = CORRECT.splitlines()
    assert data["tests"][0]["line_no"] == source.index(
        next(s for s in source if s.startswith("def initialize_parameters"))) + 1


def test_a_faulty_file_earns_less_and_says_why(cli, tmp_path):
    path = as_released(tmp_path, FAULTY["missing_1_over_m"])
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n")
    done, output = check_file(cli, path, tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.exit_code == 0  # the reporter fails the run, not this step
    data = decode(output.splitlines()[-1])
    checks = released()
    name = ("backward_propagation: agrees with central differences of your "
            "forward_propagation and compute_cost")
    report = self_check(path)
    own = sum(o.points for o in report.outcomes if o.status == PASSED)
    assert posted(data) == (own, checks.max_points) == (earned(checks, {name}), hidden_max())
    assert own < checks.max_points and fails_the_step(data)
    (failed,) = [t for t in data["tests"] if t["status"] == "fail"]
    (item,) = [i for i in checks.items if f"{i.function}: {i.name}" == name]
    assert failed["name"] == name
    assert failed["score"] == 0 and failed["max_score"] == checks.points(item) > 0
    # the message as in the terminal: what disagrees, then the gradient table's rows
    assert "dW1, db1, dW2, db2 disagree(s) with the numeric gradient" in failed["message"]
    assert re.search(r"^dW1: relative error \d\.\d\de[-+]\d\d wrong$", failed["message"], re.M)
    # the run's summary page: every check with its points, the failure's message and table
    text = summary.read_text()
    assert text.startswith("earlier step\n### Self-check of backprop.py (one\\_hidden\\_layer)")
    rows = markdown_table(text, "| function | check | points | result |")
    assert [(row[0], row[1]) for row in rows] == [
        (i.function.replace("_", "\\_"), i.name.replace("_", "\\_")) for i in checks.items]
    assert [row[2] for row in rows] == [
        f"{0 if i is item else checks.points(i):g} / {checks.points(i):g}" for i in checks.items]
    (wrong,) = [row for row in rows if not row[3].startswith("✅")]
    assert wrong[3].startswith("❌ with n\\_x=3") and "dW1, db1, dW2, db2 disagree(s)" in wrong[3]
    assert "(see the table). dW1: relative error" in wrong[3] and "wrong; db1:" in wrong[3]
    assert "Passing the self-check is not your grade" in text


def test_an_untouched_stub_earns_nothing(cli, tmp_path):
    path = as_released(tmp_path, (RELEASED / FLAGSHIP / "backprop.py").read_text())
    done, _ = check_file(cli, path, tmp_path)
    (line,) = done.stdout.splitlines()
    data = decode(line)
    assert posted(data) == (0, hidden_max()) and table_score(data) == 0
    assert all("not written yet" in t["message"] for t in data["tests"])


def test_a_notebook_is_checked_the_same_way(cli, tmp_path):
    path = as_released(tmp_path, "", name="hw.ipynb")
    write_notebook(messy_notebook(FAULTY["transposed_dW1"]), path)
    done, _ = check_file(cli, path, tmp_path, "--assignment", FLAGSHIP)
    (line,) = done.stdout.splitlines()
    data = decode(line)
    failing = {t["name"] for t in data["tests"] if t["status"] == "fail"}
    assert failing and posted(data) == (earned(released(), failing), hidden_max())
    assert all(t["filename"] == "hw.ipynb" and t["line_no"] == 0 for t in data["tests"])
    assert any("dW1 has shape (3, 4), expected (4, 3)" in t["message"] for t in data["tests"])


def test_when_the_check_cannot_run_no_points_are_posted_and_the_reporter_says_why(cli,
                                                                                   tmp_path):
    done, output = check_file(cli, tmp_path / "missing.py", tmp_path)
    assert done.exit_code == 2 and "is not a .py or .ipynb file" in done.stderr
    (line,) = done.stdout.splitlines()
    data = decode(line)
    assert output.splitlines()[-1] == line
    assert posted(data) is None and fails_the_step(data)
    (test,) = data["tests"]
    assert test["status"] == "error" and "missing.py is not a .py or .ipynb file" in \
        test["message"]


def test_points_are_declared_per_check_and_must_be_positive():
    checks = PublicChecks("x", "x.py", ["f", "g"], points_by_function={"f": 10, "g": 5})
    checks.check("a", function="f")(lambda student: None)
    checks.check("b", function="f", points=3)(lambda student: None)
    checks.check("c", function="g")(lambda student: None)
    checks.check("d", function="g")(lambda student: None)
    # declared, else a whole-number share of the function's hidden points (5 = 3 + 2)
    assert [checks.points(item) for item in checks.items] == [10, 3, 3, 2]
    assert checks.max_points == 18
    for wrong in (0, -1, float("nan"), float("inf"), True, "2"):
        with pytest.raises(ValueError, match="points must be a positive number"):
            checks.check("c", function="f", points=wrong)
    outcomes = [Outcome("a", "f", FAILED, "no", points=1), Outcome("b", "f", PASSED, points=3)]
    data = decode(classroom.encode(classroom.from_outcomes(outcomes)))
    assert posted(data) == (3, 4)
    # unequal points: the log table (pass share x maximum) is not the posted total
    assert table_score(data) == 2


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_classroom_maximum_is_the_exercises_score_summed_exactly_as_the_reporter_does(
        name):
    """By default each public check is worth a whole-number share of its function's hidden
    points: the Classroom's maximum is the exercise's, and the reporter's JavaScript sum of
    the tests (doubles, in order, as Python's) lands on it exactly, whichever checks pass."""
    checks = released(name)
    assert len({(i.function, i.name) for i in checks.items}) == len(checks.items) > 0
    for item in checks.items:
        outcomes = [Outcome(i.name, i.function, FAILED if i is item else PASSED,
                            points=checks.points(i)) for i in checks.items]
        data = decode(classroom.encode(classroom.from_outcomes(outcomes)))
        score, maximum = posted(data)
        assert maximum == hidden_max(name) and score == maximum - checks.points(item)
        assert [t["max_score"] for t in data["tests"]] == [checks.points(i) for i in checks.items]


def test_hostile_messages_are_made_safe_and_capped_within_the_variable_limit():
    hostile = "\x1b[2J\x07é" + "∂" * 20_000 + "\r\n::error::x"
    outcomes = [Outcome(f"check {i} \x1b]0;t\x07" + "n" * 500, "f", FAILED, hostile,
                        {"gradient_check": [{"tensor": "dW", "relative_error": 0.5,
                                             "verdict": "wrong", "note": hostile}]},
                        points=1)
                for i in range(60)] + [Outcome("ok", "f", PASSED, points=1)]
    value = classroom.encode(classroom.from_outcomes(outcomes))
    # Linux's cap on one environment string, "SELFCHECK_RESULTS=" and the NUL included
    assert len(value) <= classroom.BUDGET < 131072 - len("SELFCHECK_RESULTS=") - 1
    data = decode(value)
    assert posted(data) == (1, 61)  # shortened messages, never fewer tests or points
    for test in data["tests"]:
        assert len(test["message"]) <= classroom.MAX_MESSAGE
        assert len(test["name"]) <= classroom.MAX_NAME
        assert not CONTROL.search(test["name"] + test["message"])
    one = decode(classroom.encode(classroom.from_outcomes(outcomes[:1])))["tests"][0]
    assert len(one["message"]) == classroom.MAX_MESSAGE and one["message"].endswith("…")
    assert one["message"].startswith("\\x1b[2J\\x07é∂")


def graded(*checks, **fields) -> SubmissionResult:
    return SubmissionResult("alice", "one_hidden_layer", "alice.py", checks=list(checks),
                            **fields)


def test_a_graded_submission_reports_the_hidden_points_at_its_feedback_level():
    mistake = {"id": "m", "name": "missing 1/m", "explanation": "e", "fix": "divide by m"}
    checks = [CheckResult("shape", "f", 2.0, 2.0, PASSED),
              CheckResult("value", "g", 0.0, 3.0, FAILED, "too large", mistake=mistake),
              CheckResult("secret", "g", 0.0, 5.0, FAILED, "hidden text", visibility="hidden")]
    data = decode(classroom.encode(classroom.from_submission(graded(*checks))))
    assert posted(data) == (2, 10)
    value, secret = data["tests"][1:]
    assert value["name"] == "g: value" and "Fix: divide by m" in value["message"]
    assert secret["name"] == "a hidden check" and secret["message"] == ""
    summary = decode(classroom.encode(classroom.from_submission(
        graded(*checks, feedback="summary"))))
    assert posted(summary) == (2, 10) and all(t["message"] == "" for t in summary["tests"])
    score = decode(classroom.encode(classroom.from_submission(graded(*checks,
                                                                     feedback="score"))))
    assert posted(score) == (2, 10) and len(score["tests"]) == 1


def test_a_late_penalty_is_a_test_of_negative_points_so_the_total_is_the_score():
    result = graded(CheckResult("a", "f", 8.0, 10.0, FAILED, "x"),
                    penalty={"days_late": 2, "percent": 25.0})
    data = decode(classroom.encode(classroom.from_submission(result)))
    assert result.score == 6.0 and posted(data) == (6.0, 10.0)
    assert data["tests"][-1]["name"] == "late: 2 day(s), -25%"


def test_not_gradable_posts_no_points():
    result = graded(CheckResult("a", "f", 0.0, 10.0, ERROR, "the worker died"),
                    status=NOT_GRADABLE, reason="the worker died")
    data = decode(classroom.encode(classroom.from_submission(result)))
    assert posted(data) is None and fails_the_step(data)
    assert "not a score of 0" in data["tests"][0]["message"]


def test_grade_on_one_file_reports_the_hidden_tests_points(cli, tmp_path):
    submission = tmp_path / "backprop.py"
    shutil.copy(EXAMPLES / "keepdims.py", submission)
    output = tmp_path / "github_output"
    done = cli("-a", "one_hidden_layer", "-o", tmp_path / "reports", "--solutions", SOLUTIONS,
               "--format", "classroom", submission, env={"GITHUB_OUTPUT": str(output)})
    assert done.exit_code == 0, done.output
    (line,) = done.stdout.splitlines()
    assert output.read_text() == line + "\n" and "96 / 100" in done.stderr
    data = decode(line)
    model = json.loads((tmp_path / "reports" / "backprop" / "grader.json").read_text())
    assert posted(data) == (model["score"], model["max_score"]) == (96, 100)
    failed = [t for t in data["tests"] if t["status"] == "fail"]
    assert len(failed) == len([c for c in model["checks"] if c["status"] != PASSED]) == 2
    assert any("keepdims" in t["message"] for t in failed)
    folder = cli("-a", "one_hidden_layer", "-o", tmp_path / "r2", "--format", "classroom",
                 tmp_path)
    assert folder.exit_code == 2 and "reports one submission" in folder.output
    shard = cli("-a", "one_hidden_layer", "-o", tmp_path / "r3", "--format", "classroom",
                "--shard", "1/1", submission)
    assert shard.exit_code == 2 and "no --shard" in shard.output


def run_steps(steps, repo, env):
    """Each ``run:`` step as GitHub's runner does (bash -e -o pipefail, in the checkout),
    stopping at a failure except for ``if: always()``; returns [(step, exit code)]."""
    ran, failed = [], False
    for step in steps:
        if "run" not in step or (failed and step.get("if") != "always()"):
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=repo, env=env, capture_output=True,
                              text=True, timeout=600)
        ran.append((step, done))
        failed = failed or done.returncode != 0
    return ran


def step_outputs(path: Path) -> dict[str, str]:
    """$GITHUB_OUTPUT's name=value lines (the runner's one-line form)."""
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def reporter_env(step: dict, outputs: dict[str, dict[str, str]]) -> dict[str, str]:
    """The reporter step's env with ``${{ steps.<id>.outputs.<name> }}`` filled in."""
    def fill(value):
        return re.sub(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.(\w+)\s*\}\}",
                      lambda m: outputs.get(m.group(1), {}).get(m.group(2), ""), value)

    return {name: fill(str(value)) for name, value in step.get("env", {}).items()}


def test_the_workflow_needs_no_secret_and_reports_the_self_check():
    text = WORKFLOW.read_text()
    assert "secrets." not in text
    workflow = yaml.safe_load(text)
    (job,) = workflow["jobs"].values()
    assert not [step for step in job["steps"] if "token" in step.get("with", {})]
    assert workflow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    reporter = job["steps"][-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["if"] == "always()"
    ids = reporter["with"]["runners"].split(",")
    # the reporter's own check of its input, and the variable it reads for each runner
    assert re.fullmatch(r"([a-zA-Z0-9]+,)*[a-zA-Z0-9]+", reporter["with"]["runners"])
    for runner in ids:
        (step,) = [s for s in job["steps"] if s.get("id") == runner]
        assert "--format classroom" in step["run"]
        assert reporter["env"][f"{runner.upper()}_RESULTS"] == \
            f"${{{{ steps.{runner}.outputs.result }}}}"


def test_the_guide_matches_the_workflow():
    guide = (ROOT / "docs" / "ci" / "README.md").read_text()
    (job,) = yaml.safe_load(WORKFLOW.read_text())["jobs"].values()
    assert f"`{job['env']['GRADER_PACKAGE']}` (default)" in guide
    assert "`docs/ci/classroom.yml` as `.github/workflows/classroom.yml`" in guide
    assert "python -m build --wheel --outdir dist/" in guide  # as public_wheel builds it
    checks = released()
    assert f"({checks.max_points:g} for one_hidden_layer)" in guide
    (gradients,) = [i for i in checks.items if f"{i.function}: {i.name}" == BACKWARD_GRADIENTS]
    assert f"({checks.points(gradients):g} of {checks.max_points:g})" in guide
    # every file `grade release` writes for the template is named in its list
    released_files = sorted(path.name for path in (RELEASED / FLAGSHIP).iterdir())
    assert released_name(FLAGSHIP) in released_files and "planar_utils.py" in released_files
    assert [name for name in released_files if f"`{name}`" not in guide] == []
    assert "grade -a one_hidden_layer -o reports/ <assignment>-submissions/" in guide


@pytest.fixture(scope="session")  # built once, whichever files' tests run between
def public_wheel(tmp_path_factory):
    """The public grader as students install it: a wheel of this checkout (no solutions/),
    in a fresh venv with pip, its dependencies from this environment."""
    folder = tmp_path_factory.mktemp("public")
    wheel = build_wheel(folder / "dist")
    env_dir = folder / "venv"
    venv.create(env_dir, with_pip=True)
    site = subprocess.run([env_dir / "bin" / "python", "-c", "import sysconfig; print("
                           "sysconfig.get_paths()['purelib'])"], capture_output=True, text=True,
                          check=True).stdout.strip()
    paths = dict.fromkeys(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    (Path(site) / "deps_from_parent.pth").write_text("\n".join(paths))
    return wheel, env_dir


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """What ``grade release`` writes for the exercise: the files the template holds."""
    dest = tmp_path_factory.mktemp("release")
    done = run_cli("release", "-a", FLAGSHIP, "--solutions", SOLUTIONS, "--dest", dest)
    assert done.exit_code == 0, done.output
    return dest / FLAGSHIP


def template_repository(folder: Path, released_files: Path, wheel: Path) -> Path:
    """What the instructor commits to the template, as docs/ci/README.md says: what `grade
    release` wrote in assignments/<name>/, the workflow, and the public wheel where the
    workflow's GRADER_PACKAGE looks."""
    shutil.copytree(released_files, folder)
    (folder / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, folder / ".github" / "workflows" / "classroom.yml")
    (folder / ".github" / "classroom").mkdir()
    shutil.copy(wheel, folder / ".github" / "classroom" / wheel.name)
    return folder


def run_workflow(public_wheel, released_files, tmp_path, source, *, remove=(),
                 submission="backprop.py"):
    """The student pushes ``source`` as ``submission`` (and deletes ``remove``) to a
    repository made from the template, whose workflow checks ``submission``; the workflow's
    steps run: (the steps with their exit codes, the steps run, the runners as the reporter
    decodes them, the step summary's text)."""
    wheel, env_dir = public_wheel
    repo = template_repository(tmp_path / "student-repo", released_files, wheel)
    if submission.endswith(".ipynb"):
        write_notebook(messy_notebook(source), repo / submission)
    else:
        (repo / submission).write_text(source)
    for name in remove:
        (repo / name).unlink()
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "classroom.yml").read_text())
    (job,) = workflow["jobs"].values()
    assert job["env"]["SUBMISSION"] == "backprop.py"  # as shipped; a notebook course sets it
    job["env"]["SUBMISSION"] = submission
    output, summary = tmp_path / "github_output", tmp_path / "summary.md"
    output.touch()
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
           "GITHUB_ACTIONS": "true", "COLUMNS": "200",
           "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", **job["env"]}
    ran = run_steps(job["steps"], repo, env)
    where = subprocess.run([env_dir / "bin" / "python", "-c", "import grader; print("
                            "grader.__file__)"], cwd=tmp_path, capture_output=True, text=True)
    assert str(env_dir) in where.stdout  # the wheel's copy: no solutions/ anywhere near it
    assert not list(env_dir.rglob("reference.py")) and not (repo / "solutions").exists()
    assert not list(repo.rglob("reference.py")) and not list(repo.rglob("tests.py"))
    reporter = job["steps"][-1]
    assert reporter["if"] == "always()"  # it runs after a failed step too
    env = reporter_env(reporter, {"selfcheck": step_outputs(output)})
    runners = [decode(env[f"{runner.strip().upper()}_RESULTS"])
               for runner in reporter["with"]["runners"].split(",")]
    steps = [(step["name"], done.returncode) for step, done in ran]
    return steps, ran, runners, summary.read_text() if summary.exists() else ""


BACKWARD_SHAPES = ("backward_propagation: returns dW1, db1, dW2, db2, each the shape of its "
                   "parameter")
BACKWARD_GRADIENTS = ("backward_propagation: agrees with central differences of your "
                      "forward_propagation and compute_cost")


@pytest.mark.slow
@pytest.mark.parametrize("source, failing, submission", [
    (CORRECT, set(), "backprop.py"),
    (FAULTY["missing_1_over_m"], {BACKWARD_GRADIENTS}, "backprop.py"),
    (FAULTY["missing_keepdims"], {BACKWARD_SHAPES}, "backprop.py"),  # not nn_model's
    (FAULTY["transposed_dW1"], {BACKWARD_SHAPES, BACKWARD_GRADIENTS}, "backprop.ipynb")],
    ids=["correct", "missing_1_over_m", "missing_keepdims", "notebook_transposed_dW1"])
def test_the_workflow_run_in_a_template_repository_posts_the_public_points(
        public_wheel, release, tmp_path, source, failing, submission):
    steps, ran, runners, summary = run_workflow(public_wheel, release, tmp_path, source,
                                                submission=submission)
    assert steps == [("Install the public grader", 0), ("Public self-check", 0)], \
        ran[-1][1].stderr
    # the points of the checks file the template holds: the exercise's score out of
    checks = load_file(release / released_name(FLAGSHIP))
    assert checks.max_points == hidden_max()
    assert posted(*runners) == (earned(checks, failing), hidden_max())
    assert {t["name"] for r in runners for t in r["tests"] if t["status"] != "pass"} == failing
    assert fails_the_step(*runners) == bool(failing)
    rows = markdown_table(summary, "| function | check | points | result |")
    assert len(rows) == len(checks.items)
    assert sum(not row[3].startswith("✅") for row in rows) == len(failing)


@pytest.mark.slow
def test_a_template_without_the_released_checks_posts_no_points_and_says_what_is_missing(
        public_wheel, release, tmp_path):
    """The wheel holds no exercise's checks: without <name>_checks.py beside the student's
    file the self-check cannot run, and the Classroom is told why rather than given a 0."""
    steps, ran, runners, _ = run_workflow(public_wheel, release, tmp_path, CORRECT,
                                          remove=[released_name(FLAGSHIP)])
    assert steps == [("Install the public grader", 0), ("Public self-check", 2)]
    assert posted(*runners) is None and fails_the_step(*runners)
    ((test,),) = [r["tests"] for r in runners]
    assert test["status"] == "error"
    assert f"{released_name(FLAGSHIP)} is not beside your file" in test["message"]


REPORTER = os.environ.get("BACKPROP_GRADER_CLASSROOM_REPORTER")


@pytest.mark.skipif(not REPORTER or not shutil.which("node"),
                    reason="set BACKPROP_GRADER_CLASSROOM_REPORTER to a checkout of "
                           "classroom-resources/autograding-grading-reporter with its "
                           "node_modules installed (npm install), and have node, to run it")
@pytest.mark.parametrize("source, failing", [(CORRECT, set()),
                                             (FAULTY["missing_1_over_m"], {BACKWARD_GRADIENTS})],
                         ids=["correct", "missing_1_over_m"])
def test_the_real_reporter_posts_the_self_checks_points(cli, tmp_path, source, failing):
    path = as_released(tmp_path, source)
    points = earned(released(), failing)
    done, _ = check_file(cli, path, tmp_path)
    value = done.stdout.strip().removeprefix("result=")
    run = subprocess.run(["node", str(Path(REPORTER) / "src" / "main.js")], capture_output=True,
                         text=True, timeout=60,
                         env={"PATH": os.environ["PATH"], "INPUT_RUNNERS": "selfcheck",
                              "SELFCHECK_RESULTS": value})
    assert f"::notice title=Autograding complete::Points {points:g}/{hidden_max():g}" \
        in run.stdout, run.stderr
    assert (run.returncode != 0) == bool(failing)
    assert ("::error::Some tests failed." in run.stdout) == bool(failing)
    # its log table: passed share x maximum (87.50, not 85, when a 15-point check of
    # unequal ones fails: docs/ci/README.md says to read the notice)
    table = table_score(decode(value))
    assert f"Total points for selfcheck: {table:.2f}/{hidden_max():g}" in run.stdout
    assert (table == points) == (not failing)
