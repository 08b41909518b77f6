"""How a hidden test specification declares its checks, and how one check is run.

An assignment's ``solutions/<name>/tests.py`` imports what it needs from
:mod:`grader.authoring`, creates ``spec = Spec(...)`` and registers tests with
``@spec.test(name, points=..., function=...)``. A test is a function ``(student, ref) ->
dict | None`` that runs in the grader's process: ``student`` is a :class:`Student`, whose
only attributes are the submission's functions (each call runs in the submission's worker),
``ref`` is the reference module. It passes by returning (optionally a dict of data for
reports) and fails by raising :class:`grader.grading.checks.CheckFailed`, or with a plain
``assert``.

A test has an id (its function's name, or ``id=`` given explicitly): what
``solutions/<name>/mistakes.py`` lists in ``checks`` and ``grade audit`` reports. Its
``name`` is what students read.
"""

from __future__ import annotations

import ast
import functools
import inspect
import linecache
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader.grading.checks import CheckFailed, taken_notes
from grader.grading.results import ERROR, FAILED, PASSED, CheckResult
from grader.isolation.session import StudentCallError

GRADER_PACKAGE = Path(__file__).resolve().parent.parent
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")  # Gradescope's


@dataclass
class Test:
    id: str  # stable: mistakes.py's `checks`, the audit, the diagnosis
    name: str  # what students see in their report
    points: float
    function: str  # the student function it grades, for grouping in reports
    run: Callable
    # when students see it (Gradescope's vocabulary): visible, hidden, after_due_date,
    # after_published; hidden and later ones are left out of report.html
    visibility: str = "visible"


@dataclass
class Alternative:
    """A signature an assignment also accepts for one student function (a course's older
    version): ``parameters`` as the course writes them, and ``adapt(ref, *args, **kwargs)``
    turning a call the hidden tests make into ``(args, kwargs)`` for this signature."""

    function: str
    parameters: tuple[str, ...]
    adapt: Callable

    @classmethod
    def of(cls, function: str, parameters: str, adapt: Callable) -> Alternative:
        """From ``parameters`` as the course writes them (``"A2, Y, parameters"``)."""
        names = tuple(name.strip() for name in parameters.split(",") if name.strip())
        if not all(name.isidentifier() for name in names):
            raise ValueError(f"accept({function!r}, {parameters!r}): not a parameter list")
        return cls(function, names, adapt)

    def fits(self, signature: dict, usual: int | None) -> bool:
        """Whether a student function with ``signature`` ({"names", "required"}, as the
        worker reports it) is written this way rather than the usual way (``usual``
        required positional parameters)."""
        required = signature.get("required")
        return required != usual and required == len(self.parameters)


@dataclass
class Spec:
    name: str
    student_file: str  # what students hand in, e.g. "backprop.py"
    title: str = ""
    default_timeout: float = 5.0  # wall seconds per student call
    timeouts: dict[str, float] = field(default_factory=dict)
    tests: list[Test] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    # (function, of, wrt): for the default self-check's gradient table (derivative())
    derivatives: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)

    def derivative(self, function: str, *, of: str, wrt) -> None:
        """Declare that ``function(*args)`` returns the derivatives of ``of(*args)`` (a
        number: the cost) in the arguments named ``wrt``, as a dict keyed ``"d" + name``,
        a tuple in that order, or one array. The default self-check (no ``public.py``)
        then checks them against central differences of the student's own ``of``."""
        wrt = (wrt,) if isinstance(wrt, str) else tuple(wrt)
        if not wrt or not all(isinstance(name, str) and name.isidentifier() for name in wrt):
            raise ValueError(f"derivative({function!r}): wrt must name parameters of {of}")
        self.derivatives.append((function, of, wrt))

    def accept(self, function: str, parameters: str, adapt: Callable) -> None:
        """Accept ``function(parameters)`` too (e.g. ``"A2, Y, parameters"``): a student who
        wrote it so is called through ``adapt(ref, *args, **kwargs) -> (args, kwargs)``,
        which gets the call the hidden tests make and returns the one to make instead."""
        self.alternatives.append(Alternative.of(function, parameters, adapt))

    def adapters_for(self, signatures: dict, reference) -> tuple[dict, list[str]]:
        """For the student's function signatures: {function: adapter(args, kwargs)} for those
        written in an accepted alternative signature, and a note for the report on each."""
        return adapters_for(self.alternatives, signatures, reference)

    def test(self, name: str, *, points: float, function: str, id: str | None = None,
             visibility: str = "visible"):
        """Register a test worth ``points`` that grades ``function``; its id is ``id``, or
        else the name of the decorated function (tests made in a loop give one each).
        ``visibility`` says when students see it (see :data:`VISIBILITIES`)."""
        if points <= 0:
            raise ValueError(f"test {name!r} must be worth some points")
        if visibility not in VISIBILITIES:
            raise ValueError(f"test {name!r}: visibility must be one of "
                             f"{', '.join(VISIBILITIES)}, not {visibility!r}")

        def register(run: Callable) -> Callable:
            test_id = run.__name__ if id is None else id
            if not test_id.isidentifier():
                raise ValueError(f"test {name!r}: give it an id=... (a Python name)")
            if any(test.name == name for test in self.tests):
                raise ValueError(f"two tests are named {name!r}")
            if any(test.id == test_id for test in self.tests):
                raise ValueError(f"two tests have the id {test_id!r}")
            self.tests.append(Test(test_id, name, points, function, run, visibility))
            return run

        return register

    @property
    def max_score(self) -> float:
        return sum(test.points for test in self.tests)


