"""GitHub Classroom: the ``result`` step output its autograding reporter totals.

The schema, as ``classroom-resources/autograding-grading-reporter`` (v1) reads it:

- The reporter's ``runners`` input lists step ids; for each id it reads the environment
  variable ``<ID upper-cased>_RESULTS`` (the workflow sets it to
  ``${{ steps.<id>.outputs.result }}``), base64-decodes it, and parses the UTF-8 JSON.
- The object: ``version`` (1), ``status`` (``pass`` | ``fail`` | ``error``), ``max_score``
  (a number), ``tests`` (a list). Any runner whose ``status`` is ``fail`` fails the
  reporter's step ("Some tests failed."), else any ``error`` ("Some tests errored.").
- Each test: it reads ``name``, ``status`` (``pass`` | ``fail`` | ``error``), ``score``,
  ``message``, ``line_no`` and ``test_code``; we also write ``max_score`` (the check's
  points) and ``filename`` (GitHub's runners write it too), and no ``test_code``. It
  prints "✅ name" or "❌ name", adding " - line N" unless ``line_no`` is 0 (so it must be
  present), and for ``error`` only "Error: message" (``message`` is not printed for a
  pass or a fail; ``test_code``, when present, is printed under every test).
- The points GitHub Classroom records (the notice "Points X/Y"): X is the sum of every
  test's ``score`` and Y the sum of ``max_score`` over runners whose ``max_score`` is not 0;
  with Y = 0 nothing is posted. Its log table instead scores a runner as (tests passed /
  tests) x ``max_score``: the two agree when every test has the same points.
- The value travels as a step output and then as one environment variable, which Linux caps
  at 128 KiB (MAX_ARG_STRLEN, name included): the encoded line is kept under ``BUDGET``.

A submission the grader could not grade is not a score of 0: its result has ``status``
``error`` and ``max_score`` 0, so no points are posted and the reporter's step fails with
the reason.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterable
from pathlib import Path

from grader.grading.results import ERROR, NOT_GRADABLE, PASSED, SubmissionResult, safe_text
from grader.reports.github import definition_lines, failure_message, shorten

VERSION = 1
MAX_MESSAGE = 1000  # characters per message, as `grade annotate` caps an annotation
MAX_NAME = 200
BUDGET = 100_000  # characters of the encoded value; the variable's cap is 131072 bytes
SHORTER = (MAX_MESSAGE, 200, 0)  # message caps tried in turn until the value fits


def one_test(name: str, status: str, score: float, max_score: float, message: str = "", *,
             filename: str = "", line_no: int = 0) -> dict:
    """One test of the schema, its text made safe and capped."""
    return {"name": shorten(safe_text(name), MAX_NAME), "status": status,
            "score": round(score, 6), "max_score": round(max_score, 6),
            "message": shorten(safe_text(message), MAX_MESSAGE),
            "filename": safe_text(filename), "line_no": int(line_no)}


def result(tests: list[dict], *, error: str = "") -> dict:
    """The runner's object: ``fail`` if a test failed, ``error`` if one errored or ``error``
    (why nothing could be graded) is given."""
    statuses = {t["status"] for t in tests}
    status = "error" if error or "error" in statuses else "fail" if "fail" in statuses \
        else "pass"
    data = {"version": VERSION, "status": status,
            "max_score": round(sum(t["max_score"] for t in tests), 6),
            "tests": tests}
    if error:
        data["message"] = shorten(safe_text(error), MAX_MESSAGE)
    return data


def error_result(reason: str, *, name: str = "the grader") -> dict:
    """Nothing could be graded: one errored test saying why; no points posted."""
    return result([one_test(name, "error", 0, 0, reason)], error=reason)


def table_text(rows: list[dict], separator: str = "\n") -> str:
    """A gradient table as one line per tensor, as the terminal shows it."""
    lines = []
    for row in rows:
        error = row.get("relative_error")
        lines.append(f"{row.get('tensor')}: relative error "
                     f"{'-' if error is None else format(error, '.2e')} {row.get('verdict')}"
                     + (f" ({row['note']})" if row.get("note") else ""))
    return separator.join(lines)


def from_outcomes(outcomes: Iterable, *, source: str | os.PathLike | None = None) -> dict:
    """The self-check's outcomes (:class:`grader.selfcheck.Outcome`, each with its
    ``points``), a test per check; ``source`` is the student's .py, for the line numbers."""
    source = Path(source) if source is not None else None
    lines = definition_lines(source) if source is not None and source.suffix == ".py" else {}
    filename = source.name if source is not None else ""
    tests = []
    for outcome in outcomes:
        passed = outcome.status == PASSED
        message = outcome.message
        rows = outcome.data.get("gradient_check") if not passed else None
        if rows:
            message += "\n" + table_text(rows)
        tests.append(one_test(
            f"{outcome.function}: {outcome.check}", "pass" if passed else "fail",
            outcome.points if passed else 0, outcome.points, message,
            filename=filename, line_no=lines.get(outcome.function, 0)))
    return fit(result(tests))


