"""Helpers for the deep-network exercise: public, given to students with the assignment.

The same names and signatures as the helper module of the exercise this assignment follows,
so a notebook's ``from dnn_utils import ...`` keeps working; written anew for the grader.
None of them is graded: a graded function earns points only when the student's own file
defines it (a student's linear_activation_backward may still call these).
"""

import numpy as np


def sigmoid(Z):
    """A = 1 / (1 + e^-Z), element-wise. Returns (A, Z): Z is the activation cache."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def relu(Z):
    """A = max(0, Z), element-wise. Returns (A, Z): Z is the activation cache."""
    A = np.maximum(0, Z)
    return A, Z


def relu_backward(dA, cache):
    """dZ = dA * relu'(Z), relu'(Z) = 1 where Z > 0 and 0 elsewhere; cache is Z."""
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    """dZ = dA * s (1 - s) with s = sigmoid(Z); cache is Z."""
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    return dA * s * (1 - s)
