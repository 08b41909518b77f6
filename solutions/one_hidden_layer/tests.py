"""Hidden tests for one_hidden_layer: which checks run, on which inputs, for how many points.

Every function is graded on inputs built with the reference (the backward tests get a
cache from the reference forward pass), so one mistake costs points once. Shapes have
n_x, n_h and m all different, so a transposed product cannot pass. Forward and backward
values are graded with one output unit (n_y = 1, the course's case); "works for any n_y"
is a check of its own (n_y = 2 exposes `*` written for a matrix product, and an assert
that fixes n_y to 1), so a function right for n_y = 1 only keeps most of its points.
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
    check_against_own,
    check_array,
    check_float,
    check_gradients,
    check_keys,
    check_numbers,
    check_shape,
    check_tuple,
    check_values,
    check_weight_scale,
    each_case,
    frozen,
    plots_wanted,
    raised_in_another_function,
    trains_with_own_steps,
)

spec = Spec(
    name="one_hidden_layer",
    student_file="backprop.py",
    title="One hidden layer: vectorized backpropagation",
    timeouts={"nn_model": 30.0},
)

PARAMS = ("W1", "b1", "W2", "b2")
GRADS = ("dW1", "db1", "dW2", "db2")
CACHE = ("Z1", "A1", "Z2", "A2")
SHAPES = [(3, 4, 1, 7), (5, 2, 1, 11), (2, 6, 2, 9)]  # (n_x, n_h, n_y, m)
COST_SHAPES = tuple(shape for shape in SHAPES if shape[2] == 1)
ONE_OUTPUT = COST_SHAPES  # where forward and backward values are graded
WIDE = next(shape for shape in SHAPES if shape[2] == 2)  # "works for any n_y"
GRADIENT_THRESHOLD = 1e-6
# nn_model runs whose cost the report plots: 0, 10 and 100 are graded runs already (remembered),
# the others cost 37 training iterations more per student
CURVE_ITERATIONS = (0, 2, 5, 10, 30, 100)
SMALL_WEIGHT = 0.1  # the largest initial weight randn * 0.01 is allowed to draw


def make_case(ref, n_x, n_h, n_y, m, seed):
    """Inputs and reference outputs for one network shape."""
    rng = np.random.default_rng(seed)
    params = {
        "W1": rng.standard_normal((n_h, n_x)) * 0.8,
        "b1": rng.standard_normal((n_h, 1)) * 0.5,
        "W2": rng.standard_normal((n_y, n_h)) * 0.8,
        "b2": rng.standard_normal((n_y, 1)) * 0.5,
    }
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((n_y, m)) > 0.5).astype(float)
    A2, cache = ref.forward_propagation(X, params)
    grads = ref.backward_propagation(params, cache, X, Y)
    return {"n_x": n_x, "n_h": n_h, "n_y": n_y, "m": m, "X": X, "Y": Y,
            "params": params, "cache": cache, "grads": grads}


@functools.cache
def cases(ref, shapes=tuple(SHAPES)):
    """The hidden inputs, built once per grading run (tests only read them)."""
    return frozen([make_case(ref, *shape, seed=100 + SHAPES.index(shape)) for shape in shapes])


def on(case):
    """Names the input in a failure message."""
    return f"n_x={case['n_x']}, n_h={case['n_h']}, n_y={case['n_y']}, m={case['m']}"


def for_each(ref, shapes, check):
    """Run ``check(case)`` on the cases of ``shapes``, naming the case that fails (a failed
    student call keeps its own message)."""
    each_case(cases(ref, tuple(shapes)), check, on, name_call_errors=False)


# ----------------------------------------------------------------- initialize_parameters


def initialized(student, n_x, n_h, n_y):
    params = student.initialize_parameters.with_seed(n_x * 100 + n_h)(n_x, n_h, n_y)
    return check_keys("initialize_parameters(...)", params, PARAMS)


def expected_shapes(n_x, n_h, n_y):
    return {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}


# n_y = 1, the course's case (the last: wide, so the weights' scale and sign are measured on
# thousands of draws); "works for any n_y" is a check of its own, so an initialisation that
# hard-codes one output unit keeps the points of the rest
INIT_SHAPES = [(n_x, n_h, n_y) for n_x, n_h, n_y, _ in ONE_OUTPUT] + [(400, 50, 1)]
INIT_ANY_N_Y = [(n_x, n_h, n_y) for n_x, n_h, n_y, _ in (WIDE,)] + [(8, 10, 6)]


def sizes(shape) -> str:
    n_x, n_h, n_y = shape
    return f"n_x={n_x}, n_h={n_h}, n_y={n_y}"


def init_shapes_check(student):
    def check(shape):
        params = initialized(student, *shape)
        for name, expected in expected_shapes(*shape).items():
            check_shape(f"{name} ({sizes(shape)})", params[name], expected)
    return check


def init_biases_check(student):
    def check(shape):
        params = initialized(student, *shape)
        for name in ("b1", "b2"):
            if np.any(check_array(name, params[name]) != 0):
                raise CheckFailed(f"{name} should be all zeros, it has nonzero entries")
    return check


def init_random_check(student):
    def check(shape):
        n_x, n_h, n_y = shape
        params = initialized(student, *shape)
        W1 = check_shape("W1", params["W1"], (n_h, n_x))
        W2 = check_shape("W2", params["W2"], (n_y, n_h))
        for name, W in (("W1", W1), ("W2", W2)):
            if not np.any(W):
                raise CheckFailed(f"{name} is all zeros: every hidden unit would compute the same "
                                  "thing forever; draw it with np.random.randn(...) * 0.01")
        if len({row.tobytes() for row in W1.astype(np.float64)}) < n_h:
            raise CheckFailed("two rows of W1 are equal, so those hidden units compute the same "
                              "function; draw every weight at random")
        # >= 50 draws centred on 0 share a sign with probability < 2^-49: randn, not rand
        for name, W in (("W1", W1), ("W2", W2)):
            if W.size >= 50 and (np.all(W >= 0) or np.all(W <= 0)):
                raise CheckFailed(f"every entry of {name} ({sizes(shape)}) has the same sign: "
                                  "draw the weights from a normal distribution centred on 0 "
                                  "with np.random.randn(...) * 0.01 (np.random.rand draws from "
                                  "[0, 1))")
    return check


def init_small_check(student):
    def check(shape):
        n_x, n_h, _ = shape
        params = initialized(student, *shape)
        for name, n_prev in (("W1", n_x), ("W2", n_h)):
            check_weight_scale(name, params[name], n_prev)
    return check


def init_checks(student):
    return [init_shapes_check(student), init_biases_check(student),
            init_random_check(student), init_small_check(student)]


def each_init(check):
    each_case(INIT_SHAPES, check, sizes, name_call_errors=False)


@spec.test("initialize_parameters returns W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1)",
           points=3, function="initialize_parameters")
def init_shapes(student, ref):
    each_init(init_shapes_check(student))


@spec.test("initialize_parameters sets the biases to zero", points=2,
           function="initialize_parameters")
def init_biases(student, ref):
    each_init(init_biases_check(student))


@spec.test("initialize_parameters draws random weights, so hidden units differ", points=2,
           function="initialize_parameters")
def init_random(student, ref):
    each_init(init_random_check(student))


@spec.test("initialize_parameters keeps the weights small (randn * 0.01; 1/sqrt(n_prev) and He "
           "scaling are as right)", points=2, function="initialize_parameters")
def init_small(student, ref):
    each_init(init_small_check(student))


@spec.test("initialize_parameters works for any n_y (n_y=2 and 6 output units), not only n_y=1",
           points=1, function="initialize_parameters")
def init_any_n_y(student, ref):
    works_for_any_n_y(ref, "initialize_parameters", init_checks(student), INIT_SHAPES,
                      INIT_ANY_N_Y, sizes)


# ------------------------------------------------------------------- forward_propagation


def forward(student, case):
    out = student.forward_propagation(case["X"], case["params"])
    A2, cache = check_tuple("forward_propagation", out, 2)
    cache = check_keys("the cache", cache, CACHE)
    return A2, cache


def forward_returns_check(student):
    def check(case):
        A2, cache = forward(student, case)
        check_numbers("the returned A2", A2)
        for name in CACHE:
            check_numbers(name, cache[name])
    return check


def forward_hidden_shapes_check(student):
    def check(case):
        _, cache = forward(student, case)
        for name in ("Z1", "A1"):
            check_shape(name, cache[name], (case["n_h"], case["m"]))
    return check


def forward_output_shapes_check(student):
    def check(case):
        A2, cache = forward(student, case)
        for name, value in (("Z2", cache["Z2"]), ("A2", cache["A2"]), ("the returned A2", A2)):
            check_shape(name, value, (case["n_y"], case["m"]))
    return check


def forward_Z1_check(student):
    return lambda case: check_values("Z1", forward(student, case)[1]["Z1"], case["cache"]["Z1"])


def forward_A1_check(student):
    def check(case):
        _, cache = forward(student, case)
        Z1 = check_shape("Z1 (needed to check A1)", cache["Z1"], (case["n_h"], case["m"]))
        check_values("A1", cache["A1"], np.tanh(Z1.astype(np.float64)))
    return check


def forward_Z2_check(student):
    def check(case):
        _, cache = forward(student, case)
        A1 = check_shape("A1 (needed to check Z2)", cache["A1"], (case["n_h"], case["m"]))
        W2, b2 = case["params"]["W2"], case["params"]["b2"]
        check_values("Z2", cache["Z2"], W2 @ A1.astype(np.float64) + b2)
    return check


def forward_A2_check(ref, student):
    def check(case):
        A2, cache = forward(student, case)
        Z2 = check_shape("Z2 (needed to check A2)", cache["Z2"], (case["n_y"], case["m"]))
        expected = ref.sigmoid(Z2.astype(np.float64))
        check_values("the cached A2", cache["A2"], expected)
        check_values("the returned A2", A2, expected)
    return check


def forward_checks(ref, student):
    return [forward_returns_check(student), forward_hidden_shapes_check(student),
            forward_output_shapes_check(student), forward_Z1_check(student),
            forward_A1_check(student), forward_Z2_check(student), forward_A2_check(ref, student)]


@spec.test("forward_propagation returns (A2, cache) with Z1, A1, Z2, A2 in the cache", points=2,
           function="forward_propagation")
def forward_returns(student, ref):
    for_each(ref, ONE_OUTPUT, forward_returns_check(student))


@spec.test("forward_propagation: Z1 and A1 have shape (n_h, m)", points=2,
           function="forward_propagation")
def forward_hidden_shapes(student, ref):
    for_each(ref, ONE_OUTPUT, forward_hidden_shapes_check(student))


@spec.test("forward_propagation: Z2 and A2 have shape (n_y, m)", points=2,
           function="forward_propagation")
def forward_output_shapes(student, ref):
    for_each(ref, ONE_OUTPUT, forward_output_shapes_check(student))


@spec.test("forward_propagation: Z1 = W1 X + b1", points=2, function="forward_propagation")
def forward_Z1(student, ref):
    for_each(ref, ONE_OUTPUT, forward_Z1_check(student))


@spec.test("forward_propagation: A1 = tanh(Z1)", points=2, function="forward_propagation")
def forward_A1(student, ref):
    for_each(ref, ONE_OUTPUT, forward_A1_check(student))


@spec.test("forward_propagation: Z2 = W2 A1 + b2", points=2, function="forward_propagation")
def forward_Z2(student, ref):
    for_each(ref, ONE_OUTPUT, forward_Z2_check(student))


@spec.test("forward_propagation: A2 = sigmoid(Z2), returned and cached", points=2,
           function="forward_propagation")
def forward_A2(student, ref):
    for_each(ref, ONE_OUTPUT, forward_A2_check(ref, student))


def works_for_any_n_y(ref, function: str, checks: list, narrow=None, wide=None,
                      describe=on) -> None:
    """Each check that passes with n_y = 1 (on the ``narrow`` cases) must pass with more
    output units (``wide``) as well. A check that already fails with n_y = 1 is charged by
    its own test, not again here; but when none passes with n_y = 1, there is nothing that
    works for any n_y yet. Cases are the hidden cases unless given."""
    narrow = cases(ref, ONE_OUTPUT) if narrow is None else narrow
    first_failure = None
    for check in checks:
        try:
            each_case(narrow, check, describe, name_call_errors=False)
        except (CheckFailed, StudentCallError) as failure:
            first_failure = first_failure or failure
            continue
        for case in cases(ref, (WIDE,)) if wide is None else wide:
            n_y = describe(case).split("n_y=")[1].split(",")[0]
            try:
                check(case)
            except StudentCallError as error:
                if raised_in_another_function(error, function):
                    continue  # that function's own check of any n_y charges it
                raise CheckFailed(f"with n_y={n_y} ({describe(case)}), {error}. It works with "
                                  "n_y=1, so only more output units break it: nothing in "
                                  f"{function} may assume n_y = 1 (an assert on a shape with 1 "
                                  "for n_y, `*` where a matrix product belongs)") from None
            except CheckFailed as failure:
                raise CheckFailed(f"with n_y={n_y} ({describe(case)}): {failure}. It is right "
                                  f"with n_y=1, so only more output units break it: nothing in "
                                  f"{function} may assume n_y = 1", failure.data) from None
    if first_failure is not None and all_failed(checks, narrow, describe):
        if isinstance(first_failure, StudentCallError) and first_failure.kind == "missing":
            raise first_failure  # no such function: said once, the same way everywhere
        raise CheckFailed(f"{first_failure} (no part of {function} works with n_y=1 yet, so "
                          "it cannot work for any n_y)") from None


def all_failed(checks: list, narrow, describe) -> bool:
    """Whether every check fails with n_y = 1 (their calls are remembered: no new ones)."""
    for check in checks:
        try:
            each_case(narrow, check, describe, name_call_errors=False)
        except (CheckFailed, StudentCallError):
            continue
        return False
    return True


@spec.test("forward_propagation works for any n_y (n_y=2 output units), not only n_y=1",
           points=6, function="forward_propagation")
def forward_any_n_y(student, ref):
    works_for_any_n_y(ref, "forward_propagation", forward_checks(ref, student))


# -------------------------------------------------------------------------- compute_cost


def cost_of(student, case):
    return student.compute_cost(case["cache"]["A2"], case["Y"])


def with_parameters(ref, A2, Y):
    """The course's older compute_cost(A2, Y, parameters): it gets the parameters of the
    hidden case A2 comes from (the reference's, which the cost does not depend on)."""
    case = next((case for case in cases(ref) if case["cache"]["A2"] is A2), cases(ref)[0])
    return (A2, Y, case["params"]), {}


spec.accept("compute_cost", "A2, Y, parameters", with_parameters)


@spec.test("compute_cost returns a float", points=2, function="compute_cost")
def cost_type(student, ref):
    for_each(ref, COST_SHAPES, lambda case: check_float("the cost", cost_of(student, case)))


@spec.test("compute_cost: J = -(1/m) sum(Y log A2 + (1 - Y) log(1 - A2))", points=8,
           function="compute_cost")
def cost_value(student, ref):
    def check(case):
        got = cost_of(student, case)
        value = got if isinstance(got, np.ndarray) else np.asarray(check_float("the cost", got))
        expected = ref.compute_cost(case["cache"]["A2"], case["Y"])
        check_values("the cost", value.reshape(()) if value.size == 1 else value,
                     np.asarray(expected), rtol=1e-6)
    for_each(ref, COST_SHAPES, check)


# ------------------------------------------------------------------ backward_propagation


BACKWARD = Outputs("backward_propagation", GRADS, returns="dict",
                   args=lambda case: (case["params"], case["cache"], case["X"], case["Y"]),
                   expected=lambda ref, case: case["grads"])


def gradients(student, case):
    return BACKWARD.of(student, case)


GRADIENT_VALUES = (("dW2", "(1/m) dZ2 A1^T", 3), ("db2", "(1/m) sum(dZ2, axis=1)", 3),
                   ("dW1", "(1/m) dZ1 X^T with dZ1 = W2^T dZ2 * (1 - A1^2)", 4),
                   ("db1", "(1/m) sum(dZ1, axis=1)", 4))


def backward_checks(ref, student):
    return [BACKWARD.returns_check(student), BACKWARD.shapes_check(student, ref, "dW1", "dW2"),
            BACKWARD.shapes_check(student, ref, "db1"), BACKWARD.shapes_check(student, ref, "db2"),
            *(BACKWARD.values_check(student, ref, name) for name, _, _ in GRADIENT_VALUES)]


@spec.test("backward_propagation returns dW1, db1, dW2, db2", points=1,
           function="backward_propagation")
def backward_returns(student, ref):
    for_each(ref, ONE_OUTPUT, BACKWARD.returns_check(student))


@spec.test("backward_propagation: dW1 is (n_h, n_x) and dW2 is (n_y, n_h)", points=1,
           function="backward_propagation")
def backward_weight_shapes(student, ref):
    for_each(ref, ONE_OUTPUT, BACKWARD.shapes_check(student, ref, "dW1", "dW2"))


@spec.test("backward_propagation: db1 has shape (n_h, 1)", points=2,
           function="backward_propagation")
def backward_db1_shape(student, ref):
    for_each(ref, ONE_OUTPUT, BACKWARD.shapes_check(student, ref, "db1"))


@spec.test("backward_propagation: db2 has shape (n_y, 1)", points=2,
           function="backward_propagation")
def backward_db2_shape(student, ref):
    for_each(ref, ONE_OUTPUT, BACKWARD.shapes_check(student, ref, "db2"))


def gradient_value_test(name, formula, points):
    @spec.test(f"backward_propagation: {name} = {formula}", points=points,
               function="backward_propagation", id=f"backward_{name}_value")
    def test(student, ref):
        for_each(ref, ONE_OUTPUT, BACKWARD.values_check(student, ref, name))


for _name, _formula, _points in GRADIENT_VALUES:
    gradient_value_test(_name, _formula, _points)


def cross_entropy(ref, params, X, Y):
    """The cost for any n_y (summed over output units); backward_propagation is its gradient."""
    A2, _ = ref.forward_propagation(X, params)
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / X.shape[1])


