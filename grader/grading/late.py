"""Late work: ``--due DATETIME --late-penalty PCT_PER_DAY [--extensions CSV]``.

A submission's lateness comes from its export: the platform's timestamp (Gradescope's
``created_at``, nbgrader's ``timestamp.txt``) against the student's due date (the extension's,
else ``--due``); each started day late costs ``PCT_PER_DAY`` percent of the raw score, at most
100. Where the export has only a late flag and no time (Canvas's ``_LATE``), the submission is
counted one day late. Flat files carry neither, so they are never penalised. The raw score
stays in grader.json (``raw_score``); ``score`` is the final one.

The extensions CSV has a ``student`` column (a student id, platform id, SID or email) and a
``due`` column: an ISO date-time, or a number of extra days.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from grader.errors import UsageError
from grader.loading.layouts import parse_time


def parse_due(text: str) -> datetime:
    moment = parse_time(text)
    if moment is None:
        raise UsageError(f"--due {text!r}: expected an ISO date-time, e.g. 2025-03-01T23:59"
                         "+01:00 (UTC when no offset is given)")
    return moment


@dataclass
class LatePolicy:
    due: datetime
    percent_per_day: float
    extensions: dict = field(default_factory=dict)  # lower-case key -> datetime

    def due_for(self, result) -> datetime:
        origin = result.origin or {}
        for key in (result.student, origin.get("id"), origin.get("sid"), origin.get("email")):
            if key and str(key).lower() in self.extensions:
                return self.extensions[str(key).lower()]
        return self.due

    def penalty(self, result) -> dict:
        """{"days_late", "percent", "due"}, or {} when on time (or nothing says when)."""
        origin = result.origin or {}
        due = self.due_for(result)
        submitted = parse_time(origin["submitted_at"]) if origin.get("submitted_at") else None
        if submitted is not None:
            late_by = submitted - due
            if late_by <= timedelta(0):
                return {}
            days = math.ceil(late_by / timedelta(days=1))
        elif origin.get("late"):
            days = 1
        else:
            return {}
        return {"days_late": days, "percent": min(100.0, days * self.percent_per_day),
                "due": due.isoformat()}


def read_extensions(path: str | Path, due: datetime) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read the extensions {path}: {exc.strerror}") from None
    extensions = {}
    for row in csv.DictReader(io.StringIO(text)):
        row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
        student, value = row.get("student", ""), row.get("due", "")
        if not student or not value:
            continue
        try:
            extensions[student.lower()] = due + timedelta(days=float(value))
        except ValueError:
            moment = parse_time(value)
            if moment is None:
                raise UsageError(f"{path}: {student}'s due {value!r} is neither a date-time "
                                 "nor a number of days") from None
            extensions[student.lower()] = moment
    return extensions


def policy(due: str | None, percent_per_day: float | None, extensions: str | None
           ) -> LatePolicy | None:
    if due is None:
        if percent_per_day is not None or extensions is not None:
            raise UsageError("--late-penalty and --extensions need --due")
        return None
    moment = parse_due(due)
    return LatePolicy(moment, percent_per_day or 0.0,
                      read_extensions(extensions, moment) if extensions else {})
