"""The default self-check of an exercise whose author wrote no ``public.py``.

``grade release`` describes, from the hidden tests' calls, what each graded function is
given (shapes and ranges of its inputs, never their values: inputs here are drawn afresh)
and what the reference returns for such inputs (tuple arity, dict keys, array shapes,
numbers; never a value). Each function then gets one check: on those public random inputs,
it returns that structure (a missing ``keepdims`` shows as a rank-1 array). Each
``spec.derivative(function, of=cost, wrt=...)`` adds the gradient table of ``function``
against central differences of the student's own ``cost``.
"""

from __future__ import annotations

import functools

import numpy as np

from grader.grading.checks import (
    CheckFailed,
    check_finite,
    check_float,
    check_keys,
    check_shape,
    check_tuple,
)
from grader.isolation.wire import Function
from grader.public import PublicChecks
from grader.public.gradients import fails_if_wrong, gradient_table

SEED = 2024  # public inputs are drawn from this seed: the same for everyone, every run


def draw(desc, rng):
    """A public input drawn from its description (see course/public_release.describe)."""
    kind = next(iter(desc))
    if kind == "array":
        shape, (low, high) = tuple(desc["array"]), desc["range"]
        if desc.get("binary"):
            return (rng.random(shape) > 0.5).astype(float)
        values = rng.uniform(low, high, shape) if high > low else np.full(shape, float(low))
        return np.round(values).astype(np.int64) if desc.get("integer") else values
    if kind == "float":
        low, high = desc["float"]
        return float(rng.uniform(low, high)) if high > low else float(low)
    if kind in ("list", "tuple"):
        items = [draw(item, rng) for item in desc[kind]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {key: draw(item, rng) for key, item in desc["dict"].items()}
    if kind == "function":
        return Function(desc["function"])
    return desc["value"]


def inputs(call: dict, number: int) -> tuple[tuple, dict]:
    rng = np.random.default_rng(SEED + number)
    return (tuple(draw(arg, rng) for arg in call["args"]),
            {key: draw(arg, rng) for key, arg in call["kwargs"].items()})


def conforms(name: str, got, desc) -> None:
    """``got`` has the structure ``desc`` gives (what the reference returned here)."""
    kind = next(iter(desc))
    if kind == "array":
        check_finite(name, check_shape(name, got, tuple(desc["array"])))
    elif kind == "number":
        check_float(name, got)
    elif kind == "tuple":
        for index, (item, part) in enumerate(zip(check_tuple(name, got, len(desc["tuple"])),
                                                 desc["tuple"], strict=True)):
            conforms(f"{name}[{index}]", item, part)
    elif kind == "list":
        if not isinstance(got, list) or len(got) != len(desc["list"]):
            raise CheckFailed(f"{name} should be a list of {len(desc['list'])}")
        for index, (item, part) in enumerate(zip(got, desc["list"], strict=True)):
            conforms(f"{name}[{index}]", item, part)
    elif kind == "dict":
        got = check_keys(name, got, tuple(desc["dict"]))
        for key, part in desc["dict"].items():
            conforms(f"{name}[{key!r}]", got[key], part)
    elif kind == "bool" and not isinstance(got, (bool, np.bool_)):
        raise CheckFailed(f"{name} should be True or False")


def shapes_of(args: tuple) -> str:
    shown = [f"{tuple(a.shape)}" if isinstance(a, np.ndarray) else type(a).__name__
             for a in args]
    return ", ".join(shown)


def structure(function: str, calls: list[dict], student) -> None:
    for number, call in enumerate(calls):
        args, kwargs = inputs(call, number)
        try:
            got = getattr(student, function).with_seed(call["seed"])(*args, **kwargs)
            conforms(f"{function}(...)", got, call["returns"])
        except CheckFailed as failure:
            raise CheckFailed(f"with inputs of shapes ({shapes_of(args)}): {failure}",
                              failure.data) from None


def as_gradients(got, wrt: list[str]) -> dict:
    """The derivatives a function returned, keyed 'd' + name: a dict, a tuple in the order
    of ``wrt``, or one array."""
    if isinstance(got, dict):
        return check_keys("the gradients", got, tuple("d" + name for name in wrt))
    if len(wrt) == 1 and not isinstance(got, (tuple, list)):
        return {"d" + wrt[0]: got}
    return dict(zip(("d" + name for name in wrt),
                    check_tuple("the gradients", tuple(got), len(wrt)), strict=True))


def derivative(declared: dict, call: dict, student) -> dict:
    """``declared['function']`` against central differences of the student's own
    ``declared['of']``, on the public inputs, for each argument in ``wrt``."""
    function, cost, wrt = declared["function"], declared["of"], declared["wrt"]
    args, kwargs = inputs(call, 0)
    args = list(args)
    params = {}
    for name in wrt:
        where = declared["positions"][name]
        args[where] = np.array(args[where], dtype=np.float64)
        params[name] = args[where]
    grads = as_gradients(getattr(student, function)(*args, **kwargs), wrt)

    def cost_now():
        return check_float(f"{cost}(...)", getattr(student, cost)(*args, **kwargs))

    return fails_if_wrong(gradient_table(cost_now, params, grads, wrt), cost)


def describe(desc) -> str:
    kind = next(iter(desc))
    if kind == "array":
        return "an array"
    if kind in ("tuple", "list"):
        return f"a {kind} of {len(desc[kind])}"
    if kind == "dict":
        return "a dict of " + ", ".join(desc["dict"])
    return {"number": "a number", "bool": "True or False"}.get(kind, "a value")


def default_checks(data: dict) -> PublicChecks:
    """The checks of a generated ``<name>_checks.py`` (``data`` as ``grade release`` wrote
    it: {"calls": {function: [call...]}, "derivatives": [...]})."""
    checks = PublicChecks()
    for function, calls in data["calls"].items():
        returns = describe(calls[0]["returns"])
        checks.check(f"returns {returns} with the right shapes, on public random inputs",
                     function=function)(functools.partial(structure, function, calls))
    for declared in data.get("derivatives", []):
        call = data["calls"][declared["function"]][0]
        checks.check(f"agrees with central differences of your {declared['of']} in "
                     f"{', '.join(declared['wrt'])}", function=declared["function"])(
            functools.partial(derivative, declared, call))
    return checks

