"""Generate the student's files from the reference: the single source of truth.

Everything between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is replaced by a stub
at the same indentation (as nbgrader does); the rest (docstrings, signatures, helper
code) reaches students unchanged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from grader.course.public_release import released_checks, released_public
from grader.loading.assignment import load_assignment, provided_modules
from grader.public import released_name

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
HEADER = ("# Fill in every part marked YOUR CODE HERE. Keep the function names and signatures:\n"
          "# the grader calls them by name.\n")


class StubError(ValueError):
    """Unbalanced or nested solution markers."""


def make_stub(source: str) -> str:
    """The reference with every solution region replaced by ``STUB``."""
    out, inside = [], None
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        marker = line.strip()
        if marker == BEGIN:
            if inside is not None:
                raise StubError(f"line {number}: {BEGIN} inside a solution region")
            inside = number
            indent = re.match(r"\s*", line).group()
            out += [indent + stub_line + "\n" for stub_line in STUB.splitlines()]
        elif marker == END:
            if inside is None:
                raise StubError(f"line {number}: {END} without {BEGIN}")
            inside = None
        elif inside is None:
            out.append(line)
    if inside is not None:
        raise StubError(f"line {inside}: {BEGIN} is never closed")
    return HEADER + "".join(out)


def release(name: str, *, solutions: str | os.PathLike | None = None,
            dest: str | os.PathLike = "assignments", write: bool = True) -> list[Path]:
    """Write ``dest/<name>/<student file>``, and beside it the assignment's provided helper
    modules (public: ``solutions/<name>/provided/*.py``, as they are) and its public checks
    (``<name>_checks.py``); returns the files that were (or would be) changed."""
    assignment = load_assignment(name, solutions=solutions)
    stub = make_stub((assignment.directory / "reference.py").read_text())
    changed = written_if_changed(Path(dest) / name / assignment.spec.student_file, stub,
                                 write=write)
    for module in provided_modules(assignment):
        changed += written_if_changed(Path(dest) / name / module.name, module.read_text(),
                                      write=write)
    released_public(assignment)  # the public checks load and agree with the spec
    changed += written_if_changed(Path(dest) / name / released_name(name),
                                  released_checks(assignment), write=write)
    return changed


def written_if_changed(target: Path, text: str, *, write: bool) -> list[Path]:
    """``[target]`` if its content is not ``text`` (then, if ``write``, it is written, its
    folder made), else ``[]``: what a release changes, or would change."""
    if target.is_file() and target.read_text() == text:
        return []
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return [target]