def cost_at(ref, case):
    return lambda params: cross_entropy(ref, params, case["X"], case["Y"])


@spec.test("backward_propagation passes a numeric gradient check (central differences)",
           points=8, function="backward_propagation")
def backward_gradient_check(student, ref):
    table = GradientTable(GRADIENT_THRESHOLD)
    for case in cases(ref, ONE_OUTPUT):  # the same cost and point for every submission: key=ref
        check_gradients(table, on(case), cost_at(ref, case), case["params"],
                        gradients(student, case), key=ref)
    return table.result()


@spec.test("backward_propagation works for any n_y (n_y=2 output units), not only n_y=1",
           points=2, function="backward_propagation")
def backward_any_n_y(student, ref):
    works_for_any_n_y(ref, "backward_propagation", backward_checks(ref, student))


# --------------------------------------------------------------------- update_parameters


def update_case(case, seed):
    rng = np.random.default_rng(seed)
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in case["params"].items()}
    return case["params"], grads


def updated(rate):
    """update_parameters' outputs, called with the default rate (None) or ``rate``."""
    return Outputs("update_parameters", PARAMS, returns="dict", args=lambda case: (
        *update_case(case, case["m"]), *(() if rate is None else (rate,))))


UPDATED = {None: updated(None), 0.1: updated(0.1)}


