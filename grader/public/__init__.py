"""Public self-checks, one module per assignment, shipped in the package students install.

They hold no hidden solution: shapes and types on random inputs, and a numeric gradient
check of the student's own backward pass against central differences of the student's own
forward pass and cost. ``grader.public.<assignment>`` defines ``checks = PublicChecks(...)``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from grader.grading.spec import Alternative


@dataclass
class PublicCheck:
    name: str
    function: str  # the student function it looks at
    run: Callable  # (student) -> dict | None; fails by raising CheckFailed or StudentCallError


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
    # older signatures accepted, as the hidden spec accepts them (Spec.accept), so that
    # `grade check` and the notebook's check cells agree with `grade`
    alternatives: list[Alternative] = field(default_factory=list)

    def accept(self, function: str, parameters: str, adapt: Callable) -> None:
        """Accept ``function(parameters)`` too, like :meth:`grader.grading.spec.Spec.accept`:
        ``adapt(None, *args, **kwargs) -> (args, kwargs)`` (no reference here)."""
        self.alternatives.append(Alternative.of(function, parameters, adapt))

    def check(self, name: str, *, function: str):
        """Register a public check of ``function``."""

        def register(run: Callable) -> Callable:
            self.items.append(PublicCheck(name, function, run))
            return run

        return register

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
