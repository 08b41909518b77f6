"""The reports' SVG plots, read back as a reader of the page would: positions are turned into
data values through the axes' own tick labels, and the decision regions' raster is decoded
pixel by pixel, then compared with the numbers the plot was drawn from."""

from __future__ import annotations

import io
import math
import subprocess
import sys

import numpy as np
import pytest
from conftest import EXAMPLES, SOLUTIONS
from formats import SVG_NS, svg_charts, svg_png

from grader.reports import plots


def chart(markup) -> object:
    (root,) = svg_charts(str(markup)).values()
    return root


def axis(root, which: str, *, log: bool = False):
    """Pixel -> data value along one axis, fitted through the tick labels' text and positions
    (every tick must sit on the same line, or the fit fails)."""
    ticks = [(float(text.get("x" if which == "x" else "y")), float(text.text))
             for text in root.iter(SVG_NS + "text") if text.get("class") == f"tick {which}"]
    assert len(ticks) >= 2, f"the {which} axis has fewer than two labelled ticks"
    pixels = np.array([p for p, _ in ticks])
    values = np.array([math.log10(v) if log else v for _, v in ticks])
    slope, offset = np.polyfit(pixels, values, 1)
    assert np.allclose(slope * pixels + offset, values, atol=1e-3 * np.ptp(values))
    return (lambda px: 10 ** (slope * px + offset)) if log else (lambda px: slope * px + offset)


def polyline_points(root) -> np.ndarray:
    (line,) = root.iter(SVG_NS + "polyline")
    return np.array([[float(v) for v in pair.split(",")] for pair in line.get("points").split()])


@pytest.mark.parametrize("curve, log", [
    ([{"iteration": 0, "cost": 0.69}, {"iteration": 5, "cost": 0.5},
      {"iteration": 10, "cost": 0.4}, {"iteration": 25, "cost": None},
      {"iteration": 50, "cost": 0.2}], False),
    ([{"iteration": 0, "cost": 0.6931}, {"iteration": 10, "cost": 0.05},
      {"iteration": 50, "cost": 0.003}, {"iteration": 100, "cost": 1e-4}], True),
    ([{"iteration": 100, "cost": 0.25}], False),  # one point: the axes must still have a span
])
def test_the_cost_curve_passes_through_every_finite_cost(curve, log):
    root = chart(plots.cost_curve(curve))
    to_x, to_y = axis(root, "x"), axis(root, "y", log=log)
    drawn = [(to_x(px), to_y(py)) for px, py in polyline_points(root)]
    expected = [(p["iteration"], p["cost"]) for p in curve if p["cost"] is not None]
    assert len(drawn) == len(expected)
    for (x, y), (iteration, cost) in zip(drawn, expected, strict=True):
        assert x == pytest.approx(iteration, abs=0.5)
        assert y == pytest.approx(cost, rel=0.01)
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(SVG_NS + "circle")]
    assert np.allclose(dots, polyline_points(root))
    assert "logarithmic" in root.find("{*}desc").text if log else "logarithmic" not in str(root)


def test_a_cost_curve_without_a_finite_cost_is_refused():
    with pytest.raises(ValueError, match="no finite cost"):
        plots.cost_curve([{"iteration": 0, "cost": None}])


# a network that predicts class 1 exactly where x1 > 0.3: tanh(10 x1 - 3) > 0 there, so the
# sigmoid of 10 times it is above 0.5
STEP_NETWORK = {"W1": [[10.0, 0.0]], "b1": [[-3.0]], "W2": [[10.0]], "b2": [[0.0]]}


def training(X: np.ndarray, Y: np.ndarray, params=STEP_NETWORK) -> dict:
    return {"X": X.tolist(), "Y": Y.reshape(1, -1).tolist(), "hidden_activation": "tanh",
            "params": params}


def raster_class(root, to_x, to_y, x: float, y: float, data_to_px) -> str:
    """'red' or 'blue' or 'grey': the colour of the raster's pixel under data point (x, y)."""
    from PIL import Image

    (image,) = root.iter(SVG_NS + "image")
    picture = Image.open(io.BytesIO(svg_png(image))).convert("RGB")
    left, top = float(image.get("x")), float(image.get("y"))
    width, height = float(image.get("width")), float(image.get("height"))
    px, py = data_to_px(x, y)
    column = int((px - left) / width * picture.width)
    row = int((py - top) / height * picture.height)
    red, green, blue = picture.getpixel((column, row))
    if abs(red - blue) < 8:
        return "grey"
    return "red" if red > blue else "blue"