def check_update(student, ref, rate):
    for_each(ref, SHAPES, UPDATED[rate].matches_check(student, ref))


@spec.test("update_parameters returns W1, b1, W2, b2 with their shapes", points=2,
           function="update_parameters")
def update_shapes(student, ref):
    for_each(ref, SHAPES, UPDATED[0.1].shapes_check(student, ref))


@spec.test("update_parameters: W := W - learning_rate dW with the default rate 1.2", points=4,
           function="update_parameters")
def update_default_rate(student, ref):
    check_update(student, ref, None)


@spec.test("update_parameters uses the learning_rate it is given", points=4,
           function="update_parameters")
def update_given_rate(student, ref):
    check_update(student, ref, 0.1)


# ------------------------------------------------------------------------------- predict


def predict_shape_check(student):
    return lambda case: check_shape("the predictions", student.predict(case["params"], case["X"]),
                                    (case["n_y"], case["m"]))


def own_A2(student, case):
    """A2 as the student's own forward_propagation computes it."""
    return check_shape("A2", forward(student, case)[0], (case["n_y"], case["m"]))


def predict_values_check(student):
    def check(case):
        got = check_array("the predictions", student.predict(case["params"], case["X"]))
        if got.size == case["n_y"] * case["m"] and not np.isin(got, (0, 1)).all():
            raise CheckFailed("the predictions should be 0 or 1 only, got other values")
        # or against the student's own A2: a forward mistake is not charged twice
        check_against_own("the predictions", got, (case["cache"]["A2"] > 0.5).astype(float),
                          lambda: (own_A2(student, case) > 0.5).astype(float),
                          exact_shape=False)
    return check


