"""The ``grade`` command as instructors type it, through click's CliRunner."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, SOLUTIONS

from grader.cli import main


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


def test_grades_the_examples_with_the_documented_form(run, tmp_path):
    out = tmp_path / "reports"
    result = run("--assignment", "one_hidden_layer", "--out", out, "--solutions", SOLUTIONS,
                 EXAMPLES)
    assert result.exit_code == 0, result.output
    scores = {}
    for student in ("correct", "keepdims", "missing_1_over_m", "stub"):
        report = json.loads((out / student / "results.json").read_text())
        assert set(report) >= {"score", "max_score", "execution_time", "output", "tests"}
        for test in report["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output"}
            assert test["status"] in ("passed", "failed")
        scores[student] = report["score"]
        assert student in result.output
    assert scores == {"correct": 100, "keepdims": 84, "missing_1_over_m": 78, "stub": 0}
    assert "100 / 100" in result.output


def test_single_files_and_student_id_from_the_stem(run, tmp_path):
    submission = tmp_path / "ada_lovelace.py"
    shutil.copy(EXAMPLES / "correct.py", submission)
    result = run("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", SOLUTIONS,
                 submission)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "ada_lovelace" / "results.json").is_file()


def test_solutions_found_through_the_environment(run, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_SOLUTIONS", str(SOLUTIONS))
    monkeypatch.chdir(tmp_path)
    result = run("--assignment", "one_hidden_layer", "--out", "out", EXAMPLES / "stub.py")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, message", [
    (["--assignment", "nope", "--out", "o", EXAMPLES], "unknown assignment 'nope'"),
    (["--assignment", "one_hidden_layer", "--out", "o", "missing_dir"], "no such file or folder"),
    (["--assignment", "one_hidden_layer", "--out", "o", "EMPTY"], "nothing to grade"),
    (["--assignment", "one_hidden_layer", "--out", "o", "notes.txt"], "is not a submission"),
    (["--out", "o", EXAMPLES], "Missing option '--assignment'"),
])
def test_usage_errors_exit_2_with_a_clear_message(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "notes.txt").write_text("hi")
    result = run(*args, "--solutions", SOLUTIONS)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_missing_solutions_folder_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_GRADER_SOLUTIONS", raising=False)
    result = run("--assignment", "one_hidden_layer", "--out", "o", EXAMPLES)
    assert result.exit_code == 2 and "no solutions folder" in result.output


def test_help_lists_the_subcommands(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "release" in result.output and "run" in result.output
