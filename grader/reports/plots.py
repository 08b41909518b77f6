"""Plots for the HTML reports, drawn with matplotlib's Agg backend into inline PNG data URIs.

Reports must open without a network, so every image is embedded. matplotlib is imported
only when a plot is drawn (workers and the terminal summary never pay for it), and drawing
is serialized: batches write reports from several threads, and matplotlib is not thread safe.
"""

from __future__ import annotations

import base64
import io
import threading

import numpy as np

_LOCK = threading.Lock()
HIDDEN = {"tanh": np.tanh, "relu": lambda Z: np.maximum(Z, 0),
          "sigmoid": lambda Z: 1 / (1 + np.exp(-Z))}
BLUE, RED = "#2b6cb0", "#c53030"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # the object API: no pyplot, no global state

    figure = Figure(figsize=(width, height), dpi=90)
    # fixed margins (about 0.6 inch for tick labels and axis labels): a layout engine is slow
    figure.subplots_adjust(left=0.7 / width, right=1 - 0.15 / width, top=1 - 0.15 / height,
                           bottom=0.55 / height)
    return figure, figure.add_subplot()


_FIGURES: dict[str, tuple] = {}


def _canvas(kind: str, width: float, height: float):
    """This process's figure for one kind of plot, emptied of the last student's data.

    Building a figure and its tick labels is about half of matplotlib's time per plot, so
    each kind keeps one figure and only its data artists change (callers hold _LOCK).
    """
    if kind not in _FIGURES:
        _FIGURES[kind] = _figure(width, height)
    figure, axes = _FIGURES[kind]
    for artist in [*axes.collections, *axes.lines, *axes.patches, *axes.images]:
        artist.remove()
    if axes.get_yscale() != "linear":  # a reset rebuilds the ticks: only when needed
        axes.set_yscale("linear")
    return figure, axes


def prepare() -> None:
    """Import matplotlib and build the figures now, in a process about to fork, so its
    children share them instead of each paying ~0.6 s."""
    with _LOCK:
        _canvas("decision boundary", 4.6, 3.6)
        _canvas("cost curve", 4.6, 3.6)


def _rgba(color: str, alpha: float) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)] + [alpha])


def _data_uri(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})  # 1/3 the time
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _array(values) -> np.ndarray:
    """Nested lists from a report (None where a value was not finite) as a float array."""
    return np.array(values, dtype=np.float64)  # None becomes nan


def predict_proba(params: dict, X: np.ndarray, hidden: str = "tanh") -> np.ndarray:
    """The network's output for X: layers W1, b1, ... WL, bL; sigmoid on the last one."""
    layers = sum(1 for name in params if name.startswith("W"))
    A = X
    for layer in range(1, layers + 1):
        Z = _array(params[f"W{layer}"]) @ A + _array(params[f"b{layer}"])  # Z = W A + b
        A = HIDDEN[hidden](Z) if layer < layers else 1 / (1 + np.exp(-Z))
    return A


def decision_boundary(training: dict) -> str:
    """The training set over the trained network's regions (A2 > 0.5 is class 1)."""
    X, Y = _array(training["X"]), _array(training["Y"]).ravel()
    pad = 0.5
    x0 = np.linspace(np.nanmin(X[0]) - pad, np.nanmax(X[0]) + pad, 120)
    x1 = np.linspace(np.nanmin(X[1]) - pad, np.nanmax(X[1]) + pad, 120)
    grid0, grid1 = np.meshgrid(x0, x1)
    with np.errstate(all="ignore"):
        A2 = predict_proba(training["params"], np.vstack([grid0.ravel(), grid1.ravel()]),
                           training.get("hidden_activation", "tanh"))
    regions = np.nan_to_num(A2[0].reshape(grid0.shape), nan=0.5)
    with _LOCK:
        figure, axes = _canvas("decision boundary", 4.6, 3.6)
        tint = np.where((regions > 0.5)[..., None], _rgba(RED, 0.18), _rgba(BLUE, 0.18))
        axes.imshow(tint, origin="lower", extent=(x0[0], x0[-1], x1[0], x1[-1]),
                    interpolation="bilinear", aspect="auto")  # far cheaper than contourf
        if regions.min() < 0.5 < regions.max():
            axes.contour(grid0, grid1, regions, levels=[0.5], colors="#333333", linewidths=1)
        for label, color in ((0, BLUE), (1, RED)):  # the page's caption says which is which
            axes.scatter(X[0, Y == label], X[1, Y == label], s=16, c=color,
                         edgecolors="white", linewidths=0.4)
        axes.set(xlabel="x₁", ylabel="x₂",  # titles are in the page: text is slow to lay out
                 xlim=(x0[0], x0[-1]), ylim=(x1[0], x1[-1]))
        return _data_uri(figure)


def cost_curve(curve: list[dict]) -> str:
    """The cost against the number of training iterations (log scale when it spans decades)."""
    points = [(p["iteration"], p["cost"]) for p in curve if p.get("cost") is not None]
    if not points:
        raise ValueError("no finite cost to plot")
    iterations = np.array([iteration for iteration, _ in points], dtype=np.float64)
    costs = np.array([cost for _, cost in points], dtype=np.float64)
    with _LOCK:
        figure, axes = _canvas("cost curve", 4.6, 3.6)
        axes.plot(iterations, costs, marker="o", color=BLUE)
        axes.relim()
        axes.autoscale_view()
        if np.all(costs > 0) and costs.max() / costs.min() > 100:
            from matplotlib.ticker import FuncFormatter, NullLocator

            axes.set_yscale("log")
            axes.yaxis.set_minor_locator(NullLocator())
            axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # no TeX
        axes.set(xlabel="iterations of your nn_model", ylabel="cost J")
        axes.grid(alpha=0.3)
        return _data_uri(figure)


def histogram(percents: list[float], *, bins: int = 10) -> str:
    """How many submissions scored in each tenth of the maximum."""
    with _LOCK:
        figure, axes = _figure(6.0, 2.8)
        axes.hist(percents, bins=bins, range=(0, 100), color=BLUE, edgecolor="white")
        axes.set(xlabel="score (% of the maximum)", ylabel="submissions", xlim=(0, 100))
        axes.yaxis.get_major_locator().set_params(integer=True)
        return _data_uri(figure)
