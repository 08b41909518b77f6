"""Checks that compare what a student returned with what was expected.

Each ``check_*(name, ..., got)`` returns the usable value or raises :class:`CheckFailed`
with a message that tells the student what to fix: expected and actual shape, the worst
entry and its error, the tolerance. They run in the grader's process on plain data
decoded by :mod:`grader.isolation.wire`, so they never call student code.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from grader.grading.gradcheck import (
    directional_error,
    directional_slopes,
    numeric_gradient,
    relative_error,
)
from grader.isolation.wire import Opaque

RTOL, ATOL = 1e-5, 1e-8


def frozen(value):
    """``value`` with every array in it (and every array a view of it looks into) made
    read-only, returned: for hidden inputs built once per run. A test then cannot change them
    by mistake, and a session recognises them by identity instead of hashing their bytes
    again on every call."""
    if isinstance(value, np.ndarray):
        array = value
        while isinstance(array, np.ndarray):
            array.flags.writeable = False
            array = array.base
    elif isinstance(value, dict):
        for item in value.values():
            frozen(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            frozen(item)
    return value


class CheckFailed(Exception):
    """The student's value is wrong; the message is shown to the student."""

    def __init__(self, message: str, data: dict | None = None):
        super().__init__(message)
        self.data = data or {}


def describe(value) -> str:
    """A short, safe description of a returned value for messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, Opaque):
        return f"a {value.type_name} object"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    return f"a {type(value).__name__}"


NOTES: dict[str, str] = {}  # what the checks of the running test accepted, for its message


def noted(key: str, text: str) -> None:
    """Say, in the message of the test now running if it passes, what a check accepted
    (once per ``key``: the first case's words)."""
    if len(NOTES) < 10:
        NOTES.setdefault(key, text)


def taken_notes() -> list[str]:
    """The notes of the test that just ran, removed (:func:`grader.grading.spec.run_test`)."""
    notes = list(NOTES.values())
    NOTES.clear()
    return notes


def array_like(got) -> np.ndarray | None:
    """``got`` as an array when it is a list or tuple of numbers (bools too), nested to a
    regular shape: ``(A2 > 0.5).tolist()`` holds the right values. None for anything else."""
    if not isinstance(got, (list, tuple)):
        return None
    try:
        array = np.asarray(got)
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError):
        return None  # ragged, or not numbers
    return array if array.dtype.kind in "biuf" else None


def check_array(name: str, got) -> np.ndarray:
    """``got`` must be a numeric numpy array, or a list of numbers nested to a regular shape,
    which is judged by its values and shape as that array (and noted); never a scalar or
    another object."""
    if not isinstance(got, np.ndarray):
        array = array_like(got)
        if array is None:
            raise CheckFailed(f"{name} should be a numpy array, got {describe(got)}")
        base = name.split(" (")[0]
        noted(f"array-like {base}", f"{base} came as a {type(got).__name__}, not a numpy array: "
              f"judged as the array np.array() makes of it (shape {array.shape}); return a "
              "numpy array")
        return array
    if got.dtype.kind not in "biuf":
        raise CheckFailed(f"{name} should be an array of numbers, got {describe(got)}")
    return got


def check_finite(name: str, array: np.ndarray) -> np.ndarray:
    """Every entry of a numeric ``array`` must be a finite number (no NaN, no infinity)."""
    finite = np.isfinite(array)
    if not finite.all():
        bad = int(finite.size - np.count_nonzero(finite))
        raise CheckFailed(f"{name} contains {bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}"
                          ": it should hold numbers")
    return array


def check_numbers(name: str, got) -> np.ndarray:
    """``got`` must be a non-empty numeric array of finite entries.

    What a structure check ("returns dW1, db1, dW2, db2") pays for: arrays of numbers, never
    an object, an empty array or NaN standing in for them. The shape is left to the shape
    checks, so a wrong shape costs points once.
    """
    array = check_array(name, got)
    if array.ndim == 0 or array.size == 0:
        raise CheckFailed(f"{name} should be an array of numbers, got {describe(got)}")
    return check_finite(name, array)


def check_keys(name: str, got, keys) -> dict:
    """``got`` must be a dict holding at least ``keys``; returns a dict of those keys only.

    Extra keys (a ``costs`` list beside the parameters, say) are the student's business:
    they are neither required nor looked at."""
    if not isinstance(got, dict):
        raise CheckFailed(f"{name} should be a dict with keys {', '.join(keys)}; "
                          f"got {describe(got)}")
    missing = [key for key in keys if key not in got]
    if missing:
        raise CheckFailed(f"{name} lacks the key(s) {', '.join(map(repr, missing))}; "
                          f"it has {', '.join(map(repr, list(got)[:10])) or 'none'}")
    return {key: got[key] for key in keys}


