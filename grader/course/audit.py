"""Audit the hidden tests: do they catch every catalogued mistake and every mutant?

Each catalogued mistake (every spelling) and each mutant of the reference's solution
regions (:mod:`grader.course.mutants`) is graded like a student's submission, in a worker, by the
normal engine. A mutant is killed when it loses points. The mutation score is the share of
killed mutants among those not reviewed as equivalent; ``solutions/<name>/equivalent_mutants.py``
lists the equivalent ones (``EQUIVALENT = {mutant id: reason}``). A listed mutant that is
killed anyway is reported: either the list is wrong or a test rejects a correct answer.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grader.course.mutants import mutants
from grader.errors import UsageError
from grader.grading.mistakes import apply_edits, load_catalogue
from grader.grading.results import GRADED
from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment, load_module
from grader.loading.submission import Submission

EQUIVALENT_FILE = "equivalent_mutants.py"


@dataclass
class Outcome:
    """How the hidden tests treated one mutant or mistaken reference."""

    id: str
    killed: bool
    score: float
    max_score: float
    failed: tuple[str, ...]  # the ids of the checks it failed
    status: str = GRADED
    named: tuple[str, ...] = ()  # mistakes named on its failed checks (catalogue entries only)
    equivalent: str = ""  # the reviewed reason, for a listed equivalent mutant
    seconds: float = 0.0


@dataclass
class AuditReport:
    assignment: str
    mutants: list[Outcome] = field(default_factory=list)
    mistakes: list[Outcome] = field(default_factory=list)
    # catalogue problems: a spelling not caught or not named, a listed check no spelling
    # fails, a check some spelling fails that the mistake does not list
    mistake_problems: list[str] = field(default_factory=list)
    unknown_equivalents: list[str] = field(default_factory=list)  # listed, never generated

    @property
    def equivalent(self) -> list[Outcome]:
        return [o for o in self.mutants if o.equivalent and not o.killed]

    @property
    def wrongly_equivalent(self) -> list[Outcome]:
        return [o for o in self.mutants if o.equivalent and o.killed]

    @property
    def survivors(self) -> list[Outcome]:
        return [o for o in self.mutants if not o.killed and not o.equivalent]

    @property
    def score(self) -> float:
        """Killed mutants / mutants not reviewed as equivalent (1.0 when there are none)."""
        counted = [o for o in self.mutants if not (o.equivalent and not o.killed)]
        return sum(o.killed for o in counted) / len(counted) if counted else 1.0


def equivalent_mutants(directory: Path) -> dict[str, str]:
    path = directory / EQUIVALENT_FILE
    if not path.is_file():
        return {}
    listed = getattr(load_module(f"_bpg_equivalent_{directory.name}", path), "EQUIVALENT", None)
    if not isinstance(listed, dict) or not all(isinstance(r, str) and r for r in listed.values()):
        raise UsageError(f"{path} must define EQUIVALENT = {{mutant id: reason, ...}}")
    return listed


def audit(*, assignment: str, solutions: str | os.PathLike | None = None,
          jobs: int | None = None, limits: dict | None = None) -> AuditReport:
    """Grade every catalogued mistake and every mutant of ``assignment``'s reference."""
    loaded = load_assignment(assignment, solutions=solutions)
    catalogue = load_catalogue(loaded)
    source = (loaded.directory / "reference.py").read_text()
    listed = equivalent_mutants(loaded.directory)
    check_ids = {test.name: test.id for test in loaded.spec.tests}
    generated = mutants(source)
    entries = [(m.id, m.source, False) for m in generated]
    for mistake in catalogue.mistakes if catalogue else []:
        for index, edits in enumerate(mistake.all_edits):
            entries.append((f"{mistake.id}#{index}", apply_edits(source, edits), True))

    with tempfile.TemporaryDirectory(prefix="bpg-audit-") as scratch:
        def one(numbered):
            number, (ident, text, diagnose) = numbered
            path = Path(scratch) / f"s{number}.py"
            path.write_text(text)
            result = grade_submission(loaded, Submission(f"s{number}", path), limits=limits,
                                      diagnose=diagnose)
            return Outcome(
                ident, killed=result.score < result.max_score, score=result.score,
                max_score=result.max_score, status=result.status,
                failed=tuple(check_ids[c.name] for c in result.failed),
                named=tuple(sorted({c.mistake["id"] for c in result.failed if c.mistake})),
                equivalent=listed.get(ident, ""), seconds=result.execution_time)

        workers = max(1, jobs or os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audit") as pool:
            outcomes = list(pool.map(one, enumerate(entries)))

    report = AuditReport(assignment=assignment, mutants=outcomes[:len(generated)],
                         mistakes=outcomes[len(generated):])
    report.unknown_equivalents = sorted(set(listed) - {m.id for m in generated})
    for outcome in report.mistakes:
        mistake = next(m for m in catalogue.mistakes if outcome.id.startswith(m.id + "#"))
        if not outcome.killed:
            report.mistake_problems.append(f"{outcome.id}: the hidden tests do not catch it")
        elif mistake.id not in outcome.named:
            report.mistake_problems.append(f"{outcome.id}: caught but not named")
    for mistake in catalogue.mistakes if catalogue else []:
        failed = {c for o in report.mistakes if o.id.startswith(mistake.id + "#")
                  for c in o.failed}
        if set(mistake.checks) - failed:
            report.mistake_problems.append(
                f"{mistake.id}: lists checks none of its spellings fails: "
                f"{', '.join(sorted(set(mistake.checks) - failed))}")
        if failed - set(mistake.checks):
            report.mistake_problems.append(
                f"{mistake.id}: fails checks it does not list (so it is not named there): "
                f"{', '.join(sorted(failed - set(mistake.checks)))}")
    return report


def strict_problems(report: AuditReport) -> list[str]:
    """Everything ``grade audit --strict`` fails on: catalogue problems, in both directions
    (a listed check not failed, a failed check not listed), and an equivalent-mutant list
    that is wrong. Survivors are left to ``--min-score``."""
    return [*report.mistake_problems,
            *(f"{o.id}: listed as equivalent but loses points" for o in report.wrongly_equivalent),
            *(f"{ident}: listed as equivalent but never generated"
              for ident in report.unknown_equivalents)]


def render_text(report: AuditReport) -> str:
    """The audit as instructors read it in a terminal."""
    counted = len(report.mutants) - len(report.equivalent)
    killed = sum(o.killed for o in report.mutants if not (o.equivalent and not o.killed))
    lines = [f"{report.assignment}: mutation score {100 * report.score:.1f}% "
             f"({killed} of {counted} mutants lose points; {len(report.equivalent)} reviewed "
             "as equivalent)"]
    caught = sum(o.killed for o in report.mistakes)
    named = sum(o.killed and o.id.split("#")[0] in o.named for o in report.mistakes)
    lines.append(f"catalogued mistakes: {caught} of {len(report.mistakes)} spellings lose "
                 f"points, {named} are named")
    sections = [
        ("Survivors (no check fails: a weakness of the hidden tests)",
         [o.id for o in report.survivors]),
        ("Equivalent mutants (reviewed: they compute the same thing)",
         [f"{o.id}\n      {o.equivalent}" for o in report.equivalent]),
        ("Listed as equivalent but losing points (fix the list, or a test rejects a correct "
         "answer)", [f"{o.id} (fails {', '.join(o.failed)})" for o in report.wrongly_equivalent]),
        ("Listed as equivalent but never generated", report.unknown_equivalents),
        ("Catalogue problems", report.mistake_problems),
    ]
    for title, items in sections:
        if items or title.startswith("Survivors"):
            lines += ["", f"{title}: {len(items)}"] + [f"  - {item}" for item in items]
    return "\n".join(lines)
