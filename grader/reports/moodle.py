"""A Moodle grading worksheet, filled in from a batch's reports.

Moodle's "Upload grading worksheet" takes back the worksheet it gave ("Download grading
worksheet", with the offline grading worksheet feedback type on): one row per participant,
the ``Identifier`` column reading ``Participant 101``, a ``Grade`` column to fill. Moodle
matches rows by that identifier, so the grader fills the instructor's own worksheet instead
of inventing one: every other column stays as Moodle wrote it. A participant without a
gradable report keeps the Grade the worksheet had (nothing is posted for them).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError
from grader.grading.results import NOT_GRADABLE
from grader.reports.cells import number_cell
from grader.reports.classwide import graded_students, read_back

IDENTIFIER, GRADE = "Identifier", "Grade"
PARTICIPANT = re.compile(r"^\s*\D*?(\d+)\s*$")  # "Participant 101" (the word is translated)


@dataclass
class Filled:
    text: str  # the worksheet, Grade filled in
    graded: list[str] = field(default_factory=list)  # participant ids given a grade
    not_in_worksheet: list[str] = field(default_factory=list)  # reports with no row


def participant_scores(reports: Path) -> dict[str, float]:
    """Participant id (a Moodle export's id, else the student id) -> score, for every
    gradable report under ``reports``."""
    scores = {}
    for result in read_back(reports, graded_students(reports)):
        if result.status == NOT_GRADABLE:
            continue
        origin = result.origin or {}
        key = str(origin.get("id")) if origin.get("platform") == "moodle" else result.student
        scores[key] = result.score
    return scores


def fill_worksheet(worksheet: str, scores: dict[str, float]) -> Filled:
    """``worksheet`` (Moodle's CSV text) with each listed participant's score as its Grade."""
    rows = list(csv.reader(io.StringIO(worksheet.lstrip("\ufeff"))))
    if not rows or IDENTIFIER not in rows[0] or GRADE not in rows[0]:
        raise UsageError(f"not a Moodle grading worksheet: its first row needs the columns "
                         f"{IDENTIFIER!r} and {GRADE!r}")
    where, grade = rows[0].index(IDENTIFIER), rows[0].index(GRADE)
    filled, seen = Filled(""), set()
    for row in rows[1:]:
        match = PARTICIPANT.match(row[where]) if len(row) > max(where, grade) else None
        if match is None or match[1] not in scores:
            continue
        seen.add(match[1])
        row[grade] = number_cell(scores[match[1]])
        filled.graded.append(match[1])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    filled.text = out.getvalue()
    filled.not_in_worksheet = sorted(set(scores) - seen)
    return filled
