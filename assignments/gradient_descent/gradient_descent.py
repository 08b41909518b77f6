# Fill in every part marked YOUR CODE HERE. Keep the function names and signatures:
# the grader calls them by name.
"""Why the update rule works: slopes, descent, the chain rule, a logistic unit.

Gradient descent moves every parameter against its slope:

    w := w - α dw        b := b - α db

where α > 0 is the learning rate and dw, db are the slopes of the cost with respect to w
and b. A slope answers "how much does f(x) change per unit change of x?". For
f(x) = |x| it is -1 left of 0 and +1 right of 0 (undefined at 0), so the rule moves x
right when x < 0 and left when x > 0: towards the minimum.

When y depends on x through intermediate steps, x → u → v → y, the chain rule multiplies
the intermediate slopes: dy/dx = dy/dv · dv/du · du/dx.

A sigmoid unit with logistic loss on m examples stacked as columns of X (n, m):

    A = σ(wᵀX + b)                                  (1, m), w is (n, 1), b a number
    J = -(1/m) Σ [Y log A + (1 - Y) log(1 - A)]
    dw = (1/m) X (A - Y)ᵀ                           (n, 1)
    db = (1/m) Σ (A - Y)                            a number
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), element-wise (provided, not graded)."""
    return 1 / (1 + np.exp(-z))


def numerical_slope(f, x, h=1e-5):
    """The slope of f at x by a central difference: (f(x + h) - f(x - h)) / 2h."""
    # YOUR CODE HERE
    raise NotImplementedError()


def abs_slope(x):
    """The slope of |x|: -1.0 for x < 0, +1.0 for x > 0, and 0.0 at 0 (where it is undefined)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def descend(slope, x0, alpha, steps):
    """Gradient descent on one number: x_{t+1} = x_t - α slope(x_t), starting from x0.

    slope is a function giving the slope at a point. Returns the list of the steps + 1
    iterates [x_0, x_1, ..., x_steps].
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def chain_slope(slopes):
    """The chain rule: the slope of a chain of steps is the product of their slopes.

    slopes is a list [du/dx, dv/du, ..., dy/dv]; returns dy/dx as a float.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_forward(X, w, b):
    """A = σ(wᵀX + b) for X (n, m), w (n, 1) and a number b; A has shape (1, m)."""
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_cost(A, Y):
    """J = -(1/m) Σ [Y log A + (1 - Y) log(1 - A)] for A and Y of shape (1, m), a float."""
    m = Y.shape[1]
    # YOUR CODE HERE
    raise NotImplementedError()


def logistic_gradients(X, A, Y):
    """The slopes of J: dw = (1/m) X (A - Y)ᵀ of shape (n, 1) and db = (1/m) Σ (A - Y), a float.

    Returns (dw, db).
    """
    m = X.shape[1]
    # YOUR CODE HERE
    raise NotImplementedError()
    return dw, db
