"""Softmax regression: one linear layer and a softmax output, for n_y classes.

The step after one hidden layer's sigmoid output: with n_y > 2 classes, the output layer
turns each example's scores into probabilities that sum to 1. Examples are columns, as in
every lecture: X is (n_x, m), the labels Y are one-hot (n_y, m) (Y[k, i] = 1 when example
i is of class k), W is (n_y, n_x) and b is (n_y, 1).

    Z = W X + b                               (n_y, m)
    A = softmax(Z),  A[k, i] = e^Z[k, i] / Σ_j e^Z[j, i]        each column sums to 1
    J = -(1/m) Σ_i Σ_k Y[k, i] log A[k, i]   the cross-entropy, a float
    dZ = A - Y                                (n_y, m)
    dW = (1/m) dZ Xᵀ                          (n_y, n_x)
    db = (1/m) Σ_axis1 dZ   (keepdims)        (n_y, 1)
    W := W - α dW,   b := b - α db

Softmax does not change when a constant is subtracted from a column, so subtract each
column's largest score first: e^1000 overflows to inf (and inf / inf is NaN), e^0 does not.
"""

import numpy as np


def softmax(Z):
    """A = softmax(Z) column by column: A[k, i] = e^Z[k, i] / Σ_j e^Z[j, i].

    Z is (n_y, m) and so is A; every column of A sums to 1. Subtract each column's max
    (np.max(Z, axis=0, keepdims=True)) before np.exp, so that Z near 1000 does not overflow.
    """
    ### BEGIN SOLUTION
    E = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    A = E / np.sum(E, axis=0, keepdims=True)
    ### END SOLUTION
    return A


def forward(X, W, b):
    """Z = W X + b, A = softmax(Z); returns (A, cache) with cache = {"X": X, "Z": Z, "A": A}.

    X is (n_x, m), W is (n_y, n_x), b is (n_y, 1); Z and A are (n_y, m).
    """
    ### BEGIN SOLUTION
    Z = W @ X + b
    A = softmax(Z)
    ### END SOLUTION
    cache = {"X": X, "Z": Z, "A": A}
    return A, cache


def cross_entropy(A, Y):
    """J = -(1/m) Σ Y log A over every class and example, as a Python float.

    A and Y are (n_y, m); Y is one-hot, so only the log-probability of each example's own
    class counts.
    """
    m = Y.shape[1]
    ### BEGIN SOLUTION
    cost = -np.sum(Y * np.log(A)) / m
    ### END SOLUTION
    return float(cost)


def backward(cache, Y):
    """The gradients of J with respect to W and b; returns (dW, db).

    dZ = A - Y, dW = (1/m) dZ Xᵀ of shape (n_y, n_x), db = (1/m) Σ_axis1 dZ of shape
    (n_y, 1) (np.sum(..., axis=1, keepdims=True)). A and X come from the cache.
    """
    X, A = cache["X"], cache["A"]
    m = X.shape[1]
    ### BEGIN SOLUTION
    dZ = A - Y
    dW = dZ @ X.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    ### END SOLUTION
    return dW, db


def update(W, b, dW, db, learning_rate):
    """One step of gradient descent; returns (W, b) with W - α dW and b - α db."""
    ### BEGIN SOLUTION
    W = W - learning_rate * dW
    b = b - learning_rate * db
    ### END SOLUTION
    return W, b
