"""CI autograding: the script the workflows run, its annotations, and the workflows themselves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import EXAMPLES, ROOT, SOLUTIONS
from formats import markdown_table, parse_junit

from grader.grading.results import FAILED, NOT_GRADABLE, CheckResult, SubmissionResult
from grader.reports.github import annotations, escape_data, escape_property

CI = ROOT / "docs" / "ci"
COMMAND = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::"
                     r"[^\r\n]*$")


def autograde(repo, **env):
    """Run docs/ci/autograde.sh in a student repository, as the workflow does."""
    environment = {
        "PATH": os.environ["PATH"], "HOME": str(repo), "LANG": "C.UTF-8",
        "PYTHONPATH": str(ROOT),  # this checkout's grader, as `pip install ./.grader` would
        "GRADE": f"{sys.executable} -m grader",
        "ASSIGNMENT": "one_hidden_layer", "SOLUTIONS": str(SOLUTIONS), **env}
    return subprocess.run(["bash", str(CI / "autograde.sh")], cwd=repo, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo(tmp_path):
    """A student's repository holding a submission with a known mistake."""
    shutil.copy(EXAMPLES / "keepdims.py", tmp_path / "backprop.py")
    return tmp_path


def test_script_grades_writes_the_job_summary_and_annotates(repo):
    summary = repo / "step_summary.md"
    summary.write_text("earlier step\n")
    done = autograde(repo, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    assert done.returncode == 0, done.stderr
    text = summary.read_text()
    assert text.startswith("earlier step\n")  # appended, not overwritten
    (row,) = markdown_table(text, "| student | score | % | failed checks |")
    assert row[:3] == ["backprop", "96 / 100", "96"]
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 2 and all(COMMAND.match(line) for line in errors)
    source = (repo / "backprop.py").read_text().splitlines()
    line = source.index(next(s for s in source if s.startswith("def backward_propagation"))) + 1
    assert f"::error title=backprop%3A backward_propagation%3A db1 has shape (n_h%2C 1)," \
           f"file=backprop.py,line={line}::" in done.stdout
    for name in ("junit.xml", "summary.csv", "index.html", "backprop/report.html"):
        assert (repo / "grader-reports" / name).is_file()
    parse_junit(repo / "grader-reports" / "junit.xml")


def test_script_fails_the_job_below_fail_under(repo):
    done = autograde(repo, FAIL_UNDER="97", REPORTS="out")
    assert done.returncode == 1
    assert "below 97%" in done.stderr and (repo / "out" / "summary.md").is_file()
    assert "::error" not in done.stdout  # not on GitHub: no workflow commands


def test_script_reports_usage_errors_with_exit_2(repo):
    done = autograde(repo, SUBMISSION="missing.py", GITHUB_STEP_SUMMARY=str(repo / "s.md"))
    assert done.returncode == 2 and "no such file or folder" in done.stderr
    assert not (repo / "s.md").exists()


def test_escaping_follows_the_workflow_command_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a: b, c%\n") == "a%3A b%2C c%25%0A"


def test_annotations_are_escaped_and_capped():
    hostile = "50% wrong\r\n::error::injected, a: b"
    checks = [CheckResult(f"check {i}, part: {i}", "f", 0.0, 1.0, FAILED, hostile + "x" * 3000)
              for i in range(15)]
    result = SubmissionResult("s", "a", "s.py", checks=checks)
    broken = SubmissionResult("t", "a", "t.py", status=NOT_GRADABLE, reason="disk full")
    lines = list(annotations([broken, result], limit=10, length=500))
    assert len(lines) == 11 and lines[-1].startswith("::notice ")
    assert "6 more failed check(s)" in lines[-1]
    assert "Not gradable (this is not a score of 0): disk full" in lines[0]
    for line in lines:
        assert COMMAND.match(line), line  # one line; no raw ':' or ',' inside a property
        assert len(line) < 700
    # the line end escaped, so "::error::" stays inside the message instead of starting a
    # command (the results model already made CR LF a line end: grader.grading.results.safe_text)
    assert "::50%25 wrong%0A::error::injected, a: b" in lines[1]
    assert "title=s%3A check 0%2C part%3A 0::" in lines[1]


def test_github_workflow_uses_the_script_and_keeps_solutions_out_of_the_repo():
    workflow = yaml.safe_load((CI / "github-autograde.yml").read_text())
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    fetch = next(s for s in steps if s.get("with", {}).get("path") == ".grader")
    assert fetch["with"]["token"] == "${{ secrets.GRADER_TOKEN }}"
    assert fetch["with"]["persist-credentials"] is False
    runs = " ".join(step.get("run", "") for step in steps)
    assert "bash .grader/docs/ci/autograde.sh" in runs and "pip install ./.grader" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and upload["with"]["path"] == job["env"]["REPORTS"] + "/"
    assert job["env"]["SOLUTIONS"].startswith(".grader/")
    assert workflow["permissions"] == {"contents": "read"}


def test_gitlab_example_publishes_junit_for_merge_requests():
    config = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    job = config["autograde"]
    assert job["artifacts"]["reports"]["junit"] == "grader-reports/junit.xml"
    assert job["artifacts"]["when"] == "always"
    assert any("autograde.sh" in line for line in job["script"])
    assert job["variables"]["REPORTS"] == "grader-reports"