@spec.test("predict returns a (1, m) array", points=3, function="predict")
def predict_shape(student, ref):
    for_each(ref, COST_SHAPES, predict_shape_check(student))


@spec.test("predict gives 1 where A2 > 0.5 and 0 elsewhere", points=4, function="predict")
def predict_values(student, ref):
    for_each(ref, COST_SHAPES, predict_values_check(student))


@spec.test("predict works for any n_y (n_y=2 output units: an (n_y, m) array), not only n_y=1",
           points=1, function="predict")
def predict_any_n_y(student, ref):
    works_for_any_n_y(ref, "predict", [predict_shape_check(student),
                                       predict_values_check(student)])


# ------------------------------------------------------------------------------ nn_model


ITERATIONS = 100  # enough for any working network on the blobs; zero or no training stays at 50%
DESCENT = (0, 10, ITERATIONS)  # nn_model runs whose costs must fall: it trains, not solves
STALLED = 1e-6  # how much a converged run's cost may wobble at its floor
UNTRAINED_BIAS = 1e-3  # |b| after 0 iterations; a loop that runs once more stays below it


def blobs(m=80, seed=7):
    """Two well separated Gaussian blobs in the plane: a data set any working net learns."""
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2).reshape(1, m).astype(float)
    centers = np.where(Y == 1, 1.0, -1.0) * np.array([[1.5], [1.0]])
    return centers + 0.6 * rng.standard_normal((2, m)), Y


