"""Numeric gradients by central differences, and the relative error that judges them."""

from __future__ import annotations

import numpy as np


def numeric_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """dJ/dx by central differences: (f(x + h) - f(x - h)) / 2h, one coordinate at a time.

    ``f`` takes no argument and reads ``x``, which is nudged in place and always restored.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        old = x[index]
        x[index] = old + h
        plus = f()
        x[index] = old - h
        minus = f()
        x[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def directional_derivative(f, x: np.ndarray, v: np.ndarray, h: float = 1e-5) -> float:
    """v·dJ/dx by one central difference along v: (f(x + hv) - f(x - hv)) / 2h."""
    saved = x.copy()
    x += h * v
    plus = f()
    x[...] = saved - h * v
    minus = f()
    x[...] = saved
    return (plus - minus) / (2 * h)


def directional_slopes(f, x: np.ndarray, *, directions: int = 2,
                       seed: int = 0) -> list[tuple[np.ndarray, float]]:
    """(v, numeric v·grad) for random unit directions v: 2 evaluations of ``f`` each."""
    rng = np.random.default_rng(seed)
    slopes = []
    for _ in range(directions):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v) or 1.0
        slopes.append((v, directional_derivative(f, x, v)))
    return slopes


def directional_error(f, x: np.ndarray, analytic: np.ndarray, *, directions: int = 2,
                      seed: int = 0, slopes=None) -> float:
    """Worst relative error of v·analytic against the numeric v·grad, over random unit v.

    Costs 2 evaluations of ``f`` per direction, whatever the size of ``x`` (none when the
    ``slopes`` are given); a wrong gradient passes only if its error is orthogonal to every
    random direction (probability zero).
    """
    worst = 0.0
    for v, numeric in slopes or directional_slopes(f, x, directions=directions, seed=seed):
        exact = float(np.sum(v * analytic))
        worst = max(worst, abs(exact - numeric) / max(abs(exact) + abs(numeric), 1e-8))
    return worst


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||a - n|| / (||a|| + ||n||): 0 when equal, 1 when unrelated, scale free."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0
