"""Class-level reports, built after a batch by reading back every student's grader.json.

Results are read one at a time and streamed into the writers (summary.csv, canvas.csv,
junit.xml); only a small row per student and per-check counters are kept, for summary.md and
the index.html dashboard. Memory does not grow with the size of the results, only with the
number of students, by a few dozen bytes each.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from grader.grading.results import ERROR, NOT_GRADABLE, PASSED, SubmissionResult, safe_text
from grader.reports.cells import lateness

MODEL_FILE = "grader.json"  # as written by grader.batch.write_reports


@dataclass(frozen=True)
class StudentRow:
    """What the class pages keep of one student."""

    student: str
    score: float
    max_score: float
    status: str
    reason: str
    failed: tuple[str, ...]
    name: str = ""  # the display name a platform's export gave
    late: str = ""  # "late", or how late, when the export or a penalty says so

    @property
    def gradable(self) -> bool:
        return self.status != NOT_GRADABLE

    @property
    def percent(self) -> float | None:
        if not self.gradable:
            return None
        return 100 * self.score / self.max_score if self.max_score else 0.0


@dataclass
class ClassStats:
    assignment: str
    title: str
    check_names: list[str]
    rows: list[StudentRow] = field(default_factory=list)
    passed: Counter = field(default_factory=Counter)  # check name -> submissions that passed
    graded: Counter = field(default_factory=Counter)  # check name -> submissions evaluated
    mistake_students: dict[str, set] = field(default_factory=dict)
    mistake_fixes: dict[str, str] = field(default_factory=dict)
    # with a roster: who is on it without a submission, and submissions not on it
    missing: list = field(default_factory=list)  # roster.Person
    unknown: list[str] = field(default_factory=list)
    roster: object = None  # grader.loading.roster.Roster
    # what the export's reading said (files not graded, a folder read as plain files)
    notes: list[str] = field(default_factory=list)
    on_roster: set = field(default_factory=set)  # ids of the Persons matched so far

    def add(self, result: SubmissionResult) -> None:
        self.rows.append(StudentRow(result.student, result.score, result.max_score,
                                    result.status, result.reason,
                                    tuple(check.name for check in result.failed),
                                    name=str(result.origin.get("name", "")),
                                    late=lateness(result)))
        if self.roster is not None:
            person = self.roster.find(result)
            if person is None:
                self.unknown.append(result.student)
            else:
                self.on_roster.add(id(person))
        for check in result.checks:
            if check.status != ERROR:
                self.graded[check.name] += 1
                self.passed[check.name] += check.status == PASSED
            name = (check.mistake or {}).get("name")
            if check.status != PASSED and name:
                self.mistake_students.setdefault(name, set()).add(result.student)
                self.mistake_fixes.setdefault(name, str(check.mistake.get("fix", "")))

    def close_roster(self) -> None:
        """After the last result: the roster's students no submission matched."""
        if self.roster is not None:
            self.missing = [p for p in self.roster.people if id(p) not in self.on_roster]

    @property
    def gradable_rows(self) -> list[StudentRow]:
        return [row for row in self.rows if row.gradable]

    def pass_rates(self) -> list[tuple[str, int, int]]:
        """(check, passed, evaluated) for every check, hardest first."""
        names = self.check_names + [n for n in self.graded if n not in self.check_names]
        rates = [(name, self.passed[name], self.graded[name]) for name in names]
        return sorted(rates, key=lambda r: (r[1] / r[2] if r[2] else 2.0, names.index(r[0])))

    def common_mistakes(self, limit: int = 10) -> list[tuple[str, int, str]]:
        """(mistake, students who made it, how to fix it), commonest first."""
        ranked = sorted(self.mistake_students, key=lambda n: (-len(self.mistake_students[n]), n))
        return [(n, len(self.mistake_students[n]), self.mistake_fixes[n]) for n in ranked[:limit]]


def read_back(out: Path, students: Iterable[str], *, assignment: str = ""
              ) -> Iterator[SubmissionResult]:
    """Each student's results model from disk, one at a time; unreadable ones say so."""
    for student in students:
        path = out / student / MODEL_FILE
        try:
            yield SubmissionResult.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            yield SubmissionResult(student, assignment, "", status=NOT_GRADABLE,
                                   reason=f"its results could not be read back from {path}: "
                                          f"{type(exc).__name__}")


def graded_students(out: Path) -> list[str]:
    """Every student folder under ``out`` that holds a results model, sorted."""
    return sorted(path.parent.name for path in out.glob(f"*/{MODEL_FILE}"))


def write_class_reports(out: Path, *, students: Iterable[str], assignment: str, title: str,
                        check_names: list[str], max_score: float,
                        plots: bool = True, roster=None,
                        missing_score: float | None = None,
                        notes: Iterable[str] = ()) -> list[Path]:
    """Write summary.csv, canvas.csv, junit.xml, summary.md and index.html at the top of out
    (``plots=False``: index.html without its histogram). With a ``roster``, canvas.csv
    carries its ids and its students without a submission (score ``missing_score``, blank
    unless given), and the pages name them; ``notes`` (the batch's reading of the export)
    are listed in summary.md and index.html."""
    from grader.reports import canvas, dashboard, junit, markdown, summary_csv

    stats = ClassStats(assignment, title, list(check_names), roster=roster,
                       notes=[safe_text(str(note)) for note in notes])
    details = markdown.Details()
    with ExitStack() as stack:
        sinks = [stack.enter_context(summary_csv.Writer(out, check_names)),
                 stack.enter_context(canvas.Writer(out, title=title, max_score=max_score,
                                                   roster=roster,
                                                   missing_score=missing_score)),
                 stack.enter_context(junit.Writer(out, assignment=assignment)),
                 details, stats]
        for result in read_back(out, students, assignment=assignment):
            for sink in sinks:
                sink.add(result)
    stats.close_roster()
    return [out / summary_csv.FILENAME, out / canvas.FILENAME, out / junit.FILENAME,
            markdown.write(stats, details, out), dashboard.write(stats, out, plots=plots)]
