"""The released public checks, ``assignments/<name>/<name>_checks.py``: what students run.

The author's ``solutions/<name>/public.py`` as written, or, without one, a generated default
(:mod:`grader.public.default`) described from the hidden tests' own calls: the shapes and
ranges of the inputs each graded function is given, and the structure (arity, keys, shapes)
of what the reference returns on fresh public inputs of that kind. No hidden value is
written: inputs are drawn again from a public seed, and of outputs only their structure.
Then ``grade release`` appends the spec's facts (``PublicChecks.released``).
"""

from __future__ import annotations

import ast
import inspect
import math
import pprint
import tempfile
from pathlib import Path

import numpy as np

from grader.errors import UsageError
from grader.grading.plan import ReferenceStand
from grader.grading.spec import run_test
from grader.isolation import wire
from grader.isolation.calling import call_trusted, request
from grader.loading.assignment import provided_modules
from grader.public import RELEASED_MARK, PublicChecks, default, load_file, released_name

PUBLIC = "public.py"  # solutions/<name>/public.py: the author's public checks
CALLS_PER_FUNCTION = 2  # described calls per graded function, of distinct input shapes
HEADER = (RELEASED_MARK + "{name}, written by `grade release` from {origin}.\n"
          "# Keep this file beside your {student_file}: `grade check {student_file}` runs it.\n"
          "# It holds no hidden value.\n")


def graded_functions(assignment) -> list[str]:
    """The functions hidden tests grade, in the order the reference defines them."""
    tree = ast.parse((assignment.directory / "reference.py").read_text())
    order = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    graded = {test.function for test in assignment.spec.tests}
    return [name for name in order if name in graded] + sorted(graded - set(order))


def facts(assignment) -> dict:
    spec = assignment.spec
    points: dict[str, float] = {}
    for test in spec.tests:
        points[test.function] = points.get(test.function, 0) + test.points
    return {"name": assignment.name, "student_file": spec.student_file,
            "functions": graded_functions(assignment), "points": points,
            "timeouts": dict(spec.timeouts),
            "provided": tuple(module.name for module in provided_modules(assignment))}


def inside(low: float, high: float) -> tuple[float, float]:
    """A range rounded inwards to two significant digits of its width (so a positive input
    stays positive): the kind of value, not the value. A constant stays what it is (a fixed
    bias, a fixed rate: the function's domain, not a secret)."""
    width = high - low
    if not width > 0:
        return (low, high)
    exponent = math.floor(math.log10(width)) - 1
    step = 10.0 ** exponent
    digits = max(0, -exponent)
    return (round(math.ceil(low / step) * step, digits),
            round(math.floor(high / step) * step, digits))


def describe_input(value):
    """How to draw a public input like ``value``: shapes, ranges, sizes; never its values."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        finite = value[np.isfinite(value)] if value.dtype.kind == "f" else value
        low, high = inside(float(finite.min()), float(finite.max())) if finite.size \
            else (0.0, 0.0)
        return {"array": list(value.shape), "range": [low, high],
                "binary": bool(value.size and np.isin(value, (0, 1)).all()),
                "integer": value.dtype.kind in "biu"}
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return {"value": value}  # sizes, counts, flags, names: the public interface
    if isinstance(value, float):
        return {"float": list(inside(*sorted([value * 0.5, value * 1.5])))}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [describe_input(item) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"dict": {key: describe_input(item) for key, item in value.items()}}
    if isinstance(value, wire.Function):
        return {"function": value.source}
    raise TypeError(f"no public description for {type(value).__name__}")


def describe_output(value):
    """The structure of a returned value: arity, keys, shapes."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return {"array": list(value.shape)}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": True}
    if isinstance(value, (int, float, np.number)):
        return {"number": True}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [describe_output(item) for item in value]}
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {"dict": {key: describe_output(item) for key, item in value.items()}}
    raise TypeError(f"no public description for {type(value).__name__}")