def broken_parts(student, ref):
    """The functions nn_model relies on that already failed their own shape checks."""
    case = cases(ref)[0]
    broken = []
    for name, run in (("forward_propagation", lambda: forward(student, case)),
                      ("backward_propagation", lambda: [
                          check_shape(g, gradients(student, case)[g], case["grads"][g].shape)
                          for g in GRADS]),
                      ("update_parameters", lambda: check_update(student, ref, None))):
        try:
            run()
        except (CheckFailed, StudentCallError) as failure:
            broken.append(f"{name} ({str(failure)[:200]})")
    return broken


def trained(student, ref):
    X, Y = blobs()
    try:
        params = student.nn_model.with_seed(3)(X, Y, 4, num_iterations=ITERATIONS)
        params = check_keys("nn_model(...)", params, PARAMS)
        for name, shape in expected_shapes(2, 4, 1).items():
            check_shape(f"the trained {name}", params[name], shape)
    except (CheckFailed, StudentCallError) as failure:
        broken = broken_parts(student, ref)
        if not broken:
            raise
        raise CheckFailed(f"{failure}. nn_model runs your own functions, and these fail their "
                          f"checks: {'; '.join(broken)}. Fix them first.") from None
    return X, Y, params


def nn_model_after(student, X, Y, iterations: int) -> dict:
    """nn_model's parameters after ``iterations`` (same seed as the graded run), as floats."""
    name = f"nn_model(..., num_iterations={iterations})"
    params = check_keys(name, student.nn_model.with_seed(3)(X, Y, 4, num_iterations=iterations),
                        PARAMS)
    return {key: check_shape(f"{key} of {name}", params[key], shape).astype(np.float64)
            for key, shape in expected_shapes(2, 4, 1).items()}