def from_submission(graded: SubmissionResult, *, source: str | os.PathLike | None = None
                    ) -> dict:
    """A graded submission (the hidden tests' points), at its feedback level: a test per
    check (``score``: one test of the total), and a late penalty as a test of negative
    points, so the tests' scores add up to the score."""
    if graded.status == NOT_GRADABLE:
        return error_result(f"not gradable (this is not a score of 0): {graded.reason}",
                            name=f"{graded.student}: not gradable")
    lines = definition_lines(Path(source)) if source and str(source).endswith(".py") else {}
    if graded.feedback == "score":
        tests = [one_test(f"{graded.assignment}: hidden tests",
                          "fail" if graded.failed else "pass", graded.raw_score,
                          graded.max_score)]
    else:
        tests = [check_test(check, graded, lines) for check in graded.checks]
    if graded.penalty:
        tests.append(one_test(
            f"late: {graded.penalty.get('days_late')} day(s), "
            f"-{graded.penalty.get('percent'):g}%", "fail", graded.score - graded.raw_score, 0,
            f"raw score {graded.raw_score:g}, after the penalty {graded.score:g}"))
    return fit(result(tests))


def check_test(check, graded: SubmissionResult, lines: dict[str, int]) -> dict:
    """One hidden check: its message only at ``full`` feedback, and neither its name nor its
    message when its visibility is not ``visible``."""
    status = {PASSED: "pass", ERROR: "error"}.get(check.status, "fail")
    if check.visibility != "visible":
        return one_test("a hidden check", status, check.points, check.max_points)
    message = failure_message(check) if graded.feedback == "full" and status != "pass" else ""
    return one_test(f"{check.function}: {check.name}", status, check.points, check.max_points,
                    message, filename=graded.source_file,
                    line_no=lines.get(check.function, 0))


def job_summary(outcomes: Iterable, *, title: str, footer: str = "") -> str:
    """The self-check as Markdown for the run's summary page ($GITHUB_STEP_SUMMARY): the
    reporter prints no message for a failed test, this table does."""
    from grader.reports.markdown import MESSAGE_LIMIT, escape

    lines = [f"### {escape(title)}", "", "| function | check | points | result |",
             "|---|---|---:|---|"]
    for outcome in outcomes:
        if outcome.status == PASSED:
            verdict, points = "✅ passed", outcome.points
        else:
            rows = outcome.data.get("gradient_check")
            text = outcome.message + (". " + table_text(rows, "; ") if rows else "")
            verdict, points = "❌ " + escape(text, MESSAGE_LIMIT), 0
        lines.append(f"| {escape(outcome.function)} | {escape(outcome.check)} | "
                     f"{points:g} / {outcome.points:g} | {verdict} |")
    return "\n".join([*lines, "", escape(footer), ""]) if footer else "\n".join([*lines, ""])


def encode(data: dict) -> str:
    """base64 of the compact UTF-8 JSON (no line breaks: one output line)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")


def fit(data: dict) -> dict:
    """``data`` with its messages shortened until the encoded value is within ``BUDGET``."""
    for cap in SHORTER:
        for item in data["tests"]:
            item["message"] = shorten(item["message"], cap) if cap else ""
        if len(encode(data)) <= BUDGET:
            break
    return data  # names alone (200 characters each) fit for hundreds of checks


def output_line(data: dict) -> str:
    return f"result={encode(data)}"


def publish(data: dict, *, echo) -> str:
    """Print the ``result=...`` line (``echo``) and, on GitHub Actions, append it to the file
    ``$GITHUB_OUTPUT`` names, making it the step's output ``result``."""
    line = output_line(data)
    echo(line)
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as output:
            output.write(line + "\n")
    return line
