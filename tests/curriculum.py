"""Helpers shared by the tests of the curriculum's assignments (not the flagship's)."""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES

from grader.grading.runner import grade_submission
from grader.loading.submission import Submission


def correct_example(assignment: str) -> str:
    return (EXAMPLES / assignment / "correct.py").read_text()


def make_variant(base: str, *replacements: tuple[str, str]) -> str:
    """``base`` with each (old, new) replaced everywhere; fails loudly if ``old`` is absent."""
    for old, new in replacements:
        assert old in base, f"variant refers to text not in the correct example: {old!r}"
        base = base.replace(old, new)
    return base


def grade_text(assignment, source: str, folder: Path, name: str = "student"):
    """Grade ``source`` as student ``name``; returns the SubmissionResult."""
    path = folder / f"{name}.py"
    path.write_text(source)
    return grade_submission(assignment, Submission(name, path))
