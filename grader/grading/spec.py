"""How a hidden test specification declares its checks.

An assignment's ``solutions/<name>/tests.py`` creates ``spec = Spec(...)`` and registers
tests with ``@spec.test(name, points=..., function=...)``. A test is a function ``(student,
ref) -> dict | None`` that runs in the grader's process: ``student`` calls the submission's
functions in its worker (:class:`grader.isolation.session.StudentSession`), ``ref`` is the
reference module. It passes by returning (optionally a dict of data for reports) and fails
by raising :class:`grader.grading.checks.CheckFailed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Test:
    name: str
    points: float
    function: str  # the student function it grades, for grouping in reports
    run: Callable


@dataclass
class Spec:
    name: str
    student_file: str  # what students hand in, e.g. "backprop.py"
    title: str = ""
    default_timeout: float = 5.0  # wall seconds per student call
    timeouts: dict[str, float] = field(default_factory=dict)
    tests: list[Test] = field(default_factory=list)

    def test(self, name: str, *, points: float, function: str):
        """Register a test worth ``points`` that grades ``function``."""
        if points <= 0:
            raise ValueError(f"test {name!r} must be worth some points")

        def register(run: Callable) -> Callable:
            if any(test.name == name for test in self.tests):
                raise ValueError(f"two tests are named {name!r}")
            self.tests.append(Test(name, points, function, run))
            return run

        return register

    @property
    def max_score(self) -> float:
        return sum(test.points for test in self.tests)
