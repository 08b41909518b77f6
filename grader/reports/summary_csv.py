"""summary.csv: one row per student with the score and the points of every check, and the
file the student id stands for (``source_file``, as in grader.json); from a platform's export,
the student's name, submission time and late flag (or the days a penalty counted), and the
raw score before a late penalty.

A not-gradable submission has an empty score (not 0) and its status and reason; a check the
grader could not evaluate has an empty cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

from grader.grading.results import ERROR, NOT_GRADABLE, SubmissionResult
from grader.reports.cells import lateness, number_cell, text_cell
from grader.reports.streamed import StreamedFile

FILENAME = "summary.csv"
ORIGIN = ["name", "submitted_at", "late", "raw_score"]


def origin_cells(result: SubmissionResult) -> list[str]:
    origin = result.origin or {}
    gradable = result.status != NOT_GRADABLE
    return [text_cell(origin.get("name", "")), text_cell(origin.get("submitted_at", "")),
            text_cell(lateness(result)), number_cell(result.raw_score if gradable else None)]


class Writer(StreamedFile):
    FILENAME = FILENAME
    NEWLINE = ""  # the csv module writes its own line ends

    def __init__(self, out: Path, check_names: list[str]):
        super().__init__(out)
        self.check_names = list(check_names)

    def begin(self) -> None:
        self.csv = csv.writer(self.file)
        self.csv.writerow(["student", "score", "max", "status", "source_file", *ORIGIN,
                           *map(text_cell, self.check_names), "reason"])

    def add(self, result: SubmissionResult) -> None:
        points = {check.name: None if check.status == ERROR else check.points
                  for check in result.checks}
        gradable = result.status != NOT_GRADABLE
        self.csv.writerow([text_cell(result.student),
                           number_cell(result.score if gradable else None),
                           number_cell(result.max_score or None), result.status,
                           text_cell(result.source_file), *origin_cells(result),
                           *(number_cell(points.get(name)) for name in self.check_names),
                           text_cell(result.reason)])
