"""The ``grade`` command as instructors type it, through click's CliRunner: every assignment
is graded by the documented command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ASSIGNMENTS, EXAMPLES, FLAGSHIP, RELEASED, SOLUTIONS, variants_of


def a_class(assignment, name, folder) -> tuple[Path, dict[str, int]]:
    """Submissions to grade, and each student's score: the examples folder itself for the
    flagship (as the README grades it); a correct file, the untouched stub and, if its
    variants name one (CLI_MISTAKE), a mistake for the others."""
    if name == FLAGSHIP:
        return EXAMPLES, {"correct": 100, "keepdims": 96, "missing_1_over_m": 78, "stub": 0}
    variants, student_file = variants_of(name), assignment(name).spec.student_file
    folder.mkdir()
    (folder / "ada.py").write_text(variants.CORRECT)
    (folder / "cy.py").write_text((RELEASED / name / student_file).read_text())
    expected = {"ada": 100, "cy": 0}
    if variants.CLI_MISTAKE:
        mistake, expected["bob"] = variants.CLI_MISTAKE
        (folder / "bob.py").write_text(variants.FAULTY[mistake])
    return folder, expected


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_grades_a_class_with_the_documented_form(cli, assignment, tmp_path, name):
    submissions, expected = a_class(assignment, name, tmp_path / "submissions")
    out = tmp_path / "reports"
    result = cli("--assignment", name, "--out", out, "--solutions", SOLUTIONS, submissions)
    assert result.exit_code == 0, result.output
    scores = {}
    for student in expected:
        report = json.loads((out / student / "results.json").read_text())
        assert set(report) >= {"score", "max_score", "execution_time", "output", "tests"}
        assert report["max_score"] == 100
        for test in report["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output"}
            assert test["status"] in ("passed", "failed")
        scores[student] = report["score"]
        model = json.loads((out / student / "grader.json").read_text())
        assert model["assignment"] == name and model["status"] == "graded"
        assert student in result.output
    assert scores == expected
    assert name in result.output and "100 / 100" in result.output


def test_single_files_and_student_id_from_the_stem(cli, tmp_path):
    submission = tmp_path / "ada_lovelace.py"
    shutil.copy(EXAMPLES / "correct.py", submission)
    result = cli("-a", "one_hidden_layer", "-o", tmp_path / "out", "--solutions", SOLUTIONS,
                 submission)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "ada_lovelace" / "results.json").is_file()


def test_solutions_found_through_the_environment(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_SOLUTIONS", str(SOLUTIONS))
    monkeypatch.chdir(tmp_path)
    result = cli("--assignment", "one_hidden_layer", "--out", "out", EXAMPLES / "stub.py")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args, message", [
    (["--assignment", "nope", "--out", "o", EXAMPLES], "unknown assignment 'nope'"),
    (["--assignment", "one_hidden_layer", "--out", "o", "missing_dir"], "no such file or folder"),
    (["--assignment", "one_hidden_layer", "--out", "o", "EMPTY"], "nothing to grade"),
    (["--assignment", "one_hidden_layer", "--out", "o", "notes.txt"], "is not a submission"),
    (["--out", "o", EXAMPLES], "Missing option '--assignment'"),
])
def test_usage_errors_exit_2_with_a_clear_message(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "EMPTY").mkdir()
    (tmp_path / "notes.txt").write_text("hi")
    result = cli(*args, "--solutions", SOLUTIONS)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "o").exists()


def test_missing_solutions_folder_is_a_usage_error(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_GRADER_SOLUTIONS", raising=False)
    result = cli("--assignment", "one_hidden_layer", "--out", "o", EXAMPLES)
    assert result.exit_code == 2 and "no solutions folder" in result.output


def test_help_lists_the_subcommands(cli):
    result = cli("--help")
    assert result.exit_code == 0
    assert "release" in result.output and "run" in result.output
