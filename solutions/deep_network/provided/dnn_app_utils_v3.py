"""Helpers of the deep-network application (the cat-or-not notebook): public, given to
students with the assignment.

The same names and signatures as the module the course's application part imports, so a
notebook's ``from dnn_app_utils_v3 import *`` keeps working; written anew for the grader.
It holds every step of the network, already written: an ``L_layer_model`` built on them is
judged on its own, but none of them is graded as the student's (a graded function earns
points only when the student's own file defines it). The application's images are not
shipped: ``load_data`` says so.
"""

import numpy as np
from dnn_utils import relu, relu_backward, sigmoid, sigmoid_backward

__all__ = ["L_model_backward", "L_model_forward", "compute_cost", "initialize_parameters",
           "initialize_parameters_deep", "linear_activation_backward",
           "linear_activation_forward", "linear_backward", "linear_forward", "load_data",
           "predict", "print_mislabeled_images", "relu", "relu_backward", "sigmoid",
           "sigmoid_backward", "update_parameters"]

def load_data():
    """The application's cat images are not part of the grader: there is nothing to load."""
    raise FileNotFoundError("the application's data set (datasets/*.h5) is not available "
                            "where the grader runs")


def initialize_parameters(n_x, n_h, n_y):
    """W1 (n_h, n_x), W2 (n_y, n_h): randn * 0.01; b1, b2: zero columns."""
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}


def initialize_parameters_deep(layer_dims):
    """W[l] = randn(n_l, n_{l-1}) / sqrt(n_{l-1}) (the application's scale), b[l] = 0."""
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = (np.random.randn(layer_dims[l], layer_dims[l - 1])
                               / np.sqrt(layer_dims[l - 1]))
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(A, W, b):
    """Z = W A + b; the cache is (A, W, b)."""
    return W @ A + b, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b), g "sigmoid" or "relu"; the cache is ((A_prev, W, b), Z)."""
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = sigmoid(Z) if activation == "sigmoid" else relu(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    """L-1 relu layers, then a sigmoid one; returns AL and the list of the layers' caches."""
    caches, A = [], X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                             "sigmoid" if l == L else "relu")
        caches.append(cache)
    return A, caches


def compute_cost(AL, Y):
    """J = -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)), as a number."""
    m = Y.shape[1]
    return float(np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m))


def linear_backward(dZ, cache):
    """dA_prev = W^T dZ, dW = (1/m) dZ A_prev^T, db = (1/m) sum(dZ, axis=1) as a column."""
    A_prev, W, _ = cache
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_activation_backward(dA, cache, activation):
    """dZ by the activation's backward step, then linear_backward."""
    linear_cache, Z = cache
    dZ = sigmoid_backward(dA, Z) if activation == "sigmoid" else relu_backward(dA, Z)
    return linear_backward(dZ, linear_cache)


def L_model_backward(AL, Y, caches):
    """From dAL = -(Y / AL - (1 - Y) / (1 - AL)) back to layer 1: dA, dW[l], db[l]."""
    grads, L = {}, len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in reversed(range(1, L + 1)):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu")
        grads[f"dA{l - 1}"] = dA  # dA[l-1] (dnn_app_utils_v2 keys it "dA" + str(l))
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step: W[l] -= learning_rate dW[l], b[l] -= learning_rate db[l]."""
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def predict(X, y, parameters):
    """0/1 predictions (AL > 0.5) of shape (1, m); prints the accuracy against y."""
    AL, _ = L_model_forward(X, parameters)
    p = (AL > 0.5).astype(float)
    print("Accuracy: " + str(float(np.mean(p == y))))
    return p


def print_mislabeled_images(classes, X, y, p):
    """Plots the images where the prediction p differs from the label y."""
    import matplotlib.pyplot as plt

    wrong = np.asarray(np.where(p + y == 1))[1]
    for i, index in enumerate(wrong):
        plt.subplot(2, len(wrong), i + 1)
        plt.imshow(X[:, index].reshape(64, 64, 3), interpolation="nearest")
        plt.axis("off")
        plt.title(f"Prediction: {classes[int(p[0, index])]} \n Class: {classes[int(y[0, index])]}")