def check_tuple(name: str, got, length: int) -> tuple:
    """``got`` must be a tuple (or list) of ``length`` items."""
    if not isinstance(got, (tuple, list)) or len(got) != length:
        raise CheckFailed(f"{name} should return a tuple of {length} values, got {describe(got)}"
                          + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
    return tuple(got)


def check_float(name: str, got) -> float:
    """A finite real number: Python float or int, a numpy scalar, or a 0-d array."""
    if isinstance(got, bool) or isinstance(got, np.bool_):
        raise CheckFailed(f"{name} should be a number, got a bool")
    if isinstance(got, numbers.Real) or (isinstance(got, np.ndarray) and got.ndim == 0
                                         and got.dtype.kind in "iuf"):
        value = float(got)
        if not math.isfinite(value):
            raise CheckFailed(f"{name} should be a finite number, got {value}")
        return value
    hint = ""
    if isinstance(got, np.ndarray) and got.size == 1:
        hint = ": use float(np.squeeze(cost)) to turn it into a number"
    raise CheckFailed(f"{name} should be a float, got {describe(got)}{hint}")


SCALE_DRAWS = 50  # fewer weights than this say too little about their scale to judge it
SMALLEST_SCALE = 0.001  # randn * 0.001 still breaks symmetry and learns; zero does neither
SCALE_MARGIN = 1.5  # above He's sqrt(2 / n_prev) by this much, a layer starts saturated
SCALE_RULE = (f"from {SMALLEST_SCALE:g} up to {SCALE_MARGIN:g}·sqrt(2/n_prev) (randn * 0.01, "
              "randn / sqrt(n_prev) and He's randn * sqrt(2/n_prev) all fit)")


def check_weight_scale(name: str, got, n_prev: int) -> float:
    """Initial weights must be small random numbers of a sensible scale: the root mean
    square of the entries (their spread: randn is centred on 0) within :data:`SCALE_RULE`.
    The course draws ``randn * 0.01`` in its step-by-step part and ``randn / sqrt(n_prev)``
    in its application; He's ``sqrt(2 / n_prev)`` is as right. All-zero weights pass here:
    they break no scale, but symmetry, which a check of its own charges; so do layers of
    fewer than :data:`SCALE_DRAWS` weights, too few to measure a scale (a check needs a wide
    case). Returns the scale."""
    W = check_array(name, got).astype(np.float64)
    if not np.any(W):
        return 0.0
    scale = float(np.sqrt(np.mean(W ** 2)))
    if W.size < SCALE_DRAWS:
        return scale
    largest = SCALE_MARGIN * math.sqrt(2 / n_prev)
    if not SMALLEST_SCALE <= scale <= max(largest, SMALLEST_SCALE):
        raise CheckFailed(f"{name} has weights of typical size {scale:.3g} (root mean square); "
                          f"small random weights are accepted {SCALE_RULE}, here at most "
                          f"{largest:.3g}: scale the random weights, e.g. "
                          "np.random.randn(...) * 0.01",
                          {"scale": scale, "largest": largest})
    return scale


def shape_hint(got: tuple, expected: tuple) -> str:
    """What a wrong shape usually means; empty when the shape says nothing specific."""
    if len(got) == 1 and len(expected) == 2 and expected == (got[0], 1):
        return (f": it is a rank-1 array; sum with keepdims=True (or reshape to {expected}) "
                "to keep it a column")
    if len(got) == 2 and got == expected[::-1] and got != expected:
        return ": it is transposed; check the order of the matrix product or a missing .T"
    if len(expected) == 2 and expected[1] == 1 and got == (expected[0], expected[0]):
        return (": a rank-1 (n,) array was combined with an (n, 1) column and broadcast "
                "into an (n, n) matrix")
    return ""


def check_shape(name: str, got, expected: tuple) -> np.ndarray:
    """``got`` must be an array of numbers of exactly ``expected`` shape (no broadcasting
    allowed): NaN of the right shape is not a result of the right shape."""
    array = check_array(name, got)
    if array.shape != tuple(expected):
        raise CheckFailed(f"{name} has shape {array.shape}, expected {tuple(expected)}"
                          + shape_hint(array.shape, tuple(expected)),
                          {"got_shape": list(array.shape), "expected_shape": list(expected)})
    return check_finite(name, array)


def comparable(name: str, got, expected: np.ndarray) -> np.ndarray:
    """``got`` as an array of ``expected``'s shape for a value comparison.

    A column returned as a rank-1 array is compared by value here: its shape is judged by
    :func:`check_shape` alone, so one mistake costs points once. Any other shape cannot be
    compared entry by entry.
    """
    array = check_array(name, got)
    if array.shape != expected.shape:
        squeezed = tuple(n for n in array.shape if n != 1)
        if squeezed != tuple(n for n in expected.shape if n != 1):
            raise CheckFailed(f"{name} has shape {array.shape}, expected {expected.shape}, so its "
                              "values cannot be compared" + shape_hint(array.shape, expected.shape))
        array = array.reshape(expected.shape)
    if array.dtype.kind not in "biuf":
        raise CheckFailed(f"{name} has dtype {array.dtype}, expected numbers")
    return array


def check_values(name: str, got, expected, *, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """Entries must satisfy |got - expected| <= atol + rtol * |expected|, all finite."""
    expected = np.asarray(expected, dtype=np.float64)
    array = comparable(name, got, expected).astype(np.float64)
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise CheckFailed(f"{name} contains {bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}")
    diff = np.abs(array - expected)
    bad = diff > atol + rtol * np.abs(expected)
    if not bad.any():
        return array
    worst = np.unravel_index(int(np.argmax(np.where(bad, diff, -1))), expected.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if expected.ndim else ""
    scale = np.abs(expected)
    relative = np.divide(diff, scale, out=np.full_like(diff, np.inf), where=scale > 0)
    count = int(bad.sum())
    largest, largest_relative = float(diff[bad].max()), float(relative[bad].max())
    raise CheckFailed(
        f"{name} is wrong in {count} of {bad.size} entr{'y' if bad.size == 1 else 'ies'} "
        f"({100 * count / bad.size:.0f}%); the worst{where} is {float(array[worst]):.6g}; "
        f"largest difference {largest:.3g} (relative {largest_relative:.3g}); "
        f"tolerance |got - expected| <= {atol:g} + {rtol:g}·|expected|",
        {"mismatched": count, "total": int(bad.size), "worst_index": [int(i) for i in worst],
         "max_abs_diff": largest, "max_rel_diff": largest_relative},
    )


def check_gradient(name: str, got, numeric: np.ndarray, *, threshold: float) -> float:
    """The student's gradient against a numeric one: relative error must stay below threshold."""
    array = comparable(name, got, numeric).astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{name} contains NaN or infinite entries", {"relative_error": None})
    error = relative_error(array, numeric)
    if error > threshold:
        raise CheckFailed(f"{name}: relative error {error:.2e} against central differences of "
                          f"the cost (must be below {threshold:g})", {"relative_error": error})
    return error


def check_gradient_of(name: str, got, f, x: np.ndarray, *, threshold: float,
                      key=None) -> float:
    """The student's gradient of ``f`` at ``x`` (nudged in place, restored), checked cheaply.

    A directional check first (constant cost); only when it fails, central differences on
    every coordinate, so the message can say how far off the gradient is. ``f`` and ``x``
    come from the hidden tests, not the student, so with a ``key`` naming them (the same
    for every submission: the case and the tensor, say) their numeric derivatives are
    computed once per batch.
    """
    array = comparable(name, got, x).astype(np.float64)
    if np.all(np.isfinite(array)):
        slopes = remembered("slopes", key, x, lambda: directional_slopes(f, x))
        error = directional_error(f, x, array, slopes=slopes)
        if error <= threshold:
            return error
    numeric = remembered("gradient", key, x, lambda: numeric_gradient(f, x))
    return check_gradient(name, array, numeric, threshold=threshold)


NUMERIC_MEMO_SIZE = 4096
_numeric_memo: dict = {}


def remembered(kind: str, key, x: np.ndarray, compute):
    """``compute()`` once per process for the same kind, key and ``x``; every time when
    there is no key."""
    if key is None:
        return compute()
    full = (kind, key, x.dtype.str, x.shape, x.tobytes())
    if full not in _numeric_memo:
        if len(_numeric_memo) >= NUMERIC_MEMO_SIZE:
            _numeric_memo.clear()
        _numeric_memo[full] = compute()
    return _numeric_memo[full]


class GradientTable:
    """A per-tensor gradient check for reports: every row is kept, failures are raised at
    the end together, so the table shows all tensors even when the first one is wrong."""

    def __init__(self, threshold: float):
        self.threshold, self.rows, self.failures = threshold, [], []

    def check(self, case: str, tensor: str, run) -> None:
        """``run()`` returns the relative error or raises CheckFailed (recorded here)."""
        row = {"case": case, "tensor": tensor, "relative_error": None, "passed": False}
        try:
            row["relative_error"], row["passed"] = run(), True
        except CheckFailed as failure:
            row["relative_error"] = failure.data.get("relative_error")
            self.failures.append(f"with {case}: {failure}")
        self.rows.append(row)

    def result(self, shown: int = 4) -> dict:
        """The table as check data; raises CheckFailed with the first failures if any."""
        data = {"gradient_check": self.rows, "threshold": self.threshold}
        if self.failures:
            raise CheckFailed("; ".join(self.failures[:shown]), data)
        return data
