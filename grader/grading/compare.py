"""The checks every hidden test file repeats, declared once (re-exported by grader.authoring).

- :class:`Outputs` names what one student function returns (one value, a tuple or a dict)
  and how to call it on a hidden case; it then checks the structure, the shapes and the
  values of chosen outputs against the reference's, with the usual messages.
- :func:`check_gradients` checks every tensor's gradient against central differences of a
  cost, one row per tensor in a :class:`GradientTable`, without the lambdas-with-default-
  arguments plumbing a loop of ``table.check`` calls needs.

Both run in the grader's process on plain data; the student is only called through
``student.<function>(...)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from grader.grading.checks import (
    ATOL,
    RTOL,
    CheckFailed,
    GradientTable,
    check_gradient,
    check_gradient_of,
    check_keys,
    check_numbers,
    check_shape,
    check_tuple,
    check_values,
)
from grader.grading.gradcheck import numeric_gradient

MEMO_SIZE = 256  # reference outputs remembered per Outputs: hidden cases are few


def check_matches(name: str, got, expected, *, rtol: float = RTOL,
                  atol: float = ATOL) -> np.ndarray:
    """``got`` must have exactly ``expected``'s shape (:func:`check_shape`'s message) and its
    values (:func:`check_values`'s)."""
    expected = np.asarray(expected, dtype=np.float64)
    return check_values(name, check_shape(name, got, expected.shape), expected,
                        rtol=rtol, atol=atol)


class Outputs:
    """What one student function returns, declared once.

    ``Outputs("backward", ("dW", "db"), args=lambda case: (case["cache"], case["Y"]))``: the
    function returns a tuple ``(dW, db)`` (a tuple of names), a dict with those keys
    (``returns="dict"``) or one value (a single name). ``args(case)`` gives the positional
    arguments it is called with on a hidden case. Each ``*_check`` method returns a
    ``check(case)`` for :func:`grader.authoring.each_case`; expected values are the
    reference's outputs on the same arguments (computed once per case), or ``expected(ref,
    case)`` when given (a dict by output name).
    """

    def __init__(self, function: str, names: str | Sequence[str], *,
                 args: Callable[[object], tuple], returns: str = "tuple",
                 label: str | None = None,
                 expected: Callable[[object, object], Mapping] | None = None):
        if returns not in ("tuple", "dict"):
            raise ValueError("returns is 'tuple' or 'dict'")
        self.function, self.args, self.returns = function, args, returns
        self.single = isinstance(names, str)
        self.names = (names,) if self.single else tuple(names)
        self.label = label or (f"{function}(...)" if returns == "dict" else function)
        self._expected = expected
        self._memo: dict = {}
        self._lock = threading.Lock()

    def of(self, student, case) -> dict:
        """The student's outputs on ``case`` by name, once the structure is right
        (a tuple of the declared length, or a dict with the declared keys)."""
        got = getattr(student, self.function)(*self.args(case))
        if self.single:
            return {self.names[0]: got}
        if self.returns == "dict":
            return check_keys(self.label, got, self.names)
        return dict(zip(self.names, check_tuple(self.label, got, len(self.names)), strict=True))

    def expected(self, ref, case) -> dict:
        """The right outputs on ``case`` by name: the reference's, computed once per case."""
        key = (id(ref), id(case))
        with self._lock:
            if key in self._memo:
                return self._memo[key][2]
        if self._expected is not None:
            found = dict(self._expected(ref, case))
        else:
            out = getattr(ref, self.function)(*self.args(case))
            found = ({self.names[0]: out} if self.single else dict(out) if self.returns == "dict"
                     else dict(zip(self.names, out, strict=True)))
        with self._lock:  # ref and case kept alive, so their ids are not reused
            if len(self._memo) >= MEMO_SIZE:  # cases built anew on every call, not cached
                self._memo.clear()
            self._memo[key] = (ref, case, found)
        return found

    def chosen(self, names: Sequence[str]) -> tuple[str, ...]:
        unknown = [name for name in names if name not in self.names]
        if unknown:
            raise ValueError(f"{self.function} has no output {', '.join(unknown)}")
        return tuple(names) or self.names

    def returns_check(self, student, *names: str, ref=None) -> Callable:
        """The structure, and every chosen output an array of finite numbers; with ``ref``,
        of as many entries as the reference's (a rank-1 column passes: shapes are a shape
        check's business)."""
        def check(case):
            got = self.of(student, case)
            for name in self.chosen(names):
                array = check_numbers(name, got[name])
                size = None if ref is None else np.size(self.expected(ref, case)[name])
                if size is not None and array.size != size:
                    raise CheckFailed(f"{name} has {array.size} entries, expected {size} "
                                      f"(shape {np.shape(self.expected(ref, case)[name])})")
        return check

    def shapes_check(self, student, ref, *names: str, shapes: Callable | None = None) -> Callable:
        """Every chosen output has the reference's shape (or ``shapes(case)[name]``), exactly."""
        def check(case):
            got = self.of(student, case)
            wanted = shapes(case) if shapes else None
            for name in self.chosen(names):
                shape = wanted[name] if wanted else np.shape(self.expected(ref, case)[name])
                check_shape(name, got[name], shape)
        return check

    def values_check(self, student, ref, *names: str, rtol: float = RTOL,
                     atol: float = ATOL) -> Callable:
        """Every chosen output has the reference's values. A column returned as a rank-1
        array is compared by value: its shape is a shape check's business, so one mistake
        costs points once."""
        def check(case):
            got = self.of(student, case)
            for name in self.chosen(names):
                check_values(name, got[name], self.expected(ref, case)[name], rtol=rtol, atol=atol)
        return check

    def matches_check(self, student, ref, *names: str, rtol: float = RTOL,
                      atol: float = ATOL) -> Callable:
        """Every chosen output has the reference's shape exactly, then its values."""
        def check(case):
            got = self.of(student, case)
            for name in self.chosen(names):
                check_matches(name, got[name], self.expected(ref, case)[name],
                              rtol=rtol, atol=atol)
        return check


def check_gradients(table: GradientTable, case: str, cost: Callable[[dict], float],
                    at: Mapping[str, object], grads: Mapping[str, object], *,
                    names: Mapping[str, str] | None = None, key=None,
                    directional: bool = True) -> None:
    """Each tensor's gradient in ``grads`` against central differences of ``cost`` at
    ``at``, one row per tensor in ``table`` (named ``case``).

    ``cost(point)`` takes a dict like ``at``: its tensors are float copies of ``at``'s,
    nudged in place and restored, so ``at`` may hold read-only (frozen) arrays. The gradient
    of tensor ``W`` is ``grads[names.get("W", "dW")]``. With ``directional`` (the default) a
    cheap directional check comes first (:func:`grader.authoring.check_gradient_of`); a
    ``key`` saying that ``cost`` and ``at`` are the same for every submission (``ref``, say)
    computes their numeric derivatives once per batch. ``directional=False`` compares with
    central differences on every coordinate, always.
    """
    point = {name: np.array(value, dtype=np.float64) for name, value in at.items()}

    def f():
        return cost(point)

    for tensor, x in point.items():
        label = (names or {}).get(tensor, "d" + tensor)
        if directional:
            memo = None if key is None else (key, case, tensor)
            table.check(case, label, lambda label=label, x=x, memo=memo: check_gradient_of(
                label, grads[label], f, x, threshold=table.threshold, key=memo))
        else:
            table.check(case, label, lambda label=label, x=x: check_gradient(
                label, grads[label], numeric_gradient(f, x), threshold=table.threshold))