def pixel_of(to_x, to_y):
    """Data -> pixel, by inverting the fitted pixel -> data maps (they are linear)."""
    x0, x1 = to_x(0.0), to_x(1.0)
    y0, y1 = to_y(0.0), to_y(1.0)
    return lambda x, y: ((x - x0) / (x1 - x0), (y - y0) / (y1 - y0))


def test_the_decision_regions_hold_the_networks_class_at_known_points():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (2, 30))
    Y = (X[0] > 0.3).astype(float)
    root = chart(plots.decision_boundary(training(X, Y)))
    to_x, to_y = axis(root, "x"), axis(root, "y")
    to_px = pixel_of(to_x, to_y)
    for x in (-1.8, -1.0, 0.0, 0.2, 0.45, 1.0, 1.8):  # inside the data, padded by 0.5
        for y in (-1.8, 0.0, 1.8):
            expected = "red" if x > 0.3 else "blue"
            assert raster_class(root, to_x, to_y, x, y, to_px) == expected, (x, y)


def test_the_data_points_sit_where_the_data_says_in_their_class_colour():
    rng = np.random.default_rng(1)
    X = rng.uniform(-3, 1, (2, 25))
    Y = (rng.random(25) > 0.5).astype(float)
    root = chart(plots.decision_boundary(training(X, Y)))
    to_x, to_y = axis(root, "x"), axis(root, "y")
    drawn = {}
    for group in root.iter(SVG_NS + "g"):
        if group.get("class") == "points":
            drawn[group.get("fill")] = sorted(
                (round(to_x(float(c.get("cx"))), 1), round(to_y(float(c.get("cy"))), 1))
                for c in group.iter(SVG_NS + "circle"))
    for label, color in ((0, plots.BLUE), (1, plots.RED)):
        chosen = X[:, Y == label]
        expected = sorted((round(a, 1), round(b, 1)) for a, b in chosen.T)
        assert np.allclose(drawn[color], expected, atol=0.02)


def test_a_network_without_a_prediction_leaves_grey_regions():
    X = np.array([[0.0, 1.0], [0.0, 1.0]])
    nan_network = {**STEP_NETWORK, "W2": [[None]]}  # a weight that was not finite
    root = chart(plots.decision_boundary(training(X, np.array([0.0, 1.0]), nan_network)))
    to_x, to_y = axis(root, "x"), axis(root, "y")
    assert raster_class(root, to_x, to_y, 0.5, 0.5, pixel_of(to_x, to_y)) == "grey"


def test_the_histogram_counts_every_score_once():
    percents = [0, 5, 12.5, 50, 50, 99.9, 100, 100, 100]
    root = chart(plots.histogram(percents))
    bars = [bar for bar in root.iter(SVG_NS + "rect") if bar.get("class") == "bin"]
    assert [int(bar.get("data-count")) for bar in bars] == [2, 1, 0, 0, 0, 2, 0, 0, 0, 4]
    to_y = axis(root, "y")
    for bar in bars:
        top, bottom = float(bar.get("y")), float(bar.get("y")) + float(bar.get("height"))
        assert to_y(bottom) == pytest.approx(0, abs=0.01)
        assert to_y(top) == pytest.approx(int(bar.get("data-count")), abs=0.01)


def test_text_in_a_chart_is_escaped():
    root = chart(plots.cost_curve([{"iteration": 0, "cost": 0.5}, {"iteration": 3, "cost": .1}]))
    assert root.find("{*}title").text == "Cost during training"  # parsed: the markup is XML


def test_grading_with_plots_never_imports_matplotlib(tmp_path):
    """The plots are drawn without matplotlib (a student's code may still import it)."""
    script = ("import sys; from grader.cli import main\n"
              f"main(['-a', 'one_hidden_layer', '--solutions', {str(SOLUTIONS)!r}, '-o', "
              f"{str(tmp_path)!r}, '--jobs', '1', {str(EXAMPLES / 'correct.py')!r}], "
              "standalone_mode=False)\n"
              "print('matplotlib' in sys.modules, 'PIL' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["False", "True"]  # drawn (Pillow), not by matplotlib
    assert "<svg" in (tmp_path / "correct" / "report.html").read_text()
