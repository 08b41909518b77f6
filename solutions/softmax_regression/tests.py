"""Hidden tests for softmax_regression: which checks run, on which inputs, for how many points.

Every function is graded on inputs built with the reference (backward gets the reference
forward pass's cache), so one mistake costs points once. Shapes have n_x, n_y and m all
different and n_y >= 3 classes, so a transpose or a softmax over the wrong axis cannot pass.
Seeds are fixed: grading is reproducible.
"""

import functools

import numpy as np

from grader.authoring import (
    CheckFailed,
    GradientTable,
    Outputs,
    Spec,
    StudentCallError,
    check_array,
    check_float,
    check_gradients,
    check_keys,
    check_numbers,
    check_shape,
    check_values,
    each_case,
    frozen,
)

spec = Spec(name="softmax_regression", student_file="softmax_regression.py",
            title="Softmax regression: a softmax output layer for n_y classes")

SHAPES = [(4, 3, 7), (6, 5, 9), (2, 4, 13)]  # (n_x, n_y, m)
RATES = (0.05, 0.5, 1.3)  # the learning rate update gets with each case
LARGE = 1000.0  # e^1000 overflows: softmax(Z ± 1000) needs the max subtracted first
SPREAD = 500.0  # columns of 500 Z span more than 709: subtracting the min overflows too
CACHE = ("X", "Z", "A")
GRADIENT_THRESHOLD = 1e-6


def make_case(ref, n_x, n_y, m, seed):
    """Inputs and reference outputs for one shape."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    W = rng.standard_normal((n_y, n_x)) * 0.8
    b = rng.standard_normal((n_y, 1)) * 0.5
    Y = np.eye(n_y)[:, rng.integers(0, n_y, m)]  # one-hot columns
    A, cache = ref.forward(X, W, b)
    return {"n_x": n_x, "n_y": n_y, "m": m, "X": X, "W": W, "b": b, "Y": Y, "A": A,
            "Z": cache["Z"], "cache": cache, "rate": RATES[SHAPES.index((n_x, n_y, m))],
            "dW": rng.standard_normal((n_y, n_x)), "db": rng.standard_normal((n_y, 1))}


@functools.cache
def cases(ref):
    """The hidden inputs, built once per grading run (tests only read them)."""
    return frozen([make_case(ref, *shape, seed=300 + i) for i, shape in enumerate(SHAPES)])


def on(case):
    """Names the input in a failure message."""
    return f"n_x={case['n_x']}, n_y={case['n_y']}, m={case['m']}"


def for_each(ref, check):
    each_case(cases(ref), check, on, name_call_errors=False)


SOFTMAX = Outputs("softmax", "A", args=lambda case: (case["Z"],))
FORWARD = Outputs("forward", ("A", "cache"), args=lambda case: (case["X"], case["W"], case["b"]))
BACKWARD = Outputs("backward", ("dW", "db"), args=lambda case: (case["cache"], case["Y"]))
UPDATE = Outputs("update", ("W", "b"), args=lambda case: (
    case["W"], case["b"], case["dW"], case["db"], case["rate"]))


# ------------------------------------------------------------------------------- softmax


@spec.test("softmax returns A of the shape of Z, (n_y, m)", points=4, function="softmax")
def softmax_shape(student, ref):
    for_each(ref, SOFTMAX.shapes_check(student, ref))


@spec.test("softmax normalises each column (one example) over the classes: columns sum to 1",
           points=6, function="softmax")
def softmax_columns(student, ref):
    def check(case):
        A = check_shape("A", SOFTMAX.of(student, case)["A"], case["Z"].shape).astype(np.float64)
        if np.allclose(A.sum(axis=0), 1):
            return
        rows = " (its rows do: the sum ran over axis=1, the examples)" if np.allclose(
            A.sum(axis=1), 1) else ""
        raise CheckFailed("every column of A should sum to 1, the probabilities of one example's "
                          f"classes{rows}; sum e^Z over axis=0 with keepdims=True")
    for_each(ref, check)


@spec.test("softmax: A[k, i] = e^Z[k, i] / Σ_j e^Z[j, i]", points=8, function="softmax")
def softmax_values(student, ref):
    for_each(ref, SOFTMAX.values_check(student, ref))


def own_probabilities(student, case):
    """The student's own softmax(Z) when it is a table of probabilities of Z's shape (its
    formula, a wrong axis say, is charged to the values checks), else None."""
    try:
        A = check_shape("A", SOFTMAX.of(student, case)["A"], case["Z"].shape).astype(np.float64)
    except (CheckFailed, StudentCallError):
        return None
    return A if np.all((A > 0) & (A <= 1)) else None


def finite_softmax(student, label, Z):
    """The student's softmax of ``Z``, which must hold no NaN or infinity."""
    A = check_array(label, student.softmax(Z))
    if not np.all(np.isfinite(A)):
        raise CheckFailed(f"{label} has NaN or infinite entries: e^z over- or underflows for "
                          "scores this large. Subtract each column's max, np.max(Z, axis=0, "
                          "keepdims=True), before np.exp: softmax does not change when a "
                          "column is shifted, and every exponent is then <= 0")
    return A


@spec.test("softmax is numerically stable: scores near ±1000 (or 1000 apart) give no NaN or "
           "inf, and shifted scores the same A",
           points=8, function="softmax")
