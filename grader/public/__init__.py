"""Public self-checks, one module per assignment, shipped in the package students install.

They hold no hidden solution: shapes and types on random inputs, and a numeric gradient
check of the student's own backward pass against central differences of the student's own
forward pass and cost. ``grader.public.<assignment>`` defines ``checks = PublicChecks(...)``.

Each check carries points (``points=``, default 1): what ``grade check --format classroom``
reports to GitHub Classroom, whose score is the public checks' points. One point each by
default because the Classroom reporter's log table scores a runner as (tests passed / tests)
x its maximum: with equal points that agrees with the dashboard's total (the sum of the
tests' scores), and whole numbers add up exactly in its JavaScript.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PublicCheck:
    name: str
    function: str  # the student function it looks at
    run: Callable  # (student) -> dict | None; fails by raising CheckFailed or StudentCallError
    points: float = 1


@dataclass
class PublicChecks:
    name: str
    student_file: str
    functions: list[str]  # the graded functions, in the order students write them
    timeouts: dict[str, float] = field(default_factory=dict)
    items: list[PublicCheck] = field(default_factory=list)
    # the helper modules released beside the student's file (e.g. "dnn_utils.py"): the
    # self-check makes the copies it finds there importable, as the grader does
    provided: tuple[str, ...] = ()

    def check(self, name: str, *, function: str, points: float = 1):
        """Register a public check of ``function``, worth ``points`` (> 0) in the Classroom."""
        if isinstance(points, bool) or not isinstance(points, (int, float)) \
                or not math.isfinite(points) or points <= 0:
            raise ValueError(f"public check {name!r}: points must be a positive number, "
                             f"not {points!r}")

        def register(run: Callable) -> Callable:
            self.items.append(PublicCheck(name, function, run, points))
            return run

        return register

    @property
    def max_points(self) -> float:
        return sum(item.points for item in self.items)

    def of(self, function: str) -> list[PublicCheck]:
        return [item for item in self.items if item.function == function]


def available() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(__path__))


def load(assignment: str) -> PublicChecks:
    """The public checks of ``assignment``; LookupError when it has none."""
    if assignment not in available():
        raise LookupError(f"no public self-check for assignment {assignment!r} "
                          f"(available: {', '.join(available()) or 'none'})")
    return importlib.import_module(f"{__name__}.{assignment}").checks
