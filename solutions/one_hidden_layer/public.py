"""Public self-checks for one_hidden_layer: shapes and types on random inputs, and the
student's backward_propagation against central differences of the student's own
forward_propagation and compute_cost. Nothing here knows the right values."""

from __future__ import annotations

import numpy as np

from grader.public import (
    CheckFailed,
    PublicChecks,
    StudentCallError,
    check_array,
    check_float,
    check_keys,
    check_shape,
    check_tuple,
    check_weight_scale,
    fails_if_wrong,
    gradient_table,
    raised_in_another_function,
)

checks = PublicChecks(
    name="one_hidden_layer",
    student_file="backprop.py",
    functions=["initialize_parameters", "forward_propagation", "compute_cost",
               "backward_propagation", "update_parameters", "nn_model", "predict"],
    timeouts={"nn_model": 30.0},
)

PARAMS = ("W1", "b1", "W2", "b2")
GRADS = ("dW1", "db1", "dW2", "db2")
SHAPES = [(3, 4, 1, 5), (2, 3, 2, 6)]  # (n_x, n_h, n_y, m): all sizes differ


def shapes_of(n_x, n_h, n_y):
    return {"W1": (n_h, n_x), "b1": (n_h, 1), "W2": (n_y, n_h), "b2": (n_y, 1)}


def random_case(n_x, n_h, n_y, m, seed=0):
    rng = np.random.default_rng(seed)
    params = {name: rng.standard_normal(shape) * 0.8
              for name, shape in shapes_of(n_x, n_h, n_y).items()}
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((n_y, m)) > 0.5).astype(float)
    return params, X, Y


def with_parameters(ref, A2, Y):
    """The course's older compute_cost(A2, Y, parameters), accepted as `grade` accepts it:
    it gets parameters of A2's output size (the cost does not depend on them)."""
    n_y = np.shape(A2)[0] if np.ndim(A2) else 1
    return (A2, Y, {name: np.zeros(shape) for name, shape in shapes_of(1, 1, n_y).items()}), {}


checks.accept("compute_cost", "A2, Y, parameters", with_parameters)


def named(shape):
    n_x, n_h, n_y, m = shape
    return f"with n_x={n_x}, n_h={n_h}, n_y={n_y}, m={m}: "


def for_each_shape(check, shapes=SHAPES):
    for shape in shapes:
        try:
            check(*shape)
        except CheckFailed as failure:
            raise CheckFailed(named(shape) + str(failure), failure.data) from None


def forward(student, X, params):
    A2, cache = check_tuple("forward_propagation", student.forward_propagation(X, params), 2)
    return A2, check_keys("the cache", cache, ("Z1", "A1", "Z2", "A2"))


@checks.check("returns W1, b1, W2, b2 of the right shapes; zero biases, small random weights",
              function="initialize_parameters")
def init(student):
    def check(n_x, n_h, n_y, m):
        params = check_keys("initialize_parameters(...)",
                            student.initialize_parameters(n_x, n_h, n_y), PARAMS)
        for name, shape in shapes_of(n_x, n_h, n_y).items():
            check_shape(name, params[name], shape)
        for name in ("b1", "b2"):
            if np.any(params[name] != 0):
                raise CheckFailed(f"{name} should be all zeros")
        for name, n_prev in (("W1", n_x), ("W2", n_h)):
            if not np.any(params[name]):
                raise CheckFailed(f"{name} should be small random numbers (randn * 0.01)")
            check_weight_scale(name, params[name], n_prev)
    for_each_shape(check)


@checks.check("returns (A2, cache); Z1, A1 are (n_h, m), Z2, A2 are (n_y, m)",
              function="forward_propagation")
def forward_shapes(student):
    def check(n_x, n_h, n_y, m):
        params, X, _ = random_case(n_x, n_h, n_y, m)
        A2, cache = forward(student, X, params)
        for name, value in (("Z1", cache["Z1"]), ("A1", cache["A1"])):
            check_shape(name, value, (n_h, m))
        for name, value in (("Z2", cache["Z2"]), ("A2", cache["A2"]), ("the returned A2", A2)):
            check_shape(name, value, (n_y, m))
        if not np.all((A2 > 0) & (A2 < 1)):
            raise CheckFailed("A2 should be probabilities strictly between 0 and 1 (a sigmoid)")
    for_each_shape(check)


@checks.check("returns a positive float", function="compute_cost")
def cost(student):
    def check(n_x, n_h, n_y, m):
        rng = np.random.default_rng(m)
        A2 = rng.uniform(0.05, 0.95, (1, m))
        Y = (rng.random((1, m)) > 0.5).astype(float)
        value = check_float("the cost", student.compute_cost(A2, Y))
        if not np.isfinite(value) or value <= 0:
            raise CheckFailed(f"the cost is {value}: cross-entropy is positive when A2 is "
                              "strictly between 0 and 1")
    for_each_shape(check, [shape for shape in SHAPES if shape[2] == 1])


def gradients(student, params, X, Y):
    _, cache = forward(student, X, params)
    return check_keys("backward_propagation(...)",
                      student.backward_propagation(params, cache, X, Y), GRADS)


@checks.check("returns dW1, db1, dW2, db2, each the shape of its parameter",
              function="backward_propagation")
