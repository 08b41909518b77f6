"""The self-check's gradient table: a student's backward pass against central differences
of the student's own cost, one row per tensor, with a verdict students can act on.

Verdicts, by relative error ``||a - n|| / (||a|| + ||n||)``: below ``GOOD`` (1e-7) good;
below ``SUSPICIOUS`` (1e-4) suspicious (often a slip that shows on some entries only, or a
cost not computed in float64); else wrong.
"""

from __future__ import annotations

import numpy as np

from grader.grading.checks import CheckFailed, comparable
from grader.grading.gradcheck import numeric_gradient, relative_error

GOOD, SUSPICIOUS = 1e-7, 1e-4


def verdict(error: float | None) -> str:
    if error is None or not np.isfinite(error):
        return "wrong"
    return "good" if error < GOOD else "suspicious" if error < SUSPICIOUS else "wrong"


def gradient_table(cost, params: dict, grads: dict, names) -> list[dict]:
    """One row per tensor: the relative error of ``grads['d' + name]`` against central
    differences of ``cost()``, which reads ``params`` (nudged in place, then restored)."""
    rows = []
    for name in names:
        row = {"tensor": "d" + name, "relative_error": None, "verdict": "wrong", "note": ""}
        try:
            numeric = numeric_gradient(cost, params[name])
            analytic = comparable("d" + name, grads["d" + name], numeric).astype(np.float64)
            row["relative_error"] = relative_error(analytic, numeric)
            row["verdict"] = verdict(row["relative_error"])
        except CheckFailed as failure:
            row["note"] = str(failure)
        rows.append(row)
    return rows


def fails_if_wrong(rows: list[dict], what: str, where: str = "") -> dict:
    """A :func:`gradient_table` as check data; raises CheckFailed naming the wrong tensors."""
    data = {"gradient_check": rows}
    wrong = [row["tensor"] for row in rows if row["verdict"] == "wrong"]
    if wrong:
        raise CheckFailed(f"{where}{', '.join(wrong)} disagree(s) with the numeric gradient of "
                          f"your own {what} (see the table)", data)
    return data
