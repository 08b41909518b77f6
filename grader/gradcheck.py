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


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """||a - n|| / (||a|| + ||n||): 0 when equal, 1 when unrelated, scale free."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0
