"""Public self-checks for gradient_descent: types and lengths, a slope of a function whose
derivative everyone knows, and the student's logistic_gradients against central differences
of the student's own logistic_forward and logistic_cost. Nothing here knows a hidden value."""

from __future__ import annotations

import numpy as np

from grader.public import (
    CheckFailed,
    Function,
    PublicChecks,
    check_array,
    check_float,
    check_shape,
    check_tuple,
    fails_if_wrong,
    gradient_table,
)

checks = PublicChecks(
    name="gradient_descent",
    student_file="gradient_descent.py",
    functions=["numerical_slope", "abs_slope", "descend", "chain_slope", "logistic_forward",
               "logistic_cost", "logistic_gradients"],
)

CUBE = Function("lambda x: x ** 3")  # slope 3x²: 12 at x = 2
N, M = 3, 5  # features, examples


def logistic_case(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, M))
    w = rng.standard_normal((N, 1)) * 0.5
    Y = (rng.random((1, M)) > 0.5).astype(float)
    return X, w, 0.3, Y


@checks.check("the slope of x³ at 2 is 12 (central difference)", function="numerical_slope")
def slope(student):
    value = check_float("numerical_slope(x³, 2)", student.numerical_slope(CUBE, 2.0))
    if abs(value - 12.0) > 1e-6:  # a central difference is off by ~h², a forward one by ~3h
        raise CheckFailed(f"numerical_slope of x³ at 2 gave {value:.8g}; the slope is 12 "
                          "(use (f(x + h) - f(x - h)) / 2h)")


@checks.check("returns a float for x < 0, x > 0 and x = 0", function="abs_slope")
def abs_slope(student):
    for x in (-2.0, 3.0, 0.0):
        check_float(f"abs_slope({x:g})", student.abs_slope(x))


@checks.check("returns the steps + 1 iterates, starting at x0", function="descend")
def descend(student):
    xs = student.descend(Function("lambda x: 2 * x"), 1.0, 0.1, 3)
    if not isinstance(xs, list) or len(xs) != 4:
        raise CheckFailed("descend(slope, 1.0, 0.1, 3) should return a list of 4 iterates "
                          "(x0 and one per step)")
    if check_float("the first iterate", xs[0]) != 1.0:
        raise CheckFailed("the first iterate should be x0")
    for i, x in enumerate(xs):
        check_float(f"iterate {i}", x)


@checks.check("returns a float", function="chain_slope")
def chain_slope(student):
    check_float("chain_slope([2.0, 3.0])", student.chain_slope([2.0, 3.0]))


@checks.check("returns A of shape (1, m), probabilities", function="logistic_forward")
def forward(student):
    X, w, b, _ = logistic_case()
    A = check_shape("A", student.logistic_forward(X, w, b), (1, M))
    if not np.all((A > 0) & (A < 1)):
        raise CheckFailed("A should be strictly between 0 and 1 (a sigmoid)")


@checks.check("returns a positive float", function="logistic_cost")
def cost(student):
    rng = np.random.default_rng(1)
    A, Y = rng.uniform(0.05, 0.95, (1, M)), (rng.random((1, M)) > 0.5).astype(float)
    if not check_float("the cost", student.logistic_cost(A, Y)) > 0:
        raise CheckFailed("the logistic cost is positive when A is strictly between 0 and 1")


@checks.check("dw is (n, 1), db a float; they agree with central differences of your cost",
              function="logistic_gradients")
def gradients(student):
    X, w, b, Y = logistic_case(2)
    A = check_array("A", student.logistic_forward(X, w, b))
    dw, db = check_tuple("logistic_gradients", student.logistic_gradients(X, A, Y), 2)
    check_shape("dw", dw, (N, 1))
    params = {"w": w.copy(), "b": np.array(b)}

    def cost_now():
        A = student.logistic_forward(X, params["w"], float(params["b"]))
        return check_float("the cost", student.logistic_cost(A, Y))

    grads = {"dw": dw, "db": np.array(check_float("db", db))}
    return fails_if_wrong(gradient_table(cost_now, params, grads, ("w", "b")), "logistic_cost")