def weight_bound(student) -> float:
    """How large nn_model's starting weights may be: ten times what the student's own
    initialize_parameters draws (so a mistake there is not charged again here), and never
    less than the lecture's small weights allow."""
    try:
        own = initialized(student, 2, 4, 1)
        drawn = max(float(np.max(np.abs(check_shape(name, own[name], shape))))
                    for name, shape in expected_shapes(2, 4, 1).items() if name[0] == "W")
    except (CheckFailed, StudentCallError):
        drawn = 0.0
    return max(SMALL_WEIGHT, 10 * drawn)


def starts_untrained(student, X, Y) -> None:
    """With num_iterations=0, nn_model returns where its gradient descent starts: an
    initialisation (small weights, zero biases), not a network that already fits the data."""
    params = nn_model_after(student, X, Y, 0)
    for name in ("b1", "b2"):
        if np.max(np.abs(params[name])) > UNTRAINED_BIAS:
            raise CheckFailed(f"with num_iterations=0, nn_model should return its initial "
                              f"parameters, with zero biases; {name} has an entry of size "
                              f"{np.max(np.abs(params[name])):.3g}")
    bound = weight_bound(student)
    for name in ("W1", "W2"):
        if np.max(np.abs(params[name])) > bound:
            raise CheckFailed(f"with num_iterations=0, nn_model should return its initial "
                              f"parameters, small random weights as initialize_parameters "
                              f"draws them; {name} has an entry of size "
                              f"{np.max(np.abs(params[name])):.3g}")


@spec.test("nn_model returns parameters of the right shapes, and with num_iterations=0 its "
           "initial ones (small weights, zero biases)", points=4, function="nn_model")
def nn_model_shapes(student, ref):
    X, Y = blobs()
    try:
        trained(student, ref)
        starts_untrained(student, X, Y)
    except (CheckFailed, StudentCallError):
        if runs_own_steps(student, ref, X, Y):
            return {"note": OWN_STEPS_NOTE}
        raise


OWN_STEPS_NOTE = ("nn_model runs your own functions right; the mistakes in them are charged "
                  "to them")
