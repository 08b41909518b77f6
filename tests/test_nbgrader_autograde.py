"""The test cells' outputs the grader's nbgrader preprocessor writes, from `grade`'s checks
(the whole chain runs in real nbgrader autogrades: tests/test_course.py)."""

from __future__ import annotations

import nbformat
from nbgrader.utils import determine_grade

from grader.course.nbgrader_autograde import KEY, ScoreTestCells


def scored(check: dict | None, *, reason: str = "", notes=()):
    """A test cell the kernel ran fine, then scored by ScoreTestCells from ``check``."""
    cell = nbformat.v4.new_code_cell("assert callable(globals().get('f'))")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_f_0", "locked": True,
                                 "points": 4, "solution": False, "schema_version": 3}
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="kernel says ok")]
    resources = {KEY: {"cells": {"test_f_0": "f works"}, "seen": [], "review": [],
                       "checks": {"f works": check} if check else {}, "reason": reason,
                       "notes": list(notes)}}
    cell, resources = ScoreTestCells().preprocess_cell(cell, resources, 0)
    return cell, resources[KEY]


def check(status: str, **more) -> dict:
    return {"name": "f works", "function": "f", "status": status, "message": "f is off by 2",
            "points": 4 if status == "passed" else 0, "visibility": "visible", **more}


def test_a_passed_check_is_full_points_whatever_the_kernel_showed():
    cell, found = scored(check("passed"), notes=["f(a, b) is an older signature of f: "
                                                 "accepted, and graded as such"])
    assert determine_grade(cell) == (4, 4) and found["seen"] == ["test_f_0"]
    text = "".join(output.text for output in cell.outputs)
    assert "kernel says ok" not in text and "passed: f works" in text
    assert "older signature of f" in text


def test_a_failed_check_is_zero_with_its_message_and_the_named_mistake():
    mistake = {"name": "missing 1/m", "explanation": "m times too large", "fix": "divide by m"}
    cell, _ = scored(check("failed", mistake=mistake))
    assert determine_grade(cell) == (0, 4)
    shown = cell.outputs[0].evalue
    assert "f is off by 2" in shown and "The mistake: missing 1/m" in shown
    assert "Fix: divide by m" in shown


def test_a_hidden_check_fails_without_its_details():
    cell, _ = scored(check("failed", visibility="hidden"))
    assert determine_grade(cell) == (0, 4) and "off by 2" not in cell.outputs[0].evalue


def test_what_the_grader_could_not_grade_waits_for_a_person():
    cell, found = scored(check("error", message="the grader's own error"))
    assert found["review"] == ["test_f_0"] and "the grader's own error" in cell.outputs[0].evalue
    cell, found = scored(None, reason="Cannot grade safely here")
    assert found["review"] == ["test_f_0"] and "manual grading" in cell.outputs[0].evalue