def backward_shapes(student):
    def check(n_x, n_h, n_y, m):
        params, X, Y = random_case(n_x, n_h, n_y, m)
        grads = gradients(student, params, X, Y)
        for name, shape in shapes_of(n_x, n_h, n_y).items():
            check_shape("d" + name, grads["d" + name], shape)
    for_each_shape(check)


@checks.check("agrees with central differences of your forward_propagation and compute_cost",
              function="backward_propagation")
def backward_gradient_check(student):
    shape = SHAPES[0]  # compute_cost is defined for n_y = 1
    params, X, Y = random_case(*shape, seed=1)
    grads = gradients(student, params, X, Y)

    def cost_now():
        A2, _ = forward(student, X, params)
        return check_float("the cost", student.compute_cost(A2, Y))

    try:
        return fails_if_wrong(gradient_table(cost_now, params, grads, PARAMS), "cost",
                              named(shape))
    except CheckFailed:
        rows = gradient_table(lambda: course_cost(forward(student, X, params)[0], Y),
                              params, grads, PARAMS)
        if any(row["verdict"] == "wrong" for row in rows) or own_cost_is_the_course_cost(
                student, params, X, Y):
            raise
        return {"gradient_check": rows,
                "note": "your compute_cost is not the course's cross-entropy J = -(1/m) Σ "
                        "(Y log A2 + (1 - Y) log(1 - A2)); against that cost your gradients "
                        "agree: fix compute_cost"}


def course_cost(A2, Y) -> float:
    """The lecture's cross-entropy (public: it is in the course), for a gradient check that
    does not charge backward_propagation for a mistake in the student's compute_cost."""
    A2 = check_array("A2", A2).astype(np.float64)
    return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / Y.shape[1])


def own_cost_is_the_course_cost(student, params, X, Y) -> bool:
    try:
        A2, _ = forward(student, X, params)
        return bool(np.isclose(check_float("the cost", student.compute_cost(A2, Y)),
                               course_cost(A2, Y), rtol=1e-6, atol=1e-9))
    except (CheckFailed, StudentCallError):
        return False


@checks.check("returns W1, b1, W2, b2 with their shapes", function="update_parameters")
def update(student):
    def check(n_x, n_h, n_y, m):
        params, _, _ = random_case(n_x, n_h, n_y, m)
        grads = {"d" + name: np.ones_like(value) for name, value in params.items()}
        new = check_keys("update_parameters(...)", student.update_parameters(params, grads, 0.5),
                         PARAMS)
        for name, value in params.items():
            check_shape(name, new[name], value.shape)
    for_each_shape(check)


def own_steps_change_shape(student, params, X, Y, name) -> bool:
    """Whether the student's own backward_propagation and update_parameters, answering,
    give parameter ``name`` a wrong shape (their checks say so; nn_model is not charged).
    Steps that raise tell nothing here: a stub's nn_model stays charged."""
    try:
        new = student.update_parameters(params, gradients(student, params, X, Y), 1.2)
        return np.shape(check_keys("update_parameters(...)", new, PARAMS)[name]) \
            != np.shape(params[name])
    except (CheckFailed, StudentCallError):
        return False


def own_steps_raise(student, params, X, Y, failure) -> bool:
    """Whether nn_model raised inside another of the student's functions, and their own
    backward_propagation and update_parameters raise when called one by one (a transposed
    dW1 that update_parameters cannot subtract): charged to those steps' checks. An
    nn_model that raises in its own code stays charged."""
    if not (isinstance(failure, StudentCallError)
            and raised_in_another_function(failure, "nn_model")):
        return False
    try:
        student.update_parameters(params, gradients(student, params, X, Y), 1.2)
    except StudentCallError as error:
        return error.kind == "exception"
    except CheckFailed:
        return False
    return False


@checks.check("returns trained W1, b1, W2, b2 of the right shapes", function="nn_model")
def model(student):
    params, X, Y = random_case(2, 3, 1, 8)
    try:
        trained = check_keys("nn_model(...)", student.nn_model(X, Y, 3, num_iterations=20),
                             PARAMS)
        for name, shape in shapes_of(2, 3, 1).items():
            check_shape(f"the trained {name}", trained[name], shape)
    except (CheckFailed, StudentCallError) as failure:
        if own_steps_raise(student, params, X, Y, failure):
            return {"note": "not counted against nn_model: it runs your steps, and your own "
                            "backward_propagation and update_parameters raise when called "
                            "one after the other; fixing their checks fixes this one"}
        changed = [name for name in PARAMS
                   if own_steps_change_shape(student, params, X, Y, name)]
        if not changed:
            raise
        return {"note": f"not counted against nn_model: it runs your steps, and because your "
                        f"own backward_propagation or update_parameters give "
                        f"{', '.join(changed)} a wrong shape, it cannot train; fixing their "
                        "checks fixes this one"}


@checks.check("returns a (1, m) array of 0 and 1", function="predict")
def predict(student):
    params, X, _ = random_case(3, 4, 1, 7)
    got = check_shape("the predictions", student.predict(params, X), (1, 7))
    if not np.isin(check_array("the predictions", got), (0, 1)).all():
        raise CheckFailed("the predictions should be 0 or 1 only")