OWN_STEPS = 3  # iterations of nn_model compared with as many of the student's own steps
WIDE_ITERATIONS = 10  # nn_model with n_y = 2: only the shapes it returns are judged


def nn_model_raw(student, X, Y, iterations: int) -> dict:
    """nn_model's parameters after ``iterations`` as floats, whatever their shapes."""
    name = f"nn_model(..., num_iterations={iterations})"
    params = check_keys(name, student.nn_model.with_seed(3)(X, Y, 4, num_iterations=iterations),
                        PARAMS)
    return {key: check_array(f"{key} of {name}", value).astype(np.float64)
            for key, value in params.items()}


def own_descent(student, X, Y, params: dict, steps: int) -> dict:
    """``steps`` iterations of the student's own forward_propagation, compute_cost (the
    course's loop computes the cost every iteration), backward_propagation and
    update_parameters (its default rate, as nn_model calls it), each called by the grader."""
    for _ in range(steps):
        A2, cache = check_tuple("forward_propagation", student.forward_propagation(X, params), 2)
        student.compute_cost(A2, Y)
        grads = student.backward_propagation(params, cache, X, Y)
        params = check_keys("update_parameters(...)", student.update_parameters(params, grads),
                            PARAMS)
        params = {k: check_array(k, v).astype(np.float64) for k, v in params.items()}
    return params


def ref_descent(ref, X, Y, params: dict, steps: int) -> dict:
    for _ in range(steps):
        A2, cache = ref.forward_propagation(X, params)
        params = ref.update_parameters(params, ref.backward_propagation(params, cache, X, Y))
    return params


def runs_own_steps(student, ref, X, Y) -> bool:
    """Whether nn_model is gradient descent with the student's own faulty functions (its
    first iterations are theirs, called one by one, and those are not the reference's), or
    raises where they raise: then it is not charged for what they get wrong."""
    return trains_with_own_steps(
        "nn_model", lambda: nn_model_raw(student, X, Y, 0),
        lambda: nn_model_raw(student, X, Y, OWN_STEPS),
        lambda start: own_descent(student, X, Y, start, OWN_STEPS),
        lambda start: ref_descent(ref, X, Y, start, OWN_STEPS),
        own_start=lambda: student.initialize_parameters.with_seed(3)(2, 4, 1))


def plain(array) -> list:
    """Nested lists of floats for a report, with None where the value is not finite."""
    values = np.asarray(array, dtype=np.float64)
    out = values.astype(object)
    out[~np.isfinite(values)] = None
    return out.tolist()


def training_curve(student, ref, X, Y) -> list[dict]:
    """The reference cost of the student's own nn_model after a few iteration counts.

    Same seed, so every call starts from the same initial weights; the last call is the
    graded one (remembered by the session, not run again). Calls that fail are left out.
    """
    curve = []
    for iterations in CURVE_ITERATIONS:
        try:
            params = check_keys("nn_model(...)", student.nn_model.with_seed(3)(
                X, Y, 4, num_iterations=iterations), PARAMS)
            params = {name: check_shape(name, params[name], shape).astype(np.float64)
                      for name, shape in expected_shapes(2, 4, 1).items()}
        except (CheckFailed, StudentCallError):
            continue
        with np.errstate(all="ignore"):
            cost = cross_entropy(ref, params, X, Y)
        curve.append({"iteration": iterations, "cost": cost if np.isfinite(cost) else None})
    return curve


def training_report(student, ref, X, Y, params) -> dict:
    """Plain data the report plots: the data set, the trained network, its cost curve.

    Built after the verdict, and never allowed to change it.
    """
    try:
        return {"training": {
            "X": plain(X), "Y": plain(Y), "hidden_activation": "tanh",
            "params": {name: plain(value) for name, value in params.items()},
            "cost_curve": training_curve(student, ref, X, Y)}}
    except Exception as exc:  # a report extra must never turn a verdict into an error
        return {"training_error": f"{type(exc).__name__}: {exc}"[:300]}


@spec.test("nn_model learns a separable data set by gradient descent: its cost falls with more "
           "iterations, to below 0.1 (accuracy >= 90%)", points=7, function="nn_model")
def nn_model_learns(student, ref):
    X, Y = blobs()
    try:
        return learns(student, ref)
    except (CheckFailed, StudentCallError) as failure:
        if runs_own_steps(student, ref, X, Y):
            return {**getattr(failure, "data", {}),
                    "note": "nn_model runs your own functions right; the mistakes that stop it "
                            "learning are charged to them"}
        raise


