"""Hidden tests for gradient_descent: which checks run, on which inputs, for how many points.

Functions the student's code must call (the f of numerical_slope, the slope of descend)
are written here as source text and sent to the worker as :class:`grader.authoring.Function`;
the reference gets the same source built in this process. Inputs are fixed; X has n != m
and n > 1, so a transposed dw cannot pass its shape check. logistic_gradients is also
checked against central differences of the cost.
"""

import math

import numpy as np

from grader.authoring import (
    CheckFailed,
    Function,
    GradientTable,
    Spec,
    check_float,
    check_gradients,
    check_shape,
    check_tuple,
    check_values,
    each_case,
    numeric_gradient,
)

spec = Spec(
    name="gradient_descent",
    student_file="gradient_descent.py",
    title="Why the update rule works: slopes, descent, the chain rule, a logistic unit",
)

GRADIENT_THRESHOLD = 1e-6
SLOPE_CASES = [  # (f, x)
    (Function("lambda x: x**3 - 2*x"), 1.5),
    (Function("lambda x: x**3 - 2*x"), -0.7),
    (Function("lambda x: np.exp(x)"), 2.0),
    (Function("def f(x):\n    return math.sin(x) * x\n"), 0.9),
]
ABS_SLOPE = "lambda x: -1.0 if x < 0 else (1.0 if x > 0 else 0.0)"
DESCENT_CASES = [  # (slope, x0, alpha, steps)
    (Function("lambda x: 2 * x"), 3.0, 0.1, 5),  # f(x) = x², slope 2x
    (Function(ABS_SLOPE), 0.35, 0.1, 6),  # f(x) = |x|: it ends up hopping around 0
    (Function("lambda x: math.cos(x)"), 1.0, 0.5, 8),  # f(x) = sin(x)
]
CHAIN_CASES = [[2.0, -0.5, 3.0], [0.25], [1.5, 1.5, 1.5, 2.0], [-4.0, 0.1]]
LOGISTIC_SHAPES = [(3, 5), (2, 8), (5, 4)]  # (n, m)


def local(function: Function):
    """The same function built in the grader for the reference (hidden-test code only)."""
    return function.build()


def close(name, got, expected, hint="", **tolerance):
    try:
        return check_values(name, got, expected, **tolerance)
    except CheckFailed as failure:
        raise CheckFailed(f"{failure}{hint}", failure.data) from None


# ---------------------------------------------------------------------- numerical_slope


def slope_on(item):
    f, x = item[:2]
    return f"f = {f.source.strip()!r}, x = {x:g}" + (f", h = {item[2]:g}" if len(item) > 2 else "")


def check_slope(student, ref, item):
    f, x = item[:2]
    h = item[2] if len(item) > 2 else None
    args = (f, x) if h is None else (f, x, h)
    got = check_float("numerical_slope(f, x)", student.numerical_slope(*args))
    step = 1e-5 if h is None else h
    fx = local(f)
    forward = (fx(x + step) - fx(x)) / step
    hint = ""
    if abs(got - forward) <= 1e-9 * max(1.0, abs(forward)):
        hint = ("; this is a forward difference (f(x + h) - f(x)) / h: use the central one, "
                "(f(x + h) - f(x - h)) / 2h, whose error shrinks like h² instead of h")
    expected = ref.numerical_slope(fx, x, *(() if h is None else (h,)))
    close("numerical_slope(f, x)", np.asarray(got), expected, hint, rtol=1e-8, atol=1e-10)


@spec.test("numerical_slope: the central difference (f(x + h) - f(x - h)) / 2h, h = 1e-5",
           points=10, function="numerical_slope")
def numerical_slope_central(student, ref):
    each_case(SLOPE_CASES, lambda item: check_slope(student, ref, item), slope_on)


@spec.test("numerical_slope uses the h it is given", points=4, function="numerical_slope")
def numerical_slope_given_h(student, ref):
    each_case([(f, x, 0.01) for f, x in SLOPE_CASES[:2]],
              lambda item: check_slope(student, ref, item), slope_on)


# ---------------------------------------------------------------------------- abs_slope


@spec.test("abs_slope: -1.0 for x < 0, +1.0 for x > 0, 0.0 at 0", points=10,
           function="abs_slope")
def abs_slope_values(student, ref):
    for x in (-2.5, -1e-3, 3.0, 0.25, 0.0):
        got = check_float(f"abs_slope({x:g})", student.abs_slope(x))
        close(f"abs_slope({x:g})", np.asarray(got), ref.abs_slope(x))


# ------------------------------------------------------------------------------ descend


def descent_on(item):
    slope, x0, alpha, steps = item
    return f"slope = {slope.source!r}, x0 = {x0:g}, alpha = {alpha:g}, steps = {steps}"


def iterates(student, item):
    got = student.descend(*item)
    steps = item[3]
    if not isinstance(got, (list, tuple)):
        raise CheckFailed(f"descend should return a list of the {steps + 1} iterates, got a "
                          f"{type(got).__name__}")
    if len(got) != steps + 1:
        raise CheckFailed(f"descend returned {len(got)} iterates, expected steps + 1 = "
                          f"{steps + 1} (x_0 = x0 first, then one per step)")
    return [check_float(f"x_{t}", x) for t, x in enumerate(got)]


@spec.test("descend returns the steps + 1 iterates as numbers, x0 first", points=4,
           function="descend")
def descend_returns(student, ref):
    def check(item):
        xs = iterates(student, item)
        close("x_0", np.asarray(xs[0]), item[1], "; the list starts with x0 itself")
    each_case(DESCENT_CASES, check, descent_on)


