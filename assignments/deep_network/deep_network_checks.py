# Public self-checks of deep_network, written by `grade release` from its public.py.
# Keep this file beside your deep_network.py: `grade check deep_network.py` runs it.
# It holds no hidden value.
"""Public self-checks for deep_network: shapes, types and caches on random inputs, and each
backward step against central differences of its own forward step (relu, sigmoid and the
linear step are the lecture's definitions), and the student's L_model_backward against
central differences of the student's own L_model_forward and compute_cost. Nothing here
knows the right values of the student's functions."""

from __future__ import annotations

import numpy as np

from grader.public import (
    CheckFailed,
    PublicChecks,
    check_array,
    check_float,
    check_keys,
    check_shape,
    check_tuple,
    check_weight_scale,
    fails_if_wrong,
    gradient_table,
)

checks = PublicChecks(
    name="deep_network",
    student_file="deep_network.py",
    functions=["initialize_parameters", "initialize_parameters_deep", "linear_forward",
               "linear_activation_forward", "L_model_forward", "compute_cost", "relu_backward",
               "sigmoid_backward", "linear_backward", "linear_activation_backward",
               "L_model_backward", "update_parameters", "L_layer_model"],
    timeouts={"L_layer_model": 30.0},
    provided=("dnn_utils.py", "dnn_utils_v2.py", "dnn_app_utils_v2.py", "dnn_app_utils_v3.py"),
)

DIMS = [3, 4, 2, 1]  # no square weight matrix
M = 5  # different from every layer size
L = len(DIMS) - 1


def shapes_of(dims):
    out = {}
    for layer in range(1, len(dims)):
        out[f"W{layer}"] = (dims[layer], dims[layer - 1])
        out[f"b{layer}"] = (dims[layer], 1)
    return out


def random_case(dims=DIMS, m=M, seed=0):
    rng = np.random.default_rng(seed)
    params = {name: rng.standard_normal(shape) * 0.8 for name, shape in shapes_of(dims).items()}
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return params, X, Y


