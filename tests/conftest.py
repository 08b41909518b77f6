"""Shared fixtures: the repository layout and a one-call way to grade a source text."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def flagship():
    return load_assignment("one_hidden_layer", solutions=SOLUTIONS)


@pytest.fixture
def grade_source(flagship, tmp_path):
    """Grade a source text as student ``name``; returns the SubmissionResult."""

    def grade(source: str, name: str = "student"):
        path = tmp_path / f"{name}.py"
        path.write_text(source)
        return grade_submission(flagship, Submission(name, path))

    return grade


def failed_ids(assignment, result) -> set[str]:
    """The ids of the checks a result failed."""
    ids = {test.name: test.id for test in assignment.spec.tests}
    return {ids[check.name] for check in result.failed}
