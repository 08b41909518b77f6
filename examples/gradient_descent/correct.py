"""A correct submission for gradient_descent, written the way many students do."""

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def numerical_slope(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def abs_slope(x):
    if x < 0:
        return -1.0
    elif x > 0:
        return 1.0
    else:
        return 0.0


def descend(slope, x0, alpha, steps):
    x = x0
    history = [x]
    for _ in range(steps):
        x = x - alpha * slope(x)
        history.append(x)
    return history


def chain_slope(slopes):
    result = 1
    for s in slopes:
        result = result * s
    return result


def logistic_forward(X, w, b):
    Z = np.dot(w.T, X) + b
    return sigmoid(Z)


def logistic_cost(A, Y):
    m = Y.shape[1]
    cost = -(1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return float(cost)


def logistic_gradients(X, A, Y):
    m = X.shape[1]
    dw = (1 / m) * np.dot(X, (A - Y).T)
    db = (1 / m) * np.sum(A - Y)
    return dw, db
