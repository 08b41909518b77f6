"""The class list: a Canvas gradebook export, GitHub Classroom's roster, or a plain
``id,name,email`` CSV.

A Canvas gradebook export (Grades > Export) starts with the columns ``Student, ID, SIS User
ID, SIS Login ID, Section`` (some instances add ``Integration ID``), then one column per
assignment; under the header come rows that are not students (``Points Possible``, and on
newer instances a posting-policy row with an empty ``ID``), and Canvas's own ``Student, Test``.
Only rows with a numeric Canvas ``ID`` are students. GitHub Classroom's roster download has
``identifier, github_username, github_id, name``: the login is the id (what a Classroom
download names each repository by), the identifier (an email or a student number) the email.

A submission is matched to a roster entry by any id the two share: the platform's id (a
Canvas user id is the gradebook's ``ID``), the student id, a Gradescope SID (the gradebook's
``SIS User ID``) or an email / login (``SIS Login ID``, ``email``), compared without case.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError
from grader.grading.results import safe_text

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_TEST_STUDENT = "Student, Test"
CLASSROOM_COLUMNS = ("identifier", "github_username")
MAX_ROSTER_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Person:
    """One student on the roster; ``canvas`` holds the gradebook's identity columns."""

    id: str
    name: str = ""
    email: str = ""
    canvas: tuple[str, str, str, str, str] | None = None  # Student, ID, SIS..., Section

    def keys(self) -> list[str]:
        found = [self.id, self.email]
        if self.canvas:
            found += list(self.canvas[1:4])
        return [key.strip().lower() for key in found if key and key.strip()]


@dataclass
class Roster:
    people: list[Person]
    source: str = ""  # "canvas" or "plain"
    index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for person in self.people:
            for key in person.keys():
                self.index.setdefault(key, person)

    def find(self, result) -> Person | None:
        """The roster entry for a graded result (its student id and export origin)."""
        origin = result.origin or {}
        for key in (origin.get("id"), result.student, origin.get("sid"), origin.get("email")):
            if key and str(key).strip().lower() in self.index:
                return self.index[str(key).strip().lower()]
        return None


def read_roster(path: str | Path) -> Roster:
    """The roster at ``path``: a Canvas gradebook export or an ``id,name,email`` CSV."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the roster {path}: {exc.strerror}") from None
    if len(data) > MAX_ROSTER_BYTES:
        raise UsageError(f"the roster {path} is over {MAX_ROSTER_BYTES} bytes")
    # names are the students' own (a display name): no control or format character in them
    rows = [[safe_text(cell) for cell in row]
            for row in csv.reader(io.StringIO(data.decode("utf-8-sig", "replace")))]
    if not rows:
        raise UsageError(f"the roster {path} is empty")
    header = [cell.strip() for cell in rows[0]]
    if all(column in header for column in CANVAS_COLUMNS[:2]):
        return Roster(canvas_people(header, rows[1:]), "canvas")
    lowered = [cell.lower() for cell in header]
    if all(column in lowered for column in CLASSROOM_COLUMNS):
        return Roster(classroom_people(lowered, rows[1:]), "classroom")
    if "id" in lowered:
        return Roster(plain_people(lowered, rows[1:]), "plain")
    raise UsageError(f"the roster {path} is neither a Canvas gradebook export (columns "
                     f"{', '.join(CANVAS_COLUMNS)}), GitHub Classroom's roster "
                     f"({', '.join(CLASSROOM_COLUMNS)}) nor a CSV with id,name,email columns")


def cell(row: list[str], header: list[str], column: str) -> str:
    index = header.index(column) if column in header else -1
    return row[index].strip() if 0 <= index < len(row) else ""


def canvas_people(header: list[str], rows: list[list[str]]) -> list[Person]:
    people = []
    for row in rows:
        identity = tuple(cell(row, header, column) for column in CANVAS_COLUMNS)
        if not identity[1].isdigit() or identity[0] == CANVAS_TEST_STUDENT:
            continue  # "Points Possible", a posting-policy row, Canvas's test student
        people.append(Person(identity[1], identity[0], canvas=identity))
    return people


def plain_people(header: list[str], rows: list[list[str]]) -> list[Person]:
    people = []
    for row in rows:
        student = cell(row, header, "id")
        if student:
            people.append(Person(student, cell(row, header, "name"), cell(row, header, "email")))
    return people


def classroom_people(header: list[str], rows: list[list[str]]) -> list[Person]:
    """GitHub Classroom's roster: students who have not linked an account have no login and
    are named by their identifier."""
    people = []
    for row in rows:
        login, identifier = cell(row, header, "github_username"), cell(row, header, "identifier")
        if login or identifier:
            people.append(Person(login or identifier, cell(row, header, "name") or identifier,
                                 identifier))
    return people


@dataclass
class RosterMatch:
    """Which graded students are on the roster, who is missing, and who is not on it."""

    matched: dict  # student id -> Person
    missing: list[Person]
    unknown: list[str]  # student ids not on the roster

    @classmethod
    def build(cls, roster: Roster, results) -> RosterMatch:
        matched, seen = {}, set()
        unknown = []
        for result in results:
            person = roster.find(result)
            if person is None:
                unknown.append(result.student)
            else:
                matched[result.student] = person
                seen.add(id(person))
        return cls(matched, [p for p in roster.people if id(p) not in seen], unknown)