@spec.test("nn_model works for any n_y (Y with 2 rows: W2 (2, n_h), b2 (2, 1)), not only n_y=1",
           points=1, function="nn_model")
def nn_model_any_n_y(student, ref):
    X, Y = blobs()
    failures = []
    for works in (lambda: starts_untrained(student, *trained(student, ref)[:2]),
                  lambda: learns(student, ref)):
        try:
            works()
            break
        except (CheckFailed, StudentCallError) as failure:
            failures.append(failure)
    else:  # neither nn_model check passes with n_y = 1
        if runs_own_steps(student, ref, X, Y):
            return {"note": OWN_STEPS_NOTE}
        if isinstance(failures[0], StudentCallError) and failures[0].kind == "missing":
            raise failures[0]
        raise CheckFailed(f"{failures[0]} (nn_model does not work with n_y=1 yet, so it cannot "
                          "work for any n_y)") from None
    Y2 = np.vstack([Y, 1 - Y])  # two output units: the class and its complement
    wide = f"with n_y=2 (Y of shape {Y2.shape})"
    try:
        params = check_keys("nn_model(...)", student.nn_model.with_seed(3)(
            X, Y2, 4, num_iterations=WIDE_ITERATIONS), PARAMS)
        for name, shape in expected_shapes(2, 4, 2).items():
            check_shape(f"the trained {name}", params[name], shape)
    except StudentCallError as error:
        if raised_in_another_function(error, "nn_model"):  # e.g. forward's n_y = 1 assert
            return {"note": f"{wide}, nn_model stops in another of your functions; that one's "
                            "checks of any n_y charge it"}
        raise CheckFailed(f"{wide}, {error}. It works with n_y=1, so only more output units "
                          "break it: nothing in nn_model may assume n_y = 1") from None
    except CheckFailed as failure:
        try:  # the student's own initialize_parameters fixes n_y = 1: charged there
            init_shapes_check(student)((2, 4, 2))
        except (CheckFailed, StudentCallError):
            return {"note": f"{wide}, your initialize_parameters gives the wrong shapes, "
                            "charged there"}
        raise CheckFailed(f"{wide}: {failure}. It is right with n_y=1, so only more output "
                          "units break it: n_y is Y.shape[0]") from None


def learns(student, ref) -> dict:
    # accuracy alone is not enough: tiny random weights sometimes separate the blobs untrained
    X, Y, params = trained(student, ref)
    params = {k: v.astype(np.float64) for k, v in params.items()}
    with np.errstate(all="ignore"):
        accuracy = float(np.mean(ref.predict(params, X) == Y))
        cost = cross_entropy(ref, params, X, Y)
    data = {"accuracy": accuracy, "cost": cost, "training": {"drawn": False}}
    if plots_wanted(student):  # five more training runs, only for the report's plots
        data.update(training_report(student, ref, X, Y, params))
    if not (cost < 0.1 and accuracy >= 0.9):
        raise CheckFailed(f"after {ITERATIONS} iterations on two separable blobs the training "
                          f"cost is {cost:.3g} and the accuracy {accuracy:.0%}; a working network "
                          f"gets the cost from ln 2 = 0.693 to below 0.01 and reaches 100%", data)
    descends(student, ref, X, Y, cost, data)
    return data


def descends(student, ref, X, Y, final_cost: float, data: dict) -> None:
    """More iterations give other parameters and a lower cost (the grader's own cross-entropy
    of what nn_model returns): the parameters come from gradient descent, not a formula."""
    costs = []
    for iterations in DESCENT[:-1]:
        params = nn_model_after(student, X, Y, iterations)
        with np.errstate(all="ignore"):
            costs.append(cross_entropy(ref, params, X, Y))
    costs.append(final_cost)
    data["descent"] = [{"iteration": n, "cost": c if np.isfinite(c) else None}
                       for n, c in zip(DESCENT, costs, strict=True)]
    start, early, final = costs
    # from the start it must fall; later it may stall where the cost cannot get any lower
    if not (start > early and final <= early + STALLED):
        runs = ", ".join(f"{c:.3g} after {n}" for n, c in zip(DESCENT, costs, strict=True))
        raise CheckFailed(f"nn_model does not descend: the training cost is {runs} iterations; "
                          "gradient descent (forward, backward, update) lowers it with "
                          "more iterations, starting near ln 2 = 0.693 at num_iterations=0",
                          data)
