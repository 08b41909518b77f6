"""The reports' plots, as inline SVG (:mod:`grader.reports.svg`) drawn from the numbers the
grading already has: the decision boundary and cost curve of a student's own training
(report.html), and the class's score histogram and pass rates (index.html).

No matplotlib: a plot costs well under a millisecond, so plots are on by default at full
grading speed; the only import is Pillow's, to encode the decision regions as a small PNG.
"""

from __future__ import annotations

import numpy as np
from markupsafe import Markup

from grader.reports import svg

HIDDEN = {"tanh": np.tanh, "relu": lambda Z: np.maximum(Z, 0),
          "sigmoid": lambda Z: 1 / (1 + np.exp(-Z))}
BLUE, RED, GREY = "#2b6cb0", "#c53030", "#888888"
# the decision regions' palette: class 0, class 1, and no prediction (not a number)
REGIONS = [svg.tint(BLUE, 0.18), svg.tint(RED, 0.18), svg.tint(GREY, 0.35)]
RASTER = (104, 80)  # columns, rows of the class grid: the browser smooths it to the plot's size
PAD = 0.5  # how far the regions reach beyond the data, in data units
WIDTH, HEIGHT = 414, 324


def prepare() -> None:
    """Import what drawing needs now, in a process about to fork, so its children share it."""
    from PIL import Image, PngImagePlugin  # noqa: F401


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


def cell_centres(low: float, high: float, cells: int) -> np.ndarray:
    """The centres of ``cells`` equal cells covering [low, high]."""
    return low + (np.arange(cells) + 0.5) * (high - low) / cells


def region_classes(training: dict, extent: tuple[float, float, float, float]) -> np.ndarray:
    """The class grid (rows from the top, as an image): 1 where the network's output is
    above 0.5, 0 where it is not, 2 where it is not a number."""
    left, right, bottom, top = extent
    x0 = cell_centres(left, right, RASTER[0])
    x1 = cell_centres(bottom, top, RASTER[1])[::-1]  # the first row is the top one
    grid0, grid1 = np.meshgrid(x0, x1)
    with np.errstate(all="ignore"):
        A2 = predict_proba(training["params"], np.vstack([grid0.ravel(), grid1.ravel()]),
                           training.get("hidden_activation", "tanh"))
    A2 = np.asarray(A2, dtype=np.float64)[0].reshape(grid0.shape)
    return np.where(np.isnan(A2), 2, A2 > 0.5).astype(np.uint8)


def decision_boundary(training: dict, ident: str = "decision-boundary") -> Markup:
    """The training set over the trained network's regions (A2 > 0.5 is class 1)."""
    X, Y = _array(training["X"]), _array(training["Y"]).ravel()
    if X.ndim != 2 or X.shape[0] != 2 or X.shape[1] != Y.size or not np.isfinite(X).all():
        raise ValueError(f"the data set is not 2 rows of {Y.size} finite numbers")
    extent = (X[0].min() - PAD, X[0].max() + PAD, X[1].min() - PAD, X[1].max() + PAD)
    classes = region_classes(training, extent)
    chart = svg.Chart(WIDTH, HEIGHT, "Decision boundary of your trained network",
                      f"Regions where the network predicts class 1 (red) or 0 (blue), under "
                      f"the {Y.size} training points (red: y = 1, blue: y = 0).", ident)
    x, y = chart.x_scale(extent[0], extent[1]), chart.y_scale(extent[2], extent[3])
    left, top, right, bottom = chart.area
    chart.add(svg.raster(svg.png_palette(classes, REGIONS), left, top, right, bottom))
    for value, color, name in ((0, BLUE, "y = 0 (blue)"), (1, RED, "y = 1 (red)")):
        chosen = Y == value
        chart.add(svg.circles(x(X[0, chosen]), y(X[1, chosen]), color,
                              title=f"training points with {name}"))
    chart.axes(x, y, "x₁", "x₂", grid=False)
    return chart.markup()


def cost_curve(curve: list[dict], ident: str = "cost-curve") -> Markup:
    """The cost against the number of training iterations (log scale when it spans more
    than two decades)."""
    points = [(float(p["iteration"]), float(p["cost"])) for p in curve
              if p.get("cost") is not None]
    if not points or not np.isfinite(points).all():
        raise ValueError("no finite cost to plot")
    iterations, costs = np.array(points).T
    log = bool(np.all(costs > 0) and costs.max() / costs.min() > 100)
    chart = svg.Chart(WIDTH, HEIGHT, "Cost during training",
                      "The cost J of the parameters your nn_model returns after "
                      + ", ".join(f"{n:g} iterations: {c:.3g}" for n, c in points)
                      + (" (logarithmic cost axis)." if log else "."), ident)
    x = chart.x_scale(*svg.nice_range(iterations.min(), iterations.max()))
    if log:
        y = chart.y_scale(*svg.log_range(costs.min(), costs.max()), log=True)
    else:
        y = chart.y_scale(*svg.nice_range(min(0.0, costs.min()), costs.max()))
    chart.add(svg.polyline(x(iterations), y(costs), BLUE, css_class="line cost"))
    chart.add(svg.circles(x(iterations), y(costs), BLUE, title="cost after each run"))
    chart.axes(x, y, "iterations of your nn_model", "cost J")
    return chart.markup()


def histogram(percents: list[float], *, bins: int = 10, ident: str = "histogram") -> Markup:
    """How many submissions scored in each tenth of the maximum (the last bin holds 100%)."""
    counts, edges = np.histogram(np.clip(percents, 0, 100), bins=bins, range=(0, 100))
    chart = svg.Chart(540, 252, "Score histogram",
                      "Submissions per score range: " + ", ".join(
                          f"{edges[i]:g}–{edges[i + 1]:g}%: {int(n)}"
                          for i, n in enumerate(counts)) + ".", ident)
    x = chart.x_scale(0, 100)
    top = max(1, int(counts.max()))
    step = svg.nice_step(top, 5) if top > 5 else 1
    y = chart.y_scale(0, float(np.ceil(top / step) * step))
    for i, count in enumerate(counts):
        x0, x1, y0 = float(x(edges[i])), float(x(edges[i + 1])), float(y(count))
        chart.add(f'<rect class="bin" x="{svg.fmt(x0 + 0.5)}" y="{svg.fmt(y0)}" '
                  f'width="{svg.fmt(x1 - x0 - 1)}" height="{svg.fmt(float(y(0)) - y0)}" '
                  f'fill="{BLUE}" data-count="{int(count)}"><title>{edges[i]:g}–'
                  f'{edges[i + 1]:g}%: {int(count)} submission(s)</title></rect>')
    y_ticks = [float(v) for v in np.arange(0, y.high + step / 2, step)]
    chart.axes(x, y, "score (% of the maximum)", "submissions", y_ticks=y_ticks)
    return chart.markup()


def rate_bar(passed: int, graded: int) -> Markup:
    """A pass rate as a small horizontal bar (green from 80%, amber from 50%, red below)."""
    rate = 100 * passed / graded if graded else 0.0
    level = "high" if rate >= 80 else "mid" if rate >= 50 else "low"
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="bar" viewBox="0 0 100 10" '
                  f'preserveAspectRatio="none" role="img" aria-label="{rate:.0f}% passed">'
                  f'<rect class="track" width="100" height="10" rx="5"/>'
                  f'<rect class="{level}" width="{svg.fmt(rate)}" height="10" rx="5"/></svg>')
