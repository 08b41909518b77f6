"""Shared fixtures: the repository layout, every assignment loaded once, a one-call way to
grade a source text, and the ``grade`` command as an instructor types it.

Tests that hold for every assignment are parametrized over ASSIGNMENTS (every folder of
solutions/), with each assignment's cases and expectations in its variants module
(:func:`variants_of`): adding an exercise touches no file under tests/."""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.util
import math
import os
import re
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.grading.mistakes import apply_edits, load_catalogue
from grader.grading.runner import grade_submission
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

ROOT = Path(__file__).resolve().parent.parent
# The course the exercise-generic tests read: this repository, or another folder laid out the
# same way (solutions/, examples/, assignments/): tests/test_new_exercise.py points it at a
# copy holding one more exercise, to prove the tests pick it up with no edit here.
COURSE = Path(os.environ.get("BACKPROP_GRADER_TEST_COURSE") or ROOT)
SOLUTIONS = COURSE / "solutions"
EXAMPLES = COURSE / "examples"
RELEASED = COURSE / "assignments"

FLAGSHIP = "one_hidden_layer"
# every other exercise in solutions/: adding one adds it to every parametrized test
CURRICULUM = tuple(sorted(p.parent.name for p in SOLUTIONS.glob("*/tests.py")
                          if p.parent.name != FLAGSHIP))
ASSIGNMENTS = (FLAGSHIP, *CURRICULUM)

# An exercise's own test data (solutions/<name>/variants.py, optional; the five shipped ones
# keep theirs in tests/variants*.py): every table, and its default when the module has none.
DEFAULT_TABLES = {
    "FAULTY": {},  # variant -> source: a wrong answer
    "EXPECTED_FAILURES": {},  # faulty variant -> the ids of the checks it fails, exactly
    "CORRECT_STYLES": {},  # variant -> source: right in another style, full marks
    "HINTS": {},  # faulty variant -> words its messages must contain
    "MORE_SPELLINGS": {},  # variant -> (mistake id, source): another spelling of a mistake
    "UNNAMED": {},  # variant -> source: wrong, but no catalogued mistake: never named
    "NAMED_FAULTY": {},  # faulty variant -> the catalogued mistake it is
    "MAY_STAY_UNNAMED": (),  # check-id prefixes a mistake may fail without being named there
    "CATALOGUE_SIZE": (0, math.inf),  # how many mistakes its catalogue holds (fewest, most)
    "AUDIT": (1.0, 1),  # `grade audit`: (mutation score at least, mutants at least)
    "CLI_MISTAKE": None,  # (faulty variant, its score in %) for tests/test_cli.py
    "CLI_CLASS": None,  # {student: score}: the flagship grades examples/ itself
    "SELF_CHECK_TENSORS": None,  # the tensors its public gradient tables check
    "SELF_CHECK_MISTAKES": {},  # faulty variant -> (public check's function, wrong tensors)
}


def example_of(name: str) -> str:
    """The exercise's correct example: examples/<name>/correct.py (the flagship's is
    examples/correct.py)."""
    return (EXAMPLES / ("correct.py" if name == FLAGSHIP else f"{name}/correct.py")).read_text()


@functools.cache
def variants_of(name: str):
    """An exercise's test data: solutions/<name>/variants.py if it has one, else
    tests/variants.py (flagship) or tests/variants_<name>.py, else none; every table of
    DEFAULT_TABLES that it does not define gets its default. Without a MISTAKES table, each
    catalogued mistake is written as its edit of the reference."""
    own = SOLUTIONS / name / "variants.py"
    if own.is_file():
        module_spec = importlib.util.spec_from_file_location(f"variants_of_{name}", own)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    elif name == FLAGSHIP or (Path(__file__).parent / f"variants_{name}.py").is_file():
        module = importlib.import_module("variants" if name == FLAGSHIP else f"variants_{name}")
    else:
        module = types.ModuleType(f"variants_of_{name}")
    for table, default in DEFAULT_TABLES.items():
        if not hasattr(module, table):
            setattr(module, table, copy.copy(default))
    if not hasattr(module, "CORRECT"):
        module.CORRECT = example_of(name)
    if not hasattr(module, "MISTAKES"):
        catalogue = load_catalogue(load_assignment(name, solutions=SOLUTIONS))
        reference = (SOLUTIONS / name / "reference.py").read_text()
        module.MISTAKES = {m.id: apply_edits(reference, m.edits)
                           for m in (catalogue.mistakes if catalogue else [])}
    return module


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


def build_wheel(outdir: Path) -> Path:
    """The wheel of this checkout, built as `python -m build --wheel` builds it, from a copy
    of the tree (solutions/ and all, so a packaging test sees what it would leave out):
    builds never meet in the checkout's build/ folder, whichever pytest worker runs them."""
    import shutil
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bpg-wheel-src-") as source:
        tree = Path(source) / "src"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
            ".ruff_cache", ".hypothesis"))
        done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir",
                               str(outdir), str(tree)], capture_output=True, text=True)
        assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    (wheel,) = Path(outdir).glob("backprop_grader-*.whl")
    return wheel


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
