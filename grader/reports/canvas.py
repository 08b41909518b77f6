"""canvas.csv: scores in the Canvas gradebook import format.

Canvas reads the columns Student, ID, SIS User ID, SIS Login ID and Section, then one column
per assignment whose header is the assignment's title (``Title (id)`` updates an existing
assignment; a new title creates one); an optional second row gives the points possible.
Canvas matches a row to a student by ``ID`` (its own user id), else ``SIS User ID``, else
``SIS Login ID``.

Where the ids come from, best first: the roster (``--roster``, a Canvas gradebook export:
its five identity columns are copied as they are); a Canvas export (the user id in each file
name is Canvas's ``ID``, and the name is the export's); otherwise the student id, in Student
and SIS Login ID, as before. With a roster, its students without a submission get a row with
an empty score (``missing_score`` if given), and submissions from students not on it get no
row (Canvas would refuse them; the terminal, summary.md and index.html list them). A
not-gradable submission gets an empty cell, so no grade is posted for it (never a 0).
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

    def __init__(self, out: Path, *, title: str, max_score: float, roster=None,
                 missing_score: float | None = None):
        super().__init__(out)
        self.title, self.max_score = title, max_score
        self.roster, self.missing_score = roster, missing_score
        self.matched: set[int] = set()

    def begin(self) -> None:
        self.csv = csv.writer(self.file)
        self.csv.writerow([*IDENTITY, text_cell(self.title)])
        self.csv.writerow(["Points Possible", "", "", "", "", number_cell(self.max_score)])

    def add(self, result: SubmissionResult) -> None:
        score = None if result.status == NOT_GRADABLE else result.score
        identity = self.identity(result)
        if identity is not None:
            self.csv.writerow([*map(text_cell, identity), number_cell(score)])

    def identity(self, result: SubmissionResult) -> list[str] | None:
        """The five identity cells for ``result``; None: no row (not on the roster)."""
        if self.roster is not None:
            person = self.roster.find(result)
            if person is None:
                return None
            self.matched.add(id(person))
            return person_identity(person)
        origin = result.origin or {}
        if origin.get("platform") == "canvas":
            return [origin.get("name", "") or result.student, str(origin.get("id", "")),
                    "", "", ""]
        return [result.student, "", "", result.student, ""]

    def end(self) -> None:
        """The roster's students without a submission: an empty score, or ``missing_score``."""
        if self.roster is None:
            return
        for person in self.roster.people:
            if id(person) not in self.matched:
                self.csv.writerow([*map(text_cell, person_identity(person)),
                                   number_cell(self.missing_score)])


def person_identity(person) -> list[str]:
    if person.canvas is not None:
        return list(person.canvas)
    return [person.name or person.id, "", "", person.email or person.id, ""]
