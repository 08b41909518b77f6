"""canvas.csv: scores in the Canvas gradebook import format.

Canvas reads the columns Student, ID, SIS User ID, SIS Login ID and Section, then one column
per assignment whose header is the assignment's title (``Title (id)`` updates an existing
assignment; a new title creates one); an optional second row gives the points possible. The
student id (the submission's file stem) goes in Student and SIS Login ID. A not-gradable
submission gets an empty cell, so no grade is posted for it (never a 0).
"""

from __future__ import annotations

import csv
from pathlib import Path

from grader.grading.results import NOT_GRADABLE, SubmissionResult
from grader.reports.cells import number_cell, text_cell
from grader.reports.streamed import StreamedFile

FILENAME = "canvas.csv"
IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


class Writer(StreamedFile):
    FILENAME = FILENAME
    NEWLINE = ""

    def __init__(self, out: Path, *, title: str, max_score: float):
        super().__init__(out)
        self.title, self.max_score = title, max_score

    def begin(self) -> None:
        self.csv = csv.writer(self.file)
        self.csv.writerow([*IDENTITY, text_cell(self.title)])
        self.csv.writerow(["Points Possible", "", "", "", "", number_cell(self.max_score)])

    def add(self, result: SubmissionResult) -> None:
        score = None if result.status == NOT_GRADABLE else result.score
        student = text_cell(result.student)
        self.csv.writerow([student, "", "", student, "", number_cell(score)])
