"""docs/running-a-course.md, followed: its grader.toml, its commands run in a course folder
whose downloads are built the way each platform exports (tests/exports.py), the output it
shows, and the files it says the gradebooks import."""

from __future__ import annotations

import csv
import json
import shlex
import shutil

import exports
import pytest
from click.testing import CliRunner
from conftest import ROOT, SOLUTIONS, doc_commands, doc_files

from grader.cli import main

GUIDE = (ROOT / "docs" / "running-a-course.md").read_text()


def files() -> dict[str, str]:
    return doc_files(GUIDE, "toml")


def commands() -> list[tuple[str, list[str]]]:
    return doc_commands(GUIDE)


def course(root):
    """The course folder the guide describes, with each platform's download in place."""
    (root / "solutions").mkdir()
    shutil.copytree(SOLUTIONS / "one_hidden_layer", root / "solutions" / "one_hidden_layer")
    shutil.copytree(ROOT / "assignments" / "one_hidden_layer",
                    root / "assignments" / "one_hidden_layer")
    downloads = root / "downloads"
    (downloads / "canvas").mkdir(parents=True)
    shutil.copy(exports.canvas_zip(root / "build-canvas"), downloads / "canvas")
    shutil.copy(exports.canvas_gradebook(root / "build-canvas"),
                downloads / "canvas" / "grades.csv")
    (downloads / "gradescope").mkdir()
    exports.zip_folder(exports.gradescope_export(root / "build-gs"),
                       downloads / "gradescope" / "submissions.zip",
                       prefix="assignment_4242_export/")
    (downloads / "moodle").mkdir()
    exports.zip_folder(exports.moodle_export(root / "build-moodle"),
                       downloads / "moodle" / "ML101-Backprop-4711.zip")
    shutil.move(exports.nbgrader_course(root / "build-nb"), root / "nbgrader-course")
    (downloads / "classroom").mkdir()
    exports.classroom_download(downloads / "classroom")
    (downloads / "classroom" / "classroom_roster.csv").write_text(exports.CLASSROOM_ROSTER)
    for path, text in files().items():
        (root / path).write_text(text)


def test_the_guide_covers_every_platform():
    assert set(files()) == {"grader.toml"}
    verbs = [shlex.split(command)[1] for command, _ in commands()]
    assert verbs.count("--out") == 6 and "diff" in verbs and "similarity" in verbs
    for platform in ("Canvas", "Gradescope", "Moodle", "nbgrader", "GitHub Classroom"):
        assert f"## {platform}" in GUIDE


def test_following_the_guide(tmp_path, monkeypatch):
    course(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_GRADER_SOLUTIONS", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    for command, expected in commands():
        argv = shlex.split(command)
        result = CliRunner().invoke(main, argv[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        for line in expected:
            assert line in result.output, f"{command} should print {line!r}: {result.output}"

    reports = tmp_path / "reports"
    rows = {row[1]: row for row in csv.reader((reports / "canvas" / "canvas.csv").open())}
    assert rows["12345"] == ["Lovelace, Ada", "12345", "S001", "ada@uni.example", "Section A",
                             "100"]
    assert rows["45678"][5] == ""  # Emmy handed in nothing: no grade posted
    for platform, ids in (("canvas", exports.CANVAS_IDS), ("moodle", exports.MOODLE_IDS),
                          ("gradescope", exports.GRADESCOPE_IDS),
                          ("nbgrader", {name: name for name in exports.SCORES}),
                          ("classroom", exports.CLASSROOM_IDS)):
        raw = {p.parent.name: json.loads(p.read_text())["raw_score"]
               for p in (reports / platform).glob("*/grader.json")
               if json.loads(p.read_text())["status"] == "graded"}
        assert raw == {ids[name]: score for name, score in exports.SCORES.items()}, platform
    grace = json.loads((reports / "gradescope" / "S002" / "grader.json").read_text())
    assert grace["penalty"]["days_late"] == 1 and grace["score"] == pytest.approx(96 * 0.9)
    emmy = json.loads((reports / "classroom" / "emmy-n" / "grader.json").read_text())
    assert emmy["status"] == "not_gradable" and "has no backprop.py" in emmy["reason"]
    assert (reports / "canvas-similarity" / "similarity.html").is_file()
    assert not (reports / "canvas" / "similarity.html").exists()
