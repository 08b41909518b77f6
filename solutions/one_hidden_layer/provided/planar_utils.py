"""Helpers for the planar-data exercise: public, given to students with the assignment.

The same names and signatures as the helper module of the course this exercise follows, so
its notebooks' ``from planar_utils import ...`` keeps working, written anew for the grader.
None of them is graded: a graded function earns points only when the student's own file
defines it.
"""

import numpy as np


def sigmoid(x):
    """The logistic function 1 / (1 + e^(-x)), element-wise."""
    return 1 / (1 + np.exp(-x))


def load_planar_dataset():
    """A two-class "flower" in the plane: X of shape (2, 400), Y of shape (1, 400) of 0/1.

    Each class fills alternate petals of the curve r = 4 sin(4t), with some noise; the
    classes are not linearly separable, and a network with one hidden layer learns them.
    """
    rng = np.random.RandomState(1)
    m, petals, radius = 400, 4, 4.0
    per_class = m // 2
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype="uint8")
    for label in range(2):
        rows = range(per_class * label, per_class * (label + 1))
        t = np.linspace(label * np.pi, (label + 1) * np.pi, per_class) + \
            rng.randn(per_class) * 0.2
        r = radius * np.sin(petals * t) + rng.randn(per_class) * 0.2
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[rows] = label
    return X.T, Y.T


def load_extra_datasets():
    """Five more planar data sets, each (X of shape (m, 2), y of shape (m,)), in this order:
    noisy circles, noisy moons, blobs, Gaussian quantiles, and no structure."""
    rng = np.random.RandomState(3)
    m = 200
    t = rng.uniform(0, 2 * np.pi, m)
    inner = rng.rand(m) < 0.5
    circles = np.c_[np.cos(t), np.sin(t)] * np.where(inner, 0.5, 1.0)[:, None]
    circles += rng.randn(m, 2) * 0.3
    upper = rng.rand(m) < 0.5
    s = rng.uniform(0, np.pi, m)
    moons = np.where(upper[:, None], np.c_[np.cos(s), np.sin(s)],
                     np.c_[1 - np.cos(s), 0.5 - np.sin(s)]) + rng.randn(m, 2) * 0.2
    centers = np.array([[-2.0, -2.0], [2.0, 2.0], [-2.0, 2.0], [2.0, -2.0], [0.0, 0.0],
                        [4.0, 0.0]])
    labels = rng.randint(0, 6, m)
    blobs = centers[labels] + rng.randn(m, 2) * 0.6
    gaussian = rng.randn(m, 2) * 0.5
    radius = np.sum(gaussian ** 2, axis=1)
    quantile = np.searchsorted(np.quantile(radius, [0.5]), radius)
    return ((circles, inner.astype(int)), (moons, upper.astype(int)), (blobs, labels % 2),
            (gaussian, quantile), (rng.rand(m, 2), rng.rand(m)))


def plot_decision_boundary(model, X, y):
    """Shade where ``model`` (a function of an (k, 2) array of points, returning k labels)
    predicts each class over the plane X (2, m) spans, and draw the points coloured by y."""
    import matplotlib.pyplot as plt  # only when a plot is drawn

    x_min, x_max = X[0, :].min() - 1, X[0, :].max() + 1
    y_min, y_max = X[1, :].min() - 1, X[1, :].max() + 1
    step = 0.01 * max(x_max - x_min, y_max - y_min)
    xx, yy = np.meshgrid(np.arange(x_min, x_max, step), np.arange(y_min, y_max, step))
    Z = np.asarray(model(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    plt.contourf(xx, yy, Z, cmap=plt.cm.Spectral)
    plt.ylabel("x2")
    plt.xlabel("x1")
    plt.scatter(X[0, :], X[1, :], c=np.ravel(y), cmap=plt.cm.Spectral)
