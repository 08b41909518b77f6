"""Public self-checks for chain_rule: shapes of activations and gradients, and the student's
derivatives against central differences of the student's own cost of the student's own
feedforward. Nothing here knows a hidden value."""

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
    name="chain_rule",
    student_file="chain_rule.py",
    functions=["sigmoid", "sigmoid_prime", "cost", "dC_da", "dC_dw", "dC_db", "dC_da_prev",
               "feedforward", "backprop", "average_gradient", "gradient_descent_step"],
)

SIZES = (2, 3, 1)  # n_0, n_1, n_2: no square w, so a missing transpose shows
A_PREV, W, B, Y = 0.6, -1.2, 0.3, 1.0  # one neuron per layer


def network(seed=0):
    rng = np.random.default_rng(seed)
    pairs = zip(SIZES[:-1], SIZES[1:], strict=True)
    weights = [rng.standard_normal((rows, cols)) for cols, rows in pairs]
    biases = [rng.standard_normal((rows, 1)) for rows in SIZES[1:]]
    x, y = rng.standard_normal((SIZES[0], 1)), rng.random((SIZES[-1], 1))
    return x, y, weights, biases


@checks.check("keeps the shape of z", function="sigmoid")
def sigmoid(student):
    check_shape("sigmoid(z)", student.sigmoid(np.zeros((3, 1))), (3, 1))


@checks.check("keeps the shape of z", function="sigmoid_prime")
def sigmoid_prime(student):
    check_shape("sigmoid_prime(z)", student.sigmoid_prime(np.zeros((3, 1))), (3, 1))


@checks.check("returns a number", function="cost")
def cost(student):
    check_float("cost(a_L, y)", student.cost(np.full((2, 1), 0.3), np.ones((2, 1))))


@checks.check("keeps the shape of a_L", function="dC_da")
def dC_da(student):
    check_shape("dC_da(a_L, y)", student.dC_da(np.full((2, 1), 0.3), np.ones((2, 1))), (2, 1))


def scalar_check(student, function, wrt):
    """One neuron per layer: dC0/d(wrt) against a central difference of your cost."""
    got = check_float(f"{function}(...)", getattr(student, function)(A_PREV, W, B, Y))
    point = {"a_prev": np.array(A_PREV), "w": np.array(W), "b": np.array(B)}

    def cost_now():
        z = float(point["w"]) * float(point["a_prev"]) + float(point["b"])
        a = check_array("sigmoid(z)", student.sigmoid(np.array([[z]])))
        return check_float("the cost", student.cost(a, np.array([[Y]])))

    return fails_if_wrong(gradient_table(cost_now, point, {"d" + wrt: np.array(got)}, (wrt,)),
                          "cost of your sigmoid")


for _function, _wrt in (("dC_dw", "w"), ("dC_db", "b"), ("dC_da_prev", "a_prev")):
    checks.check(f"agrees with a central difference of your cost in {_wrt}",
                 function=_function)(lambda student, f=_function, v=_wrt:
                                     scalar_check(student, f, v))


@checks.check("returns [a^(0), ..., a^(L)], each (n_l, 1)", function="feedforward")
def feedforward(student):
    x, _, weights, biases = network()
    activations = student.feedforward(x, weights, biases)
    if not isinstance(activations, list) or len(activations) != len(SIZES):
        raise CheckFailed(f"feedforward should return a list of {len(SIZES)} activations "
                          "(the input and one per layer)")
    for layer, (a, n) in enumerate(zip(activations, SIZES, strict=True)):
        check_shape(f"a^({layer})", a, (n, 1))


def gradient_lists(name, out, weights, biases):
    grad_w, grad_b = check_tuple(name, out, 2)
    for label, grads, params in (("grad_w", grad_w, weights), ("grad_b", grad_b, biases)):
        if not isinstance(grads, list) or len(grads) != len(params):
            raise CheckFailed(f"{label} should be a list with one entry per layer")
        for layer, (grad, param) in enumerate(zip(grads, params, strict=True), 1):
            check_shape(f"{label}[{layer - 1}]", grad, param.shape)
    return (grad_w, grad_b)


def network_check(student, function, examples):
    """backprop (one example) or average_gradient (several): against central differences
    of your cost of your feedforward, averaged over the examples."""
    x, y, weights, biases = network(1)
    X = np.hstack([x, -x, 2 * x])[:, :examples]
    Y = np.hstack([y, 1 - y, y / 2])[:, :examples]
    args = (x, y) if examples == 1 else (X, Y)
    grad_w, grad_b = gradient_lists(function, getattr(student, function)(*args, weights, biases),
                                    weights, biases)
    params = {f"w{i}": w.copy() for i, w in enumerate(weights, 1)}
    params.update({f"b{i}": b.copy() for i, b in enumerate(biases, 1)})

    def cost_now():
        layers = len(weights)
        ws = [params[f"w{i}"] for i in range(1, layers + 1)]
        bs = [params[f"b{i}"] for i in range(1, layers + 1)]
        total = 0.0
        for k in range(examples):
            a_L = check_array("a^(L)", student.feedforward(X[:, [k]], ws, bs)[-1])
            total += check_float("the cost", student.cost(a_L, Y[:, [k]]))
        return total / examples

    grads = {f"dw{i}": g for i, g in enumerate(grad_w, 1)}
    grads.update({f"db{i}": g for i, g in enumerate(grad_b, 1)})
    return fails_if_wrong(gradient_table(cost_now, params, grads, list(params)),
                          "cost of your feedforward")


@checks.check("grad_w, grad_b shaped like weights, biases; central differences agree",
              function="backprop")
def backprop(student):
    return network_check(student, "backprop", 1)


@checks.check("averaged over examples; central differences of the average cost agree",
              function="average_gradient")
def average_gradient(student):
    return network_check(student, "average_gradient", 3)


@checks.check("returns (weights, biases) with their shapes", function="gradient_descent_step")
def step(student):
    _, _, weights, biases = network(2)
    out = student.gradient_descent_step(weights, biases, [np.ones_like(w) for w in weights],
                                        [np.ones_like(b) for b in biases], 0.1)
    gradient_lists("gradient_descent_step", out, weights, biases)
