"""A deep neural network, step by step: an L-layer classifier, one backward step per function.

The network is [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, trained on the cross-entropy
cost. Examples are stacked as columns: X is (n_x, m), Y is (1, m). layer_dims is the list
[n_x, n_1, ..., n_L]; layer l has W[l] of shape (n_l, n_{l-1}) and b[l] of shape (n_l, 1).

    Z[l] = W[l] A[l-1] + b[l]                 A[l] = g[l](Z[l])        (A[0] = X)
    dZ[l] = dA[l] * g[l]'(Z[l])               relu' = 1 where Z > 0, else 0;  sigmoid' = s(1 - s)
    dW[l] = (1/m) dZ[l] A[l-1]^T              db[l] = (1/m) sum(dZ[l], axis=1, keepdims=True)
    dA[l-1] = W[l]^T dZ[l]                    dA[L] = -(Y / A[L] - (1 - Y) / (1 - A[L]))

Caches: a linear cache is the tuple (A_prev, W, b), an activation cache is Z, and a layer's
cache is (linear_cache, activation_cache). `*` is element-wise; `np.dot` or `@` is the matrix
product. The helper module dnn_utils provides sigmoid and relu (each returns (A, Z)).
"""

import numpy as np


def sigmoid(Z):
    """A = 1 / (1 + e^-Z), element-wise; returns (A, Z) (provided, not graded)."""
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    """A = max(0, Z), element-wise; returns (A, Z) (provided, not graded)."""
    return np.maximum(0, Z), Z


def initialize_parameters(n_x, n_h, n_y):
    """The two-layer network: small random weights and zero biases.

    W1 = randn(n_h, n_x) * 0.01    b1 = zeros (n_h, 1)
    W2 = randn(n_y, n_h) * 0.01    b2 = zeros (n_y, 1)

    Returns a dict with keys "W1", "b1", "W2", "b2".
    """
    ### BEGIN SOLUTION
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    ### END SOLUTION
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims):
    """W[l] = randn(n_l, n_{l-1}) * 0.01 and b[l] = zeros (n_l, 1) for l = 1 ... L.

    layer_dims = [n_x, n_1, ..., n_L]; L = len(layer_dims) - 1.
    Returns a dict with keys "W1", "b1", ..., "WL", "bL".
    """
    parameters = {}
    ### BEGIN SOLUTION
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    ### END SOLUTION
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b; A (n_{l-1}, m), W (n_l, n_{l-1}), b (n_l, 1), Z (n_l, m).

    Returns (Z, cache) with the linear cache (A, W, b).
    """
    ### BEGIN SOLUTION
    Z = np.dot(W, A) + b
    ### END SOLUTION
    cache = (A, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) with g = relu or sigmoid, as activation ("relu" or "sigmoid") says.

    Returns (A, cache) with cache = (linear_cache, activation_cache) = ((A_prev, W, b), Z).
    """
    ### BEGIN SOLUTION
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(Z)
    ### END SOLUTION
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, with A[0] = X and AL = A[L] (1, m).

    L = len(parameters) // 2. Returns (AL, caches): caches lists the L layers' caches,
    layer 1 first.
    """
    caches = []
    A = X
    L = len(parameters) // 2
    ### BEGIN SOLUTION
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)],
                                             parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)],
                                          parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    ### END SOLUTION
    return AL, caches


def compute_cost(AL, Y):
    """J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)); AL and Y are (1, m). Returns a float."""
    m = Y.shape[1]
    ### BEGIN SOLUTION
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    ### END SOLUTION
    return float(np.squeeze(cost))


def relu_backward(dA, cache):
    """dZ = dA * relu'(Z): dA where Z > 0, 0 elsewhere. cache is Z; dZ has the shape of Z."""
    Z = cache
    ### BEGIN SOLUTION
    dZ = dA * (Z > 0)
    ### END SOLUTION
    return dZ


def sigmoid_backward(dA, cache):
    """dZ = dA * s (1 - s) with s = sigmoid(Z). cache is Z; dZ has the shape of Z."""
    Z = cache
    ### BEGIN SOLUTION
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    ### END SOLUTION
    return dZ


def linear_backward(dZ, cache):
    """dW = (1/m) dZ A_prev^T    db = (1/m) sum(dZ, axis=1, keepdims=True)    dA_prev = W^T dZ.

    cache = (A_prev, W, b). Returns (dA_prev, dW, db), shaped like (A_prev, W, b).
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    ### BEGIN SOLUTION
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    ### END SOLUTION
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """dZ = dA * g'(Z) (relu_backward or sigmoid_backward), then linear_backward(dZ, ...).

    cache = (linear_cache, activation_cache). Returns (dA_prev, dW, db).
    """
    linear_cache, activation_cache = cache
    ### BEGIN SOLUTION
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    else:
        dZ = sigmoid_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    ### END SOLUTION
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches):
    """dAL = -(Y / AL - (1 - Y) / (1 - AL)); then layer L (sigmoid) and L-1 ... 1 (relu).

    Returns grads with grads["dA" + str(l - 1)] = dA[l-1], grads["dW" + str(l)] = dW[l] and
    grads["db" + str(l)] = db[l] for l = L ... 1.
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    ### BEGIN SOLUTION
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA = dAL
    for l in reversed(range(1, L + 1)):
        activation = "sigmoid" if l == L else "relu"
        dA, dW, db = linear_activation_backward(dA, caches[l - 1], activation)
        grads["dA" + str(l - 1)] = dA
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
    ### END SOLUTION
    return grads


def update_parameters(params, grads, learning_rate):
    """W[l] := W[l] - learning_rate dW[l]    b[l] := b[l] - learning_rate db[l], l = 1 ... L.

    Returns the updated parameters (a dict with the same keys).
    """
    parameters = {key: np.copy(value) for key, value in params.items()}
    L = len(parameters) // 2
    ### BEGIN SOLUTION
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    ### END SOLUTION
    return parameters


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000,
                  print_cost=False):
    """Gradient descent: initialize_parameters_deep, then each iteration L_model_forward,
    compute_cost, L_model_backward and update_parameters.

    Returns (parameters, costs), with the cost of every 100th iteration in costs.
    """
    costs = []
    ### BEGIN SOLUTION
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
    ### END SOLUTION
    return parameters, costs
