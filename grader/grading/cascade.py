"""One mistake costs points once: a function that chains the student's earlier steps is judged
against what those steps give, not only against the reference.

Hidden tests get the rule from :mod:`grader.authoring` instead of writing it each time:

- :func:`check_against_own`: a value must equal the reference's, or what the student's own
  earlier functions give (``own()`` chains them through the worker), when that is a faulty
  answer of the right size rather than nonsense;
- :func:`unless_own_step_raises`: a call that raised inside another of the student's
  functions is excused when that function raises on its own for the same inputs;
- :func:`trains_with_own_steps`: a training loop (nn_model, L_layer_model) is right when a
  few of its iterations are the student's own steps, called one by one, and those steps
  are not the reference's (their mistakes are charged to them).

Only the student's functions run in the worker, each called by the grader; nothing of the
reference is sent there. Everything here runs in the grader's process.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.grading.checks import (
    ATOL,
    RTOL,
    CheckFailed,
    check_array,
    check_shape,
    check_values,
)
from grader.isolation.session import StudentCallError

FAILED = (CheckFailed, StudentCallError)


def check_against_own(name: str, got, expected, own: Callable[[], object], *,
                      rtol: float = RTOL, atol: float = ATOL,
                      exact_shape: bool = True) -> np.ndarray:
    """``got`` must equal the reference's ``expected`` (shape and values), or ``own()``, what
    the student's own earlier steps give (a mistake there is charged there, not again), when
    that has as many entries as the right answer (a rank-1 db, not nonsense). The failure
    against the reference is what the student reads. ``exact_shape=False`` compares values
    only (a rank-1 row for a (1, m) one), for a test whose shape another test judges."""
    try:
        return matches(name, got, expected, rtol, atol, exact_shape)
    except CheckFailed as failure:
        try:
            mine = check_array(name, own())
            if mine.size != np.size(expected):  # not a faulty step of theirs: nonsense
                raise failure
            return matches(name, got, mine, rtol, atol, exact_shape)
        except FAILED:
            raise failure from None


def matches(name: str, got, expected, rtol: float, atol: float,
            exact_shape: bool = True) -> np.ndarray:
    expected = np.asarray(expected, dtype=np.float64)
    if exact_shape:
        got = check_shape(name, got, expected.shape)
    return check_values(name, got, expected, rtol=rtol, atol=atol)


def own_step_raises(own: Callable[[], object]) -> bool:
    """Whether the student's own earlier steps raise on these inputs (``own()`` chains them):
    then the function that calls them cannot but raise, and is not charged for it. A graded
    function imported from a provided module is missing, not raising: that excuses nothing."""
    try:
        own()
    except StudentCallError as error:
        return error.kind == "exception"
    except CheckFailed:
        return False
    return False


def raised_in_another_function(error: StudentCallError, function: str) -> bool:
    """Whether the student's ``function`` raised from inside another of their functions
    (``error.raised_in``, which the worker names: a comprehension's or nested function's
    line is the function's written around it; a module-level lambda's is no function's,
    and not excused)."""
    return error.kind == "exception" and error.raised_in not in (None, function)


def unless_own_step_raises(run: Callable[[], object], own: Callable[[], object], function: str):
    """``run()``, except that a raise of the student's ``function`` is excused when it comes
    from one of their other functions and their own earlier steps raise on the same inputs
    (charged there). Returns None when excused."""
    try:
        return run()
    except StudentCallError as error:
        if raised_in_another_function(error, function) and own_step_raises(own):
            return None
        raise


def same(a, b) -> bool:
    return np.shape(a) == np.shape(b) and np.allclose(a, b, equal_nan=True)


def trains_with_own_steps(function: str, start: Callable[[], dict], after: Callable[[], dict],
                          own: Callable[[dict], dict], right: Callable[[dict], dict], *,
                          own_start: Callable[[], object] | None = None,
                          excused_start: Callable[[dict], bool] | None = None) -> bool:
    """Whether a training loop is gradient descent with the student's own faulty steps:
    ``after()`` (its parameters after a few iterations) equals ``own(start())`` (as many
    iterations of the student's own steps, each called by the grader, from the loop's own
    start), or the loop raises where those steps raise (``own_start()``: the student's own
    initialisation, for a loop that raises before its first step); and ``right(start())``,
    the reference's iterations from that start, differ from them (or ``excused_start``
    says the start itself is the student's other function's mistake). Then a failure to
    learn is charged to those steps, not to ``function`` (NaN their steps give, a log of 0
    say, is followed as any other value). ``start``, ``after`` and ``own`` give the
    parameters as float arrays; a failed check there excuses nothing."""
    try:
        first = start()
    except StudentCallError as error:
        return (own_start is not None and raised_in_another_function(error, function)
                and own_step_raises(own_start))
    except CheckFailed:
        return False
    try:
        got = after()
    except StudentCallError as error:
        return raised_in_another_function(error, function) and own_step_raises(
            lambda: own(first))
    except CheckFailed:
        return False
    try:
        mine = own(first)
    except FAILED:
        return False
    if set(got) != set(mine) or not all(same(got[k], mine[k]) for k in got):
        return False
    if excused_start is not None and excused_start(first):
        return True
    try:
        with np.errstate(all="ignore"):
            reference = right(first)
    except (ValueError, KeyError, IndexError, TypeError):  # its start has the wrong shapes
        return True
    return any(not same(mine[k], reference[k]) for k in got)
