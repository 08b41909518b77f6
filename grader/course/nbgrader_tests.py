"""The hidden part of an nbgrader test cell: run one hidden test of the grader's spec.

nbgrader puts hidden tests back into the student's notebook at ``nbgrader autograde`` time
and runs them in the student's kernel, so here (unlike ``grade``) the student's functions
are called in that kernel (:class:`grader.selfcheck.LocalStudent`). The hidden solutions
are read on the instructor's machine (``$BACKPROP_GRADER_SOLUTIONS`` or ``solutions=``),
never shipped in the package.

nbgrader gives a test cell zero when it writes anything to stderr, or shows a number as
its value (partial credit), so the test runs with warnings and stderr captured and returns
None; a failed check (a plain ``assert`` of the hidden test included) raises AssertionError
with the message the grader would show.
"""

from __future__ import annotations

import contextlib
import functools
import io
import warnings

import numpy as np

from grader.grading.checks import CheckFailed
from grader.grading.spec import Student, as_failure
from grader.isolation.session import StudentCallError
from grader.loading.assignment import load_assignment
from grader.selfcheck import LocalStudent


@functools.cache
def assignment(name: str, solutions: str | None):
    return load_assignment(name, solutions=solutions)


def hidden_test(name: str, test_name: str, namespace: dict, *, solutions: str | None = None):
    """Run hidden test ``test_name`` of assignment ``name`` on the notebook's functions."""
    loaded = assignment(name, solutions)
    test = next((t for t in loaded.spec.tests if t.name == test_name), None)
    if test is None:
        raise LookupError(f"{name} has no hidden test named {test_name!r}")
    student = Student(LocalStudent(namespace, "the notebook"))  # no plots: no report here
    message = None
    with contextlib.redirect_stderr(io.StringIO()), warnings.catch_warnings(), \
            np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            test.run(student, loaded.reference)
        except (CheckFailed, StudentCallError, AssertionError) as exc:
            failure = as_failure(exc)  # None: the grader's own failure, raised as it is
            if failure is None:
                raise
            message = str(failure)
    if message is not None:
        raise AssertionError(message)
