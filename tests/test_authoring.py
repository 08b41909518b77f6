"""docs/authoring.md, followed step by step: its files, its commands, its scores.

The tutorial's code blocks are written to a fresh course folder by the file names they are
marked with, its `grade` commands run there through click's CliRunner, and the scores it
promises are compared with the reports. Nothing in `grader/` is touched: adding an
assignment needs no change to the package.
"""

from __future__ import annotations

import json
import re
import shlex

from click.testing import CliRunner
from conftest import ROOT, doc_commands, doc_files

from grader.cli import main

TUTORIAL = (ROOT / "docs" / "authoring.md").read_text()


def files() -> dict[str, str]:
    return doc_files(TUTORIAL, "python")


def commands() -> list[tuple[str, list[str]]]:
    return doc_commands(TUTORIAL)


def promised_scores() -> dict[str, tuple[int, int]]:
    rows = re.findall(r"^\| (\w+) \| (\d+) / (\d+) \|$", TUTORIAL, re.M)
    return {student: (int(score), int(top)) for student, score, top in rows}


def test_the_tutorial_has_every_part():
    assert set(files()) == {"solutions/relu/reference.py", "solutions/relu/tests.py",
                            "solutions/relu/public.py", "submissions/alice.py",
                            "submissions/bob.py"}
    assert [command.split()[:2] for command, _ in commands()] == [
        ["grade", "release"], ["grade", "release"], ["grade", "check"], ["grade", "check"],
        ["grade", "--assignment"]]
    assert promised_scores() == {"alice": (10, 10), "bob": (4, 10)}
    assert not any(path.startswith("grader/") for path in files())


def test_following_the_tutorial_gives_what_it_promises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_GRADER_SOLUTIONS", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    for path, text in files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    for command, expected_output in commands():
        argv = shlex.split(command)
        assert argv[0] == "grade"
        result = CliRunner().invoke(main, argv[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        for line in expected_output:
            assert line in result.output, f"{command} should print {line!r}: {result.output}"

    stub = (tmp_path / "assignments" / "relu" / "relu.py").read_text()
    assert stub.count("raise NotImplementedError()") == 2 and "np.maximum" not in stub
    for student, (score, top) in promised_scores().items():
        report = json.loads((tmp_path / "reports" / student / "results.json").read_text())
        assert (report["score"], report["max_score"]) == (score, top), student
    bob = json.loads((tmp_path / "reports" / "bob" / "grader.json").read_text())
    failed = {check["name"]: check["message"] for check in bob["checks"]
              if check["status"] == "failed"}
    assert set(failed) == {"relu_backward: dZ = dA * relu'(Z)",
                           "relu_backward agrees with central differences"}
    assert "not relu(Z) itself" in failed["relu_backward agrees with central differences"]
    # Bob's self-check fails relu_backward's public gradient check, with its table
    result = CliRunner().invoke(main, ["check", "submissions/bob.py"])
    assert result.exit_code == 1 and "dZ" in result.output and "wrong" in result.output
    assert failed["relu_backward: dZ = dA * relu'(Z)"] == (
        "with Z of shape (3, 5): where Z > 0, dZ should be dA: relu'(Z) = 1")


def test_a_stale_release_is_caught_by_check(tmp_path, monkeypatch):
    """The tutorial's `--check` step really fails when the student file drifts."""
    monkeypatch.chdir(tmp_path)
    for path, text in files().items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert CliRunner().invoke(main, ["release", "--assignment", "relu"]).exit_code == 0
    stub = tmp_path / "assignments" / "relu" / "relu.py"
    stub.write_text(stub.read_text() + "\n# edited by hand\n")
    result = CliRunner().invoke(main, ["release", "--assignment", "relu", "--check"])
    assert result.exit_code == 1 and "out of date" in result.output
