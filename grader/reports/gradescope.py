"""Gradescope's results.json: score, max_score, execution_time, output, tests[].

Gradescope knows only passed/failed; a check the grader could not evaluate is shown as
failed with an explicit "not gradable" line, and the submission status travels in
``extra_data`` so it is never mistaken for a zero.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.atomic import write_atomic
from grader.grading.results import ERROR, NOT_GRADABLE, PASSED, SubmissionResult

FILENAME = "results.json"


def overview(result: SubmissionResult) -> str:
    if result.status == NOT_GRADABLE:
        return f"NOT GRADABLE (this is not a score of 0): {result.reason}"
    failed = len(result.failed)
    text = f"{result.student}: {result.score:g} / {result.max_score:g} points"
    if result.feedback == "score":
        return text
    return text + (f", {failed} check(s) failed" if failed else ", every check passed")


def printed(result: SubmissionResult, limit: int = 2000) -> str:
    """The tail of what the student's code printed, for debugging; empty if nothing."""
    if not result.output.strip():
        return ""
    return "\n\nYour code printed (last lines):\n" + result.output[-limit:]


def chosen(result: SubmissionResult) -> str:
    """Which of several files handed in was graded, and why."""
    text = (result.origin or {}).get("chosen")
    return f"\n{text}" if text else ""


def left_out(result: SubmissionResult) -> str:
    """What the grader left out or accepted (a skipped import, an older signature): shown at
    every feedback level, since it is about the student's own file, not the hidden tests."""
    if not result.notes:
        return ""
    return "\n\nWhat the grader left out or accepted:\n" + "\n".join(
        f"- {note}" for note in result.notes)


def named_mistake(mistake: dict | None) -> str:
    """The catalogued mistake that explains a failed check, and its fix."""
    if not mistake:
        return ""
    return (f"\n\nThe mistake: {mistake['name']}. {mistake['explanation']}"
            f"\nFix: {mistake['fix']}")


def test_output(check, feedback: str) -> str:
    """A check's text at the feedback level: its message and named mistake (full), only
    whether it could be graded (summary)."""
    if check.status == ERROR:
        return "NOT GRADABLE" + (f": {check.message}" if feedback == "full" else "")
    return check.message + named_mistake(check.mistake) if feedback == "full" else ""


def render(result: SubmissionResult) -> dict:
    """Gradescope's results.json at ``result.feedback``: ``score`` lists no tests; each test
    carries its own ``visibility``; the student's printed output is shown only at full."""
    feedback = result.feedback
    tests = []
    for check in result.checks if feedback != "score" else ():
        tests.append({"name": check.name, "score": check.points, "max_score": check.max_points,
                      "status": "passed" if check.status == PASSED else "failed",
                      "output": test_output(check, feedback),
                      "visibility": check.visibility})
    late = ""
    if result.penalty:
        late = (f"\nLate: {result.penalty['days_late']} day(s), -{result.penalty['percent']:g}% "
                f"(raw score {result.raw_score:g})")
    return {
        "score": result.score,
        "max_score": result.max_score,
        "execution_time": result.execution_time,
        "output": overview(result) + late + chosen(result) + left_out(result)
                  + (printed(result) if feedback == "full" else ""),
        "visibility": "visible",
        "stdout_visibility": "visible" if feedback == "full" else "hidden",
        "tests": tests,
        "extra_data": {"student": result.student, "assignment": result.assignment,
                       "status": result.status, "reason": result.reason,
                       "protections": result.protections, "origin": result.origin,
                       "provenance": result.provenance, "raw_score": result.raw_score,
                       "notes": result.notes},
    }


def write(result: SubmissionResult, directory: Path, *, pending=None) -> Path:
    path = directory / FILENAME
    # no indent: json's C encoder writes only compact output, several times faster
    write_atomic(path, json.dumps(render(result)) + "\n", pending=pending)
    return path
