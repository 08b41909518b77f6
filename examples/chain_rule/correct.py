"""A correct submission for chain_rule, written the way many students do."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def cost(a_L, y):
    return float(np.sum((a_L - y) ** 2))


def dC_da(a_L, y):
    return 2 * (a_L - y)


def dC_dw(a_prev, w, b, y):
    z = w * a_prev + b
    a = sigmoid(z)
    return a_prev * sigmoid_prime(z) * 2 * (a - y)


def dC_db(a_prev, w, b, y):
    z = w * a_prev + b
    a = sigmoid(z)
    return sigmoid_prime(z) * 2 * (a - y)


def dC_da_prev(a_prev, w, b, y):
    z = w * a_prev + b
    a = sigmoid(z)
    return w * sigmoid_prime(z) * 2 * (a - y)


def feedforward(x, weights, biases):
    activations = [x]
    a = x
    for L in range(len(weights)):
        a = sigmoid(np.dot(weights[L], a) + biases[L])
        activations.append(a)
    return activations


def backprop(x, y, weights, biases):
    zs = []
    activations = [x]
    for L in range(len(weights)):
        z = np.dot(weights[L], activations[-1]) + biases[L]
        zs.append(z)
        activations.append(sigmoid(z))
    grad_w = [None] * len(weights)
    grad_b = [None] * len(biases)
    dC_da_L = dC_da(activations[-1], y)
    for L in range(len(weights) - 1, -1, -1):
        delta = sigmoid_prime(zs[L]) * dC_da_L
        grad_w[L] = np.dot(delta, activations[L].T)
        grad_b[L] = delta
        dC_da_L = np.dot(weights[L].T, delta)
    return grad_w, grad_b


def average_gradient(X, Y, weights, biases):
    n = X.shape[1]
    sum_w = [np.zeros(w.shape) for w in weights]
    sum_b = [np.zeros(b.shape) for b in biases]
    for k in range(n):
        x = X[:, k].reshape(-1, 1)
        y = Y[:, k].reshape(-1, 1)
        grad_w, grad_b = backprop(x, y, weights, biases)
        for L in range(len(weights)):
            sum_w[L] = sum_w[L] + grad_w[L]
            sum_b[L] = sum_b[L] + grad_b[L]
    return [g / n for g in sum_w], [g / n for g in sum_b]


def gradient_descent_step(weights, biases, grad_w, grad_b, alpha):
    new_weights = []
    new_biases = []
    for L in range(len(weights)):
        new_weights.append(weights[L] - alpha * grad_w[L])
        new_biases.append(biases[L] - alpha * grad_b[L])
    return new_weights, new_biases