@spec.test("descend: x_{t+1} = x_t - α slope(x_t)", points=10, function="descend")
def descend_values(student, ref):
    def check(item):
        slope, x0, alpha, steps = item
        xs = iterates(student, item)
        expected = ref.descend(local(slope), x0, alpha, steps)
        close("the iterates", np.array(xs), np.array(expected))
    each_case(DESCENT_CASES, check, descent_on)


# -------------------------------------------------------------------------- chain_slope


def product_hint(got, slopes):
    if len(slopes) > 1 and abs(got - sum(slopes)) <= 1e-9 * max(1.0, abs(sum(slopes))):
        return "; this is the sum of the slopes: the chain rule multiplies them"
    return ""


@spec.test("chain_slope returns the product of the slopes", points=8, function="chain_slope")
def chain_slope_values(student, ref):
    def check(slopes):
        got = check_float("chain_slope(slopes)", student.chain_slope(slopes))
        close("chain_slope(slopes)", np.asarray(got), ref.chain_slope(slopes),
              product_hint(got, slopes))
    each_case(CHAIN_CASES, check, lambda slopes: f"slopes = {slopes}")


def composition(x):
    """y = sin(u), u = v², v = 3x + 1: each step's slope, and y itself."""
    v = 3 * x + 1
    u = v**2
    return [3.0, 2 * v, math.cos(u)], math.sin(u)


@spec.test("chain_slope of the steps of sin((3x + 1)²) agrees with its central difference",
           points=6, function="chain_slope")
def chain_slope_composition(student, ref):
    def check(x):
        slopes, _ = composition(x)
        got = check_float("chain_slope(slopes)", student.chain_slope(slopes))
        point = np.array(x)
        numeric = numeric_gradient(lambda: composition(float(point))[1], point)
        close("dy/dx", np.asarray(got), numeric, product_hint(got, slopes), rtol=1e-6)
    each_case([0.2, -0.45], check, lambda x: f"x = {x:g}")


# ---------------------------------------------------------------------- logistic unit


def make_case(n, m, seed):
    rng = np.random.default_rng(seed)
    case = {"n": n, "m": m, "X": rng.standard_normal((n, m)), "w": rng.standard_normal((n, 1)),
            "b": float(rng.standard_normal()), "Y": (rng.random((1, m)) > 0.5).astype(float)}
    case["A"] = 1 / (1 + np.exp(-(case["w"].T @ case["X"] + case["b"])))
    return case


def cases():
    return [make_case(n, m, 400 + i) for i, (n, m) in enumerate(LOGISTIC_SHAPES)]


def on(case):
    return f"n={case['n']}, m={case['m']}"


@spec.test("logistic_forward returns A of shape (1, m)", points=4, function="logistic_forward")
def logistic_forward_shape(student, ref):
    each_case(cases(), lambda case: check_shape("A", student.logistic_forward(
        case["X"], case["w"], case["b"]), (1, case["m"])), on)


@spec.test("logistic_forward: A = σ(wᵀX + b)", points=6, function="logistic_forward")
def logistic_forward_values(student, ref):
    each_case(cases(), lambda case: close(
        "A", student.logistic_forward(case["X"], case["w"], case["b"]),
        ref.logistic_forward(case["X"], case["w"], case["b"])), on)


@spec.test("logistic_cost returns a float", points=2, function="logistic_cost")
def logistic_cost_type(student, ref):
    each_case(cases(), lambda case: check_float(
        "the cost", student.logistic_cost(case["A"], case["Y"])), on)


@spec.test("logistic_cost: J = -(1/m) Σ [Y log A + (1 - Y) log(1 - A)]", points=6,
           function="logistic_cost")
def logistic_cost_value(student, ref):
    def check(case):
        got = check_float("the cost", student.logistic_cost(case["A"], case["Y"]))
        close("the cost", np.asarray(got), ref.logistic_cost(case["A"], case["Y"]), rtol=1e-6)
    each_case(cases(), check, on)


def slopes_of(student, case):
    out = student.logistic_gradients(case["X"], case["A"], case["Y"])
    return check_tuple("logistic_gradients", out, 2)


@spec.test("logistic_gradients returns (dw, db): dw of shape (n, 1), db a float", points=6,
           function="logistic_gradients")
def logistic_gradients_shapes(student, ref):
    def check(case):
        dw, db = slopes_of(student, case)
        check_shape("dw", dw, (case["n"], 1))
        check_float("db", db)
    each_case(cases(), check, on)


@spec.test("logistic_gradients: dw = (1/m) X (A - Y)ᵀ", points=8, function="logistic_gradients")
def logistic_gradients_dw(student, ref):
    each_case(cases(), lambda case: close("dw", slopes_of(student, case)[0], ref.logistic_gradients(
        case["X"], case["A"], case["Y"])[0]), on)


@spec.test("logistic_gradients: db = (1/m) Σ (A - Y)", points=5, function="logistic_gradients")
def logistic_gradients_db(student, ref):
    def check(case):
        db = check_float("db", slopes_of(student, case)[1])
        close("db", np.asarray(db), ref.logistic_gradients(case["X"], case["A"], case["Y"])[1])
    each_case(cases(), check, on)


def cost_at(ref, case):
    """J(w, b) on the case's data, b read as a float."""
    return lambda p: ref.logistic_cost(ref.logistic_forward(case["X"], p["w"], float(p["b"])),
                                       case["Y"])


@spec.test("logistic_gradients agree with central differences of the cost J(w, b)", points=11,
           function="logistic_gradients")
def logistic_gradients_check(student, ref):
    table = GradientTable(GRADIENT_THRESHOLD)

    def check(case):
        dw, db = slopes_of(student, case)
        check_gradients(table, on(case), cost_at(ref, case), {"w": case["w"], "b": case["b"]},
                        {"dw": dw, "db": np.asarray(check_float("db", db))}, directional=False)
    each_case(cases(), check, on)
    return table.result(shown=3)
