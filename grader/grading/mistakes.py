"""Catalogues of named mistakes: what a student did wrong, said in words, with its fix.

Each assignment may add ``solutions/<name>/mistakes.py`` defining ``mistakes = [Mistake(...)]``.
A mistake is written as an edit of the reference's source text (the reference with the
mistake applied), so its consequences are computed, never guessed: the grader loads the
edited reference in its own process (trusted code, written by the instructor) and names the
mistake only when a student's outputs match it (:mod:`grader.grading.diagnosis`). The same edits
make a student-style submission for ``grade audit`` (:mod:`grader.course.audit`).

Like the reference, catalogues live outside the installed package.
"""

from __future__ import annotations

import threading
import types
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.loading.assignment import Assignment, load_module

CATALOGUE_FILE = "mistakes.py"
Edits = tuple[tuple[str, str], ...]  # (old, new) replacements of the reference's text


@dataclass(frozen=True)
class Mistake:
    """One named mistake.

    ``checks`` are the ids (:attr:`grader.grading.spec.Test.id`) of the checks it can
    explain; ``edits`` apply it to the reference; ``spellings`` are other edits of the same
    mistake whose failures look different (``np.dot`` and ``@`` raise different messages).
    """

    id: str
    name: str  # the short name a student sees
    explanation: str
    fix: str
    checks: tuple[str, ...]
    edits: Edits
    spellings: tuple[Edits, ...] = ()

    @property
    def all_edits(self) -> tuple[Edits, ...]:
        return (self.edits, *self.spellings)

    def feedback(self) -> dict:
        """What :attr:`grader.grading.results.CheckResult.mistake` holds."""
        return {"id": self.id, "name": self.name, "explanation": self.explanation,
                "fix": self.fix}


def apply_edits(source: str, edits: Edits) -> str:
    """``source`` with every (old, new) replaced; an edit that matches nothing is an error."""
    for old, new in edits:
        if old not in source:
            raise ValueError(f"the edit {old!r} -> {new!r} matches nothing in the reference")
        source = source.replace(old, new)
    return source


@dataclass
class Catalogue:
    """An assignment's mistakes, with the mistaken references built from them."""

    assignment: Assignment
    mistakes: list[Mistake]
    reference_source: str

    def __post_init__(self):
        self._modules: dict[tuple[str, int], types.ModuleType] = {}
        self._lock = threading.Lock()

    def mistaken_references(self, mistake: Mistake) -> list[types.ModuleType]:
        """The reference with each spelling of ``mistake`` applied, loaded here (trusted)."""
        modules = []
        for index, edits in enumerate(mistake.all_edits):
            key = (mistake.id, index)
            with self._lock:
                if key not in self._modules:
                    module = types.ModuleType(f"_bpg_mistake_{mistake.id}_{index}")
                    code = compile(apply_edits(self.reference_source, edits),
                                   f"<reference with {mistake.id}>", "exec")
                    exec(code, module.__dict__)
                    self._modules[key] = module
                modules.append(self._modules[key])
        return modules

    def for_check(self, check_id: str) -> list[Mistake]:
        return [mistake for mistake in self.mistakes if check_id in mistake.checks]


_cache: dict[Path, Catalogue | None] = {}
_resolved: dict[Path, Path] = {}  # a solutions folder as named -> as resolved (asked per check)
_cache_lock = threading.Lock()


def load_catalogue(assignment: Assignment) -> Catalogue | None:
    """``solutions/<name>/mistakes.py`` checked against the reference and spec; None if absent."""
    with _cache_lock:
        key = _resolved.get(assignment.directory)
        if key is None:
            key = _resolved[assignment.directory] = assignment.directory.resolve()
        if key not in _cache:
            _cache[key] = _load(assignment)
        return _cache[key]


def _load(assignment: Assignment) -> Catalogue | None:
    path = assignment.directory / CATALOGUE_FILE
    if not path.is_file():
        return None
    mistakes = getattr(load_module(f"_bpg_mistakes_{assignment.name}", path), "mistakes", None)
    if not isinstance(mistakes, list) or not all(isinstance(m, Mistake) for m in mistakes):
        raise UsageError(f"{path} must define `mistakes = [Mistake(...), ...]`")
    source = (assignment.directory / "reference.py").read_text()
    check_ids = {test.id for test in assignment.spec.tests}
    seen = set()
    for mistake in mistakes:
        if mistake.id in seen:
            raise UsageError(f"{path}: two mistakes have the id {mistake.id!r}")
        seen.add(mistake.id)
        unknown = set(mistake.checks) - check_ids
        if unknown or not mistake.checks:
            raise UsageError(f"{path}: mistake {mistake.id!r} names unknown checks "
                             f"{sorted(unknown) or '(none given)'}")
        for edits in mistake.all_edits:
            try:
                if apply_edits(source, edits) == source:
                    raise ValueError("its edits change nothing")
            except ValueError as exc:
                raise UsageError(f"{path}: mistake {mistake.id!r}: {exc}") from None
    return Catalogue(assignment, mistakes, source)