def softmax_stable(student, ref):
    def check(case):
        Z = case["Z"]
        own = own_probabilities(student, case)
        if own is None:  # nothing that looks like softmax to shift: judged against the reference
            own = ref.softmax(Z)
        for shift in (LARGE, -LARGE):
            label = f"softmax(Z {shift:+g})"
            big = finite_softmax(student, label, Z + shift)
            check_values(f"{label} (it should equal softmax(Z))", big, own)
        finite_softmax(student, f"softmax({SPREAD:g} Z)", SPREAD * Z)  # columns spanning > 709
    for_each(ref, check)


# ------------------------------------------------------------------------------- forward


def forward(student, case):
    """The student's (A, cache), the cache a dict with X, Z, A."""
    got = FORWARD.of(student, case)
    return got["A"], check_keys("the cache", got["cache"], CACHE)


@spec.test("forward returns (A, cache) with X, Z, A in the cache", points=3, function="forward")
def forward_returns(student, ref):
    def check(case):
        A, cache = forward(student, case)
        check_numbers("the returned A", A)
        for name in CACHE:
            check_numbers(name, cache[name])
    for_each(ref, check)


@spec.test("forward: Z has shape (n_y, m)", points=4, function="forward")
def forward_shape(student, ref):
    for_each(ref, lambda case: check_shape("Z", forward(student, case)[1]["Z"],
                                           (case["n_y"], case["m"])))


@spec.test("forward: Z = W X + b", points=6, function="forward")
def forward_Z(student, ref):
    for_each(ref, lambda case: check_values("Z", forward(student, case)[1]["Z"], case["Z"]))


def own_softmax(student, Z):
    """The student's own softmax of ``Z``, or None when it fails: forward may use it."""
    try:
        return check_shape("A", student.softmax(Z), Z.shape).astype(np.float64)
    except (CheckFailed, StudentCallError):
        return None


@spec.test("forward: A = softmax(Z), returned and cached", points=5, function="forward")
def forward_A(student, ref):
    def check(case):
        A, cache = forward(student, case)
        Z = check_shape("Z (needed to check A)", cache["Z"], (case["n_y"], case["m"]))
        Z = Z.astype(np.float64)
        for name, got in (("the returned A", A), ("the cached A", cache["A"])):
            try:
                check_values(name, got, ref.softmax(Z))
            except CheckFailed:  # a mistake of the student's own softmax is charged there
                mine = own_softmax(student, Z)
                if mine is None or np.allclose(mine, ref.softmax(Z)):
                    raise
                check_values(name, got, mine)
    for_each(ref, check)


# ------------------------------------------------------------------------- cross_entropy


@spec.test("cross_entropy returns a float", points=3, function="cross_entropy")
def cost_type(student, ref):
    for_each(ref, lambda case: check_float("the cost", student.cross_entropy(case["A"], case["Y"])))


@spec.test("cross_entropy: J = -(1/m) Σ Y log A", points=8, function="cross_entropy")
def cost_value(student, ref):
    def check(case):
        got = student.cross_entropy(case["A"], case["Y"])
        value = got if isinstance(got, np.ndarray) else np.asarray(check_float("the cost", got))
        check_values("the cost", value.reshape(()) if value.size == 1 else value,
                     np.asarray(ref.cross_entropy(case["A"], case["Y"])), rtol=1e-6)
    for_each(ref, check)


# ------------------------------------------------------------------------------ backward


@spec.test("backward returns (dW, db), with as many entries as W and b", points=2,
           function="backward")
def backward_returns(student, ref):
    for_each(ref, BACKWARD.returns_check(student, ref=ref))


@spec.test("backward: dW has shape (n_y, n_x)", points=3, function="backward")
def backward_dW_shape(student, ref):
    for_each(ref, BACKWARD.shapes_check(student, ref, "dW"))


@spec.test("backward: db has shape (n_y, 1) (keepdims=True)", points=4, function="backward")
def backward_db_shape(student, ref):
    for_each(ref, BACKWARD.shapes_check(student, ref, "db"))


@spec.test("backward: dW = (1/m) (A - Y) Xᵀ", points=7, function="backward")
def backward_dW(student, ref):
    for_each(ref, BACKWARD.values_check(student, ref, "dW"))


@spec.test("backward: db = (1/m) Σ_axis1 (A - Y)", points=6, function="backward")
def backward_db(student, ref):
    for_each(ref, BACKWARD.values_check(student, ref, "db"))


def cost_at(ref, case):
    """J(W, b) on the case's data: what backward's dW and db are the gradient of."""
    return lambda p: ref.cross_entropy(ref.forward(case["X"], p["W"], p["b"])[0], case["Y"])


@spec.test("backward passes a numeric gradient check of J (central differences)", points=10,
           function="backward")
def backward_gradient_check(student, ref):
    table = GradientTable(GRADIENT_THRESHOLD)
    for case in cases(ref):
        try:
            grads = BACKWARD.of(student, case)
        except CheckFailed as failure:
            raise CheckFailed(f"with {on(case)}: {failure}") from None
        check_gradients(table, on(case), cost_at(ref, case), {"W": case["W"], "b": case["b"]},
                        grads, key=ref)
    return table.result()


# -------------------------------------------------------------------------------- update


@spec.test("update returns (W, b) with their shapes", points=3, function="update")
def update_shapes(student, ref):
    for_each(ref, UPDATE.shapes_check(student, ref))


@spec.test("update: W := W - learning_rate dW, b := b - learning_rate db", points=10,
           function="update")
def update_values(student, ref):
    for_each(ref, UPDATE.values_check(student, ref))
