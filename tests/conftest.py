"""Shared fixtures: the repository layout, every assignment loaded once, a one-call way to
grade a source text, and the ``grade`` command as an instructor types it.

Tests that hold for every assignment are parametrized over ASSIGNMENTS, with each
assignment's cases in its variants module (:func:`variants_of`)."""

from __future__ import annotations

import functools
import importlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.grading.mistakes import load_catalogue
from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXAMPLES = ROOT / "examples"

FLAGSHIP = "one_hidden_layer"
# the assignments after it
CURRICULUM = ("chain_rule", "scalar_chain", "gradient_descent", "deep_network",
              "softmax_regression")
ASSIGNMENTS = (FLAGSHIP, *CURRICULUM)


def variants_of(name: str):
    """The faulty and correct variants of an assignment's correct example: tests/variants.py
    for the flagship, tests/variants_<name>.py for the others (the same tables in each)."""
    return importlib.import_module("variants" if name == FLAGSHIP else f"variants_{name}")


@pytest.fixture(scope="session")
def assignment():
    """``assignment(name)``: the loaded assignment (spec, reference, ...), loaded once."""
    return functools.cache(lambda name: load_assignment(name, solutions=SOLUTIONS))


@pytest.fixture(scope="session")
def flagship(assignment):
    return assignment(FLAGSHIP)


@pytest.fixture(scope="session")
def catalogue(assignment):
    """``catalogue(name)``: the assignment's catalogue of named mistakes, loaded once."""
    return functools.cache(lambda name: load_catalogue(assignment(name)))


@pytest.fixture
def grade(assignment, tmp_path):
    """``grade(source, student="student", *, assignment=FLAGSHIP)``: grade a source text (or
    an nbformat notebook, as a .ipynb file) as that student; returns the SubmissionResult."""
    loaded = assignment

    def grade(source, student: str = "student", *, assignment: str = FLAGSHIP):
        if isinstance(source, str):
            path = tmp_path / f"{student}.py"
            path.write_text(source)
        else:
            from notebooks import write  # nbformat, only for the tests that grade notebooks

            path = tmp_path / f"{student}.ipynb"
            write(source, path)
        return grade_submission(loaded(assignment), Submission(student, path))

    return grade


def run_cli(*args, env: dict | None = None):
    """Run the ``grade`` command in this process through click's CliRunner (arguments may be
    paths); returns click's Result. The terminal is 200 columns wide unless ``env`` says
    otherwise, so rich does not wrap the lines tests look for."""
    return CliRunner().invoke(main, [str(arg) for arg in args],
                              env={"COLUMNS": "200", **(env or {})})


@pytest.fixture(scope="session")
def cli():
    """``cli(*args, env=None)``: :func:`run_cli`, the ``grade`` command as typed."""
    return run_cli


def failed_ids(assignment, result) -> set[str]:
    """The ids of the checks a result failed."""
    ids = {test.name: test.id for test in assignment.spec.tests}
    return {ids[check.name] for check in result.failed}


def doc_files(text: str, language: str) -> dict[str, str]:
    """A document's code blocks marked ```<language> path/to/file, by path."""
    return dict(re.findall(rf"```{language} (\S+)\n(.*?)```", text, re.S))


def doc_commands(text: str) -> list[tuple[str, list[str]]]:
    """Each `$ ...` line of a document's console blocks, with the output lines shown under
    it (the tutorials' tests run them and compare)."""
    steps = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif line.strip():
                steps[-1][1].append(line.strip())
    return steps
