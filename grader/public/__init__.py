"""Public self-checks: the authoring API, and how a released checks file is found and loaded.

An exercise's public checks are written in its folder, ``solutions/<name>/public.py``,
importing only this module (as hidden tests import only :mod:`grader.authoring`)::

    from grader.public import PublicChecks, check_shape

    checks = PublicChecks()

    @checks.check("keeps the shape of Z", function="relu")
    def relu_shape(student):
        check_shape("relu(Z)", student.relu(np.zeros((3, 2))), (3, 2))

``grade release`` writes it to ``assignments/<name>/<name>_checks.py`` (:func:`released_name`),
beside the student's file, with the exercise's name, file, graded functions and points filled
in; an exercise without ``public.py`` gets a generated default there
(:mod:`grader.public.default`). The package students install holds no exercise's checks:
``grade check`` and the notebook's check cells load the released file (:func:`load_file`).
Public checks hold no hidden value: shapes and types on public inputs, and gradients against
the student's own cost.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from grader.grading.cascade import raised_in_another_function
from grader.grading.checks import (
    CheckFailed,
    check_array,
    check_finite,
    check_float,
    check_keys,
    check_numbers,
    check_shape,
    check_tuple,
    check_weight_scale,
)
from grader.grading.spec import Alternative
from grader.isolation.session import StudentCallError
from grader.isolation.wire import Function
from grader.public.gradients import GOOD, SUSPICIOUS, fails_if_wrong, gradient_table, verdict

SUFFIX = "_checks.py"
RELEASED_MARK = "# Public self-checks of "  # the first line of every released checks file


def released_name(assignment: str) -> str:
    """The released public checks' file name, beside the student's file."""
    return assignment + SUFFIX


@dataclass
class PublicCheck:
    name: str
    function: str  # the student function it looks at
    run: Callable  # (student) -> dict | None; fails by raising CheckFailed or StudentCallError
    points: float | None = None  # None: a share of the function's hidden points


@dataclass
class PublicChecks:
    """An exercise's public checks. ``grade release`` fills in what the spec knows (name,
    student file, graded functions, their hidden points, timeouts, provided modules);
    values given here must agree with it."""

    name: str = ""
    student_file: str = ""
    functions: list[str] = field(default_factory=list)  # graded, in the order students write
    timeouts: dict[str, float] = field(default_factory=dict)
    items: list[PublicCheck] = field(default_factory=list)
    # the helper modules released beside the student's file (e.g. "dnn_utils.py"): the
    # self-check makes the copies it finds there importable, as the grader does
    provided: tuple[str, ...] = ()
    points_by_function: dict[str, float] = field(default_factory=dict)  # the hidden points
    # older signatures accepted, as the hidden spec accepts them (Spec.accept), so that
    # `grade check` and the notebook's check cells agree with `grade`
    alternatives: list[Alternative] = field(default_factory=list)
    folder: Path | None = None  # where load_file found the released file (its helpers too)

    def accept(self, function: str, parameters: str, adapt: Callable) -> None:
        """Accept ``function(parameters)`` too, like :meth:`grader.grading.spec.Spec.accept`:
        ``adapt(None, *args, **kwargs) -> (args, kwargs)`` (no reference here)."""
        self.alternatives.append(Alternative.of(function, parameters, adapt))

    def check(self, name: str, *, function: str, points: float | None = None):
        """Register a public check of ``function``, worth ``points`` (default: an equal
        share of the points the hidden tests give ``function``)."""
        if points is not None and (isinstance(points, bool) or not isinstance(points, (int, float))
                                   or not math.isfinite(points) or points <= 0):
            raise ValueError(f"public check {name!r}: points must be a positive number, "
                             f"not {points!r}")

        def register(run: Callable) -> Callable:
            if any(item.name == name and item.function == function for item in self.items):
                raise ValueError(f"two public checks of {function} are named {name!r}")
            self.items.append(PublicCheck(name, function, run, points))
            return run

        return register

    def of(self, function: str) -> list[PublicCheck]:
        return [item for item in self.items if item.function == function]

    def points(self, item: PublicCheck) -> float:
        """What ``item`` is worth: its own points, else a share of its function's hidden
        points among the function's checks that give none (1 each if unknown). Whole points
        are shared as whole numbers (10 among 3 checks: 4, 3, 3), so totals add up exactly
        wherever they are summed (GitHub Classroom's reporter sums in JavaScript)."""
        if item.points is not None:
            return float(item.points)
        shared = [other for other in self.of(item.function) if other.points is None]
        total = float(self.points_by_function.get(item.function, len(shared)))
        if not total.is_integer() or total < len(shared):
            return total / len(shared)
        share, left = divmod(int(total), len(shared))
        place = next(index for index, other in enumerate(shared) if other is item)
        return float(share + (place < left))

    @property
    def max_points(self) -> float:
        """What the self-check is out of: every public check's points."""
        return sum(self.points(item) for item in self.items)

    def released(self, *, name: str, student_file: str, functions: list[str],
                 points: dict[str, float], timeouts: dict[str, float] | None = None,
                 provided: tuple[str, ...] = ()) -> PublicChecks:
        """What ``grade release`` appends to the released file: the spec's facts."""
        for given, fact, what in ((self.name, name, "name"),
                                  (self.student_file, student_file, "student_file")):
            if given and given != fact:
                raise ValueError(f"public checks say {what}={given!r}, the spec {fact!r}")
        unknown = sorted({item.function for item in self.items} - set(functions))
        if unknown:
            raise ValueError(f"public checks of functions no hidden test grades: {unknown}")
        self.name, self.student_file, self.functions = name, student_file, list(functions)
        self.points_by_function = dict(points)
        self.timeouts = {**(timeouts or {}), **self.timeouts}
        self.provided = tuple(self.provided or provided)
        return self


def load_file(path: str | Path) -> PublicChecks:
    """The ``checks`` a released (or authored) public checks file defines; LookupError when
    it is not one. The file is public course material, run in this process."""
    path = Path(path)
    name = f"_bpg_public_{path.stem}"
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
    sys.modules[name] = module  # dataclasses and pickling look their module up there
    try:
        module.__spec__.loader.exec_module(module)
    except Exception as exc:
        raise LookupError(f"{path} could not be loaded: {type(exc).__name__}: {exc}") from None
    finally:
        sys.modules.pop(name, None)
    checks = getattr(module, "checks", None)
    if not isinstance(checks, PublicChecks) or not checks.name:
        raise LookupError(f"{path} defines no released `checks = PublicChecks(...)`")
    checks.folder = path.resolve().parent
    return checks


__all__ = [
    "GOOD",
    "RELEASED_MARK",
    "SUSPICIOUS",
    "CheckFailed",
    "Function",
    "PublicCheck",
    "PublicChecks",
    "StudentCallError",
    "check_array",
    "check_finite",
    "check_float",
    "check_keys",
    "check_numbers",
    "check_shape",
    "check_tuple",
    "check_weight_scale",
    "fails_if_wrong",
    "gradient_table",
    "load_file",
    "raised_in_another_function",
    "released_name",
    "verdict",
]