def public_call(assignment, function: str, args, kwargs, seed: int, number: int):
    """The described call, and what the reference returns on its public inputs (None when
    the call cannot be described or the reference fails on them)."""
    try:
        call = {"args": [describe_input(a) for a in args],
                "kwargs": {k: describe_input(v) for k, v in kwargs.items()}, "seed": seed}
    except TypeError:
        return None
    header, blobs = request(function, *default.inputs(call, number), seed)
    value = call_trusted(getattr(assignment.reference, function), function, header, blobs)
    try:
        call["returns"] = describe_output(value)
    except TypeError:
        return None
    return call if finite(value) else None  # the inputs are outside the function's domain


def finite(value) -> bool:
    if isinstance(value, (np.ndarray, float, np.floating)):
        return bool(np.isfinite(value).all())
    if isinstance(value, (list, tuple)):
        return all(finite(item) for item in value)
    if isinstance(value, dict):
        return all(finite(item) for item in value.values())
    return True


def default_data(assignment) -> dict:
    """What the default self-check needs, from the hidden tests run on the reference."""
    stand = ReferenceStand(assignment.reference, plots=False)
    for test in assignment.spec.tests:
        run_test(test, stand, assignment.reference)
    calls: dict[str, list] = {}
    seen = set()
    for function, args, kwargs, seed in stand.calls.values():  # distinct, in the tests' order
        shapes = (function, repr(describe_shapes(args)), repr(describe_shapes(kwargs)))
        if len(calls.get(function, [])) >= CALLS_PER_FUNCTION or shapes in seen:
            continue
        call = public_call(assignment, function, args, kwargs, seed,
                           len(calls.get(function, [])))
        if call is not None:
            seen.add(shapes)
            calls.setdefault(function, []).append(call)
    order = graded_functions(assignment)
    calls = {name: calls[name] for name in order if name in calls}
    return {"calls": calls, "derivatives": [derivative(assignment, d, calls)
                                            for d in assignment.spec.derivatives]}


def describe_shapes(value):
    if isinstance(value, np.ndarray):
        return value.shape
    if isinstance(value, (list, tuple)):
        return [describe_shapes(item) for item in value]
    if isinstance(value, dict):
        return {key: describe_shapes(item) for key, item in value.items()}
    return type(value).__name__


def derivative(assignment, declared, calls) -> dict:
    function, of, wrt = declared
    if function not in calls:
        raise UsageError(f"spec.derivative({function!r}): no hidden test calls {function} "
                         "with inputs the default self-check can describe")
    parameters = list(inspect.signature(getattr(assignment.reference, function)).parameters)
    missing = [name for name in wrt if name not in parameters]
    if missing or not callable(getattr(assignment.reference, of, None)):
        raise UsageError(f"spec.derivative({function!r}, of={of!r}, wrt={wrt!r}): "
                         f"{of} is not in the reference or {missing} are not parameters "
                         f"of {function}")
    return {"function": function, "of": of, "wrt": list(wrt),
            "positions": {name: parameters.index(name) for name in wrt}}


def default_source(assignment) -> str:
    data = pprint.pformat(default_data(assignment), width=96, sort_dicts=False)
    return ("from grader.public.default import default_checks\n\n"
            f"# generated: no solutions/{assignment.name}/public.py; inputs are drawn from "
            "these descriptions\n"
            f"checks = default_checks({data})\n")


def released_checks(assignment) -> str:
    """The text of ``assignments/<name>/<name>_checks.py``."""
    authored = assignment.directory / PUBLIC
    spec = assignment.spec
    if authored.is_file():
        origin, body = f"its {PUBLIC}", authored.read_text()
    else:
        origin, body = "its reference (a default)", default_source(assignment)
    known = pprint.pformat(facts(assignment), width=90, sort_dicts=False)
    trailer = ("\n\n# Added by `grade release`: the exercise as the hidden spec knows it.\n"
               f"checks.released(**{known})\n")
    header = HEADER.format(name=assignment.name, origin=origin, student_file=spec.student_file)
    return header + body.rstrip("\n") + trailer


def released_public(assignment) -> PublicChecks:
    """The released checks, loaded (for the notebook's check cells)."""
    with tempfile.TemporaryDirectory(prefix="bpg-public-") as folder:
        path = Path(folder) / released_name(assignment.name)
        path.write_text(released_checks(assignment))
        try:
            return load_file(path)
        except LookupError as exc:
            raise UsageError(str(exc)) from None