def away_from_zero(shape, seed):
    """Z with no entry near 0, where relu has no slope."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape), rng.standard_normal(shape)


def check_initial(params, dims):
    for name, shape in shapes_of(dims).items():
        check_shape(name, params[name], shape)
        if name[0] == "b" and np.any(params[name] != 0):
            raise CheckFailed(f"{name} should be all zeros")
        if name[0] == "W" and not np.any(params[name]):
            raise CheckFailed(f"{name} should be small random numbers (randn * 0.01)")
        if name[0] == "W":
            check_weight_scale(name, params[name], dims[int(name[1:]) - 1])


@checks.check("returns W1, b1, W2, b2 of the right shapes; zero biases, small random weights",
              function="initialize_parameters")
def init(student):
    params = check_keys("initialize_parameters(...)", student.initialize_parameters(3, 4, 2),
                        list(shapes_of([3, 4, 2])))
    check_initial(params, [3, 4, 2])


@checks.check("returns W{l} (n_l, n_{l-1}), b{l} = 0 (n_l, 1); small random weights",
              function="initialize_parameters_deep")
def init_deep(student):
    params = check_keys("initialize_parameters_deep(...)",
                        student.initialize_parameters_deep(list(DIMS)), list(shapes_of(DIMS)))
    check_initial(params, DIMS)


def check_linear_cache(cache, A, W, b):
    A_got, W_got, b_got = check_tuple("the linear cache (A_prev, W, b)", cache, 3)
    for name, got, given in (("A_prev", A_got, A), ("W", W_got, W), ("b", b_got, b)):
        if not np.array_equal(check_shape(f"{name} in the linear cache", got, given.shape),
                              given):
            raise CheckFailed(f"the linear cache should hold the {name} the function was given")


@checks.check("returns (Z, cache): Z is (n_l, m), cache is (A, W, b)", function="linear_forward")
def linear_forward(student):
    params, X, _ = random_case()
    Z, cache = check_tuple("linear_forward", student.linear_forward(X, params["W1"],
                                                                    params["b1"]), 2)
    check_shape("Z", Z, (DIMS[1], M))
    check_linear_cache(cache, X, params["W1"], params["b1"])


@checks.check("returns (A, ((A_prev, W, b), Z)); sigmoid in (0, 1), relu >= 0",
              function="linear_activation_forward")
def activation_forward(student):
    params, X, _ = random_case()
    for activation in ("relu", "sigmoid"):
        A, cache = check_tuple(f'linear_activation_forward(..., "{activation}")',
                               student.linear_activation_forward(X, params["W1"], params["b1"],
                                                                 activation), 2)
        A = check_shape("A", A, (DIMS[1], M))
        linear_cache, Z = check_tuple("the cache (linear_cache, activation_cache)", cache, 2)
        check_linear_cache(linear_cache, X, params["W1"], params["b1"])
        check_shape("the activation cache Z", Z, (DIMS[1], M))
        if activation == "relu" and np.any(A < 0):
            raise CheckFailed('A should be relu(Z) >= 0 with activation "relu"')
        if activation == "sigmoid" and not np.all((A > 0) & (A < 1)):
            raise CheckFailed('A should be sigmoid(Z), in (0, 1), with activation "sigmoid"')


def model_forward(student, X, params):
    AL, caches = check_tuple("L_model_forward", student.L_model_forward(X, params), 2)
    return AL, caches


@checks.check("returns AL of shape (1, m) in (0, 1) and L caches", function="L_model_forward")
def forward(student):
    params, X, _ = random_case()
    AL, caches = model_forward(student, X, params)
    AL = check_shape("AL", AL, (1, M))
    if not np.all((AL > 0) & (AL < 1)):
        raise CheckFailed("AL should be probabilities strictly between 0 and 1 (a sigmoid)")
    check_tuple("caches", caches, L)


@checks.check("returns a positive float", function="compute_cost")
def cost(student):
    rng = np.random.default_rng(M)
    AL = rng.uniform(0.05, 0.95, (1, M))
    Y = (rng.random((1, M)) > 0.5).astype(float)
    value = check_float("the cost", student.compute_cost(AL, Y))
    if not np.isfinite(value) or value <= 0:
        raise CheckFailed(f"the cost is {value}: cross-entropy is positive when AL is strictly "
                          "between 0 and 1")


def activation_gradient_check(student, function, g):
    Z, dA = away_from_zero((DIMS[1], M), seed=len(function))
    dZ = check_shape("dZ", getattr(student, function)(dA, Z), Z.shape)
    values = {"Z": Z.copy()}
    rows = gradient_table(lambda: float(np.sum(dA * g(values["Z"]))), values, {"dZ": dZ}, ["Z"])
    return fails_if_wrong(rows, f"activation ({function[:-9]}) times dA")


@checks.check("dZ agrees with central differences of sum(dA * relu(Z))", function="relu_backward")
def relu_backward(student):
    return activation_gradient_check(student, "relu_backward", lambda Z: np.maximum(0, Z))


@checks.check("dZ agrees with central differences of sum(dA * sigmoid(Z))",
              function="sigmoid_backward")
def sigmoid_backward(student):
    return activation_gradient_check(student, "sigmoid_backward", lambda Z: 1 / (1 + np.exp(-Z)))


@checks.check("dA_prev, dW, db agree with central differences of the linear step "
              "(dW and db averaged over the m examples)", function="linear_backward")
def linear_backward(student):
    params, X, _ = random_case()
    W, b = params["W1"], params["b1"]
    dZ = np.random.default_rng(1).standard_normal((DIMS[1], M))
    dA_prev, dW, db = check_tuple("linear_backward",
                                  student.linear_backward(dZ, (X, W, b)), 3)
    values = {"A_prev": X.copy(), "W": W.copy(), "b": b.copy()}

    def total():  # dA_prev = W^T dZ: the gradient of sum(dZ * Z) with respect to A_prev
        return float(np.sum(dZ * (values["W"] @ values["A_prev"] + values["b"])))

    rows = gradient_table(total, values, {"dA_prev": dA_prev}, ["A_prev"])
    rows += gradient_table(lambda: total() / M, values, {"dW": dW, "db": db}, ["W", "b"])
    return fails_if_wrong(rows, "linear step Z = W A_prev + b")


@checks.check("returns (dA_prev, dW, db) shaped like (A_prev, W, b)",
              function="linear_activation_backward")
def activation_backward(student):
    params, X, _ = random_case()
    W, b = params["W1"], params["b1"]
    Z, dA = away_from_zero((DIMS[1], M), seed=3)
    for activation in ("relu", "sigmoid"):
        out = check_tuple(f'linear_activation_backward(..., "{activation}")',
                          student.linear_activation_backward(dA, ((X, W, b), Z), activation), 3)
        for name, got, like in zip(("dA_prev", "dW", "db"), out, (X, W, b), strict=True):
            check_shape(name, got, like.shape)


def gradients(student, params, X, Y):
    AL, caches = model_forward(student, X, params)
    grads = student.L_model_backward(AL, Y, caches)
    if isinstance(grads, dict) and "dA0" not in grads and f"dA{L}" in grads:  # older key
        grads = {**grads, **{f"dA{layer - 1}": grads[f"dA{layer}"] for layer in range(1, L + 1)}}
    return check_keys("L_model_backward(...)", grads, ["d" + name for name in shapes_of(DIMS)])


@checks.check("agrees with central differences of your L_model_forward and compute_cost",
              function="L_model_backward")
def backward_gradient_check(student):
    params, X, Y = random_case(seed=3)  # every gradient tensor nonzero
    grads = gradients(student, params, X, Y)
    for name, shape in shapes_of(DIMS).items():
        check_shape("d" + name, grads["d" + name], shape)

    def cost_now():
        AL, _ = model_forward(student, X, params)
        return check_float("the cost", student.compute_cost(AL, Y))

    return fails_if_wrong(gradient_table(cost_now, params, grads, list(shapes_of(DIMS))), "cost")


@checks.check("returns W{l}, b{l} with their shapes", function="update_parameters")
def update(student):
    params, _, _ = random_case()
    grads = {"d" + name: np.ones_like(value) for name, value in params.items()}
    new = check_keys("update_parameters(...)", student.update_parameters(params, grads, 0.5),
                     list(params))
    for name, value in params.items():
        check_shape(name, new[name], value.shape)


@checks.check("returns trained parameters (or (parameters, costs)) of the right shapes",
              function="L_layer_model")
def model(student):
    _, X, Y = random_case([2, 3, 1], 8)
    out = student.L_layer_model(X, Y, [2, 3, 1], num_iterations=20)
    if isinstance(out, (tuple, list)) and len(out) == 2 and isinstance(out[0], dict):
        out = out[0]
    trained = check_keys("L_layer_model(...)", out, list(shapes_of([2, 3, 1])))
    for name, shape in shapes_of([2, 3, 1]).items():
        check_array(f"the trained {name}", trained[name])
        check_shape(f"the trained {name}", trained[name], shape)

# Added by `grade release`: the exercise as the hidden spec knows it.
checks.released(**{'name': 'deep_network',
 'student_file': 'deep_network.py',
 'functions': ['initialize_parameters',
               'initialize_parameters_deep',
               'linear_forward',
               'linear_activation_forward',
               'L_model_forward',
               'compute_cost',
               'relu_backward',
               'sigmoid_backward',
               'linear_backward',
               'linear_activation_backward',
               'L_model_backward',
               'update_parameters',
               'L_layer_model'],
 'points': {'initialize_parameters': 6,
            'initialize_parameters_deep': 8,
            'linear_forward': 6,
            'linear_activation_forward': 8.0,
            'L_model_forward': 10,
            'compute_cost': 6,
            'relu_backward': 6,
            'sigmoid_backward': 6,
            'linear_backward': 12,
            'linear_activation_backward': 8,
            'L_model_backward': 12,
            'update_parameters': 6,
            'L_layer_model': 6},
 'timeouts': {'L_layer_model': 30.0},
 'provided': ('dnn_app_utils_v2.py',
              'dnn_app_utils_v3.py',
              'dnn_utils.py',
              'dnn_utils_v2.py')})
