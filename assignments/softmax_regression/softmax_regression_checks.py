# Public self-checks of softmax_regression, written by `grade release` from its public.py.
# Keep this file beside your softmax_regression.py: `grade check softmax_regression.py` runs it.
# It holds no hidden value.
"""Public self-checks for softmax_regression: shapes, columns that sum to 1, stability for
scores near ±1000 or 1000 apart, and the student's backward against central differences of
the student's own forward and cross_entropy. Nothing here knows a hidden value."""

from __future__ import annotations

import numpy as np

from grader.public import (
    CheckFailed,
    PublicChecks,
    check_array,
    check_float,
    check_shape,
    check_tuple,
    fails_if_wrong,
    gradient_table,
)

checks = PublicChecks(
    name="softmax_regression",
    student_file="softmax_regression.py",
    functions=["softmax", "forward", "cross_entropy", "backward", "update"],
)

N_X, N_Y, M = 3, 4, 5  # features, classes, examples


def case(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_X, M))
    W = rng.standard_normal((N_Y, N_X)) * 0.5
    b = rng.standard_normal((N_Y, 1)) * 0.5
    Y = np.eye(N_Y)[:, rng.integers(0, N_Y, M)]
    return X, W, b, Y


@checks.check("A has the shape of Z and each column sums to 1", function="softmax")
def softmax(student):
    Z = np.random.default_rng(1).standard_normal((N_Y, M))
    A = check_shape("A", student.softmax(Z), (N_Y, M))
    if not np.allclose(A.sum(axis=0), 1):
        raise CheckFailed("every column of A should sum to 1 (softmax runs over axis=0)")


@checks.check("scores near ±1000, or 1000 apart, give no NaN or inf", function="softmax")
def softmax_stable(student):
    Z = np.random.default_rng(2).standard_normal((N_Y, M))
    for label, scores in (("Z + 1000", Z + 1000), ("Z - 1000", Z - 1000), ("500 Z", 500 * Z)):
        A = check_array(f"softmax({label})", student.softmax(scores))
        if not np.all(np.isfinite(A)):
            raise CheckFailed(f"softmax({label}) has NaN or inf: subtract each column's max "
                              "before np.exp")


@checks.check("returns (A, cache): A (n_y, m), the cache a dict with X, Z, A", function="forward")
def forward(student):
    X, W, b, _ = case()
    A, cache = check_tuple("forward", student.forward(X, W, b), 2)
    check_shape("A", A, (N_Y, M))
    if not isinstance(cache, dict) or not {"X", "Z", "A"} <= set(cache):
        raise CheckFailed('the cache should be a dict with keys "X", "Z", "A"')


@checks.check("returns a positive float", function="cross_entropy")
def cost(student):
    X, W, b, Y = case()
    A = np.exp(W @ X + b)
    A = A / A.sum(axis=0, keepdims=True)
    if not check_float("the cost", student.cross_entropy(A, Y)) > 0:
        raise CheckFailed("the cross-entropy is positive when every A is below 1")


@checks.check("dW (n_y, n_x), db (n_y, 1); they agree with central differences of your cost",
              function="backward")
def gradients(student):
    X, W, b, Y = case(3)
    _, cache = check_tuple("forward", student.forward(X, W, b), 2)
    dW, db = check_tuple("backward", student.backward(cache, Y), 2)
    check_shape("dW", dW, (N_Y, N_X))
    check_shape("db", db, (N_Y, 1))
    params = {"W": W.copy(), "b": b.copy()}

    def cost_now():
        A, _ = check_tuple("forward", student.forward(X, params["W"], params["b"]), 2)
        return check_float("the cost", student.cross_entropy(A, Y))

    return fails_if_wrong(gradient_table(cost_now, params, {"dW": dW, "db": db}, ("W", "b")),
                          "forward and cross_entropy")


@checks.check("returns (W, b) with their shapes", function="update")
def update(student):
    X, W, b, _ = case()
    W2, b2 = check_tuple("update", student.update(W, b, W, b, 0.1), 2)
    check_shape("W", W2, W.shape)
    check_shape("b", b2, b.shape)

# Added by `grade release`: the exercise as the hidden spec knows it.
checks.released(**{'name': 'softmax_regression',
 'student_file': 'softmax_regression.py',
 'functions': ['softmax', 'forward', 'cross_entropy', 'backward', 'update'],
 'points': {'softmax': 26,
            'forward': 18,
            'cross_entropy': 11,
            'backward': 32,
            'update': 13},
 'timeouts': {},
 'provided': ()})