def adapters_for(alternatives, signatures: dict, reference=None) -> tuple[dict, list[str]]:
    """:meth:`Spec.adapters_for` for any list of :class:`Alternative` (also the public
    self-checks', which have no reference: ``reference`` None, passed on to ``adapt``)."""
    adapters, notes = {}, []
    for alternative in alternatives:
        name = alternative.function
        if name in adapters or name not in signatures:
            continue
        if alternative.fits(signatures[name], required_parameters(reference, name)):
            adapters[name] = functools.partial(adapted, alternative.adapt, reference)
            notes.append(f"{name}({', '.join(alternative.parameters)}) is an older "
                         f"signature of {name}: accepted, and graded as such")
    return adapters, notes


def adapted(adapt: Callable, reference, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    new_args, new_kwargs = adapt(reference, *args, **kwargs)
    return tuple(new_args), dict(new_kwargs)


def required_parameters(reference, name: str) -> int | None:
    """How many positional parameters without a default the reference's ``name`` has."""
    try:
        parameters = inspect.signature(getattr(reference, name)).parameters.values()
    except (AttributeError, TypeError, ValueError):
        return None
    return sum(p.default is p.empty for p in parameters
               if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


class Student:
    """The submission as a hidden test sees it: every public attribute is one of its
    functions, so a student function called ``close`` or ``output`` is that function, never
    something of the grader's. Calls go to ``calls`` (a session, or a stand-in with the same
    ``call``)."""

    __slots__ = ("_calls", "_plots")

    def __init__(self, calls, *, plots: bool = False):
        object.__setattr__(self, "_calls", calls)
        object.__setattr__(self, "_plots", plots)

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._calls, name)

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError("a test cannot change the student's functions")

    def __repr__(self) -> str:
        return "<the student's functions>"


class StudentFunction:
    """One student function: calling it calls the submission's function (on copies of the
    inputs, with the global random generators seeded, 0 unless :meth:`with_seed`) and
    returns plain data, or raises StudentCallError."""

    __slots__ = ("_calls", "_name", "_seed")

    def __init__(self, calls, name: str, seed: int = 0):
        self._calls, self._name, self._seed = calls, name, seed

    def __call__(self, *args, **kwargs):
        return self._calls.call(self._name, args, kwargs, seed=self._seed)

    def with_seed(self, seed: int) -> StudentFunction:
        """The same function, called with numpy's and Python's generators seeded with
        ``seed`` (for functions that draw random numbers)."""
        return StudentFunction(self._calls, self._name, seed)

    def __repr__(self) -> str:
        return f"<the student's {self._name}>"


def plots_wanted(student: Student) -> bool:
    """Whether the reports will draw plots: a test skips the calls that only feed them."""
    return student._plots


def run_test(test: Test, calls, reference, *, evidence: list | None = None) -> CheckResult:
    """Run one test against ``calls`` (a session or a stand-in); always returns a result.

    A failed check, a student call that failed, and a failed ``assert`` of the hidden test
    fail the check with their message; any other exception is the grader's (or the hidden
    tests') own failure: the check is an ``error``, never a score. With ``evidence`` (a
    list), the calls the test made are recorded into it (:mod:`grader.grading.diagnosis`).
    """
    result = CheckResult(test.name, test.function, 0.0, test.points, FAILED)
    if evidence is not None:
        calls.recorder = evidence
    taken_notes()  # a note is about the test that made it
    try:
        with np.errstate(all="ignore"):
            data = test.run(Student(calls, plots=calls.plots), reference)
    except (CheckFailed, StudentCallError, AssertionError) as exc:
        failure = as_failure(exc)
        if failure is None:
            grader_error(result, exc)
        else:
            result.message, result.data = str(failure), failure.data
    except Exception as exc:  # a bug in the grader or the hidden tests, not the student's fault
        grader_error(result, exc)
    else:
        result.status, result.points, result.data = PASSED, test.points, data or {}
        notes = taken_notes()
        if isinstance(result.data, dict) and isinstance(result.data.get("note"), str):
            notes.insert(0, result.data["note"])
        result.message = "; ".join(notes)  # what passed only because it was accepted
    finally:
        if evidence is not None:
            calls.recorder = None
    return result


def grader_error(result: CheckResult, exc: Exception) -> None:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    result.status = ERROR
    result.message = (f"the grader could not evaluate this check ({type(exc).__name__} at "
                      f"{frame.name}:{frame.lineno}); this is not a score")


def as_failure(exc: Exception) -> CheckFailed | None:
    """What the student is told when a test raised ``exc``: a CheckFailed as it is, a failed
    student call's message, a failed ``assert``'s message; None for anything else, and for an
    ``assert`` in the grader's own code (a bug of the grader, not the student's)."""
    if isinstance(exc, CheckFailed):
        return exc
    if isinstance(exc, StudentCallError):
        return CheckFailed(str(exc))
    if isinstance(exc, AssertionError):
        message = assert_message(exc)
        return None if message is None else CheckFailed(message)
    return None


def assert_message(exc: AssertionError) -> str | None:
    """The message of an ``assert`` a test made; without one, the asserted expression as
    written (never a path); None when the assertion failed inside the grader package."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames or Path(frames[-1].filename).resolve().is_relative_to(GRADER_PACKAGE):
        return None
    message = str(exc)
    if message:
        return message
    expression = asserted(frames[-1].filename, frames[-1].lineno)
    return (f"`assert {expression}` failed" if expression
            else "an assertion of the hidden tests failed")


def asserted(filename: str, lineno: int | None) -> str:
    """The expression of the ``assert`` statement at ``filename:lineno`` ('' if unknown)."""
    source = "".join(linecache.getlines(filename))
    found = assert_expressions(source).get(lineno, "") if source and lineno else ""
    return found if len(found) <= 300 else found[:297] + "..."


@functools.lru_cache(maxsize=16)
def assert_expressions(source: str) -> dict[int, str]:
    """Every line of every ``assert`` statement in ``source`` -> its expression, in one line."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            text = ast.unparse(node.test)
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                found.setdefault(line, text)
    return found


def each_case(cases: Iterable, check: Callable, describe: Callable = str, *,
              name_call_errors: bool = True, call_hint: Callable[[str], str] | None = None) -> None:
    """Run ``check(case)`` for every case; the first that fails fails the test, its message
    starting "with <describe(case)>: ".

    A failed student call is named the same way (``call_hint(message)`` may add a hint to
    it), or, with ``name_call_errors=False``, fails the test with its own message.
    """
    for case in cases:
        try:
            check(case)
        except StudentCallError as error:
            if not name_call_errors:
                raise
            hint = call_hint(str(error)) if call_hint else ""
            raise CheckFailed(f"with {describe(case)}: {error}{hint}") from None
        except (CheckFailed, AssertionError) as exc:
            failure = as_failure(exc)
            if failure is None:
                raise
            raise CheckFailed(f"with {describe(case)}: {failure}", failure.data) from None
