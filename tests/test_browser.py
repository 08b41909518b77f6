"""The example reports in a real browser: headless Chromium renders report.html and
index.html, takes screenshots, and dumps the DOM it built.

Checks that the browser reports no error (its console log), that it parsed the plots as SVG
(the elements are in its DOM, not text), and that the plots are drawn: the decision regions'
two tints cover an area of the plot's size, the dots and the curve are there in their
colours, the histogram's bars too. Skipped, saying why, where no Chromium is installed
(.ci/run installs Debian's `chromium` package where it can).

    python tests/test_browser.py docs/     # writes the small screenshots docs/ shows
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import EXAMPLES, SOLUTIONS, run_cli  # noqa: E402

from grader.reports import plots  # noqa: E402
from grader.reports.svg import tint  # noqa: E402

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = pytest.mark.xdist_group("browser")

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH = 1000


def browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def chromium(page: Path, *flags: str, height: int = 3000) -> subprocess.CompletedProcess:
    """One headless Chromium run on a local file (a throw-away profile; no network use)."""
    profile = page.parent / f".chromium-profile-{os.getpid()}"
    command = [browser(), "--headless", "--disable-gpu", "--no-first-run",
               "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
               "--force-device-scale-factor=1", f"--window-size={WIDTH},{height}",
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *flags,
               page.as_uri()]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=page.parent)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_errors(log: str) -> list[str]:
    """What the page itself got wrong, from Chromium's log (its own start-up noise about
    D-Bus or GPUs is not the page's)."""
    return [line for line in log.splitlines()
            if "CONSOLE" in line or "Failed to load resource" in line
            or "ERR_" in line or "Refused to" in line]


def render(page: Path, height: int = 3000):
    """(the screenshot as an RGB image, the DOM Chromium built, the page's errors)."""
    from PIL import Image

    shot = page.parent / f"{page.stem}.png"
    ran = chromium(page, f"--screenshot={shot}", height=height)
    assert ran.returncode == 0 and shot.is_file(), ran.stderr[-3000:]
    dom = chromium(page, "--dump-dom", height=height)
    assert dom.returncode == 0, dom.stderr[-3000:]
    image = Image.open(shot).convert("RGB")
    return image, dom.stdout, page_errors(ran.stderr + dom.stderr)


def area(image, color: tuple[int, int, int], tolerance: int = 6, *, line: int = 20):
    """(pixel count, bounding box) of the pixels within ``tolerance`` of ``color``; the box
    spans the rows and columns holding at least ``line`` of them (a stray anti-aliased
    pixel of a similar colour elsewhere does not widen it)."""
    import numpy as np

    pixels = np.asarray(image, dtype=np.int16)
    mask = (np.abs(pixels - np.array(color)) <= tolerance).all(axis=2)
    rows, columns = np.nonzero(mask.sum(axis=1) >= line)[0], np.nonzero(
        mask.sum(axis=0) >= line)[0]
    if not rows.size or not columns.size:
        return int(mask.sum()), None
    return int(mask.sum()), (columns.min(), rows.min(), columns.max(), rows.max())


def rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if browser() is None:
        pytest.skip("no Chromium installed (Debian: apt-get install chromium); "
                    ".ci/run installs it where it can")
    out = tmp_path_factory.mktemp("browser")
    result = run_cli("-a", "one_hidden_layer", "-o", out, "--solutions", SOLUTIONS, EXAMPLES)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_report_html_renders_with_its_plots_drawn(reports):
    image, dom, errors = render(reports / "correct" / "report.html")
    assert errors == []
    assert dom.count("<circle") == 80 + 6 and dom.count("<polyline") == 1  # data, costs
    assert "Decision boundary of your trained network" in dom
    blue_region, blue_box = area(image, tint(plots.BLUE, 0.18))
    red_region, red_box = area(image, tint(plots.RED, 0.18))
    assert blue_region > 10_000 and red_region > 10_000  # both classes' regions are drawn
    left, top = min(blue_box[0], red_box[0]), min(blue_box[1], red_box[1])
    right, bottom = max(blue_box[2], red_box[2]), max(blue_box[3], red_box[3])
    # the regions fill the decision boundary's plotting area (414 x 324 less the margins)
    assert abs((right - left + 1) - 342) <= 3 and abs((bottom - top + 1) - 268) <= 3
    dots = image.crop((left, top, right + 1, bottom + 1))
    assert area(dots, rgb(plots.BLUE), 30)[0] > 300 and area(dots, rgb(plots.RED), 30)[0] > 300
    curve = image.crop((right + 20, top - 20, min(image.width, right + 480), bottom + 20))
    assert area(curve, rgb(plots.BLUE), 30)[0] > 200  # the cost curve's line and dots


@pytest.mark.slow
def test_index_html_renders_with_its_histogram_and_rate_bars(reports, flagship):
    image, dom, errors = render(reports / "index.html", height=1600)
    assert errors == []
    checks = len(flagship.spec.tests)
    assert dom.count('class="bin"') == 10 and dom.count('class="bar"') == checks
    bars, box = area(image, rgb(plots.BLUE), 10)
    # a bar per score decile, the tallest 190 px high and every bar at least 40 px wide
    scores = [json.loads(path.read_text())["score"] for path in reports.glob("*/results.json")]
    deciles = Counter(min(int(score // 10), 9) for score in scores)
    tallest = max(deciles.values())
    assert len(scores) == 4 and box is not None
    assert bars > sum(40 * 190 * count / tallest for count in deciles.values())
    assert area(image, (0xd6, 0x9e, 0x2e), 10)[0] > 29 * 50  # the pass-rate bars (2 of 4: amber)


def docs_screenshots(folder: Path) -> None:
    """Small screenshots of the example reports for docs/ (palette PNGs, cropped)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = run_cli("-a", "one_hidden_layer", "-o", out, "--solutions", SOLUTIONS,
                         EXAMPLES)
        assert result.exit_code == 0, result.output
        report, _, _ = render(out / "keepdims" / "report.html", height=3400)
        index, _, _ = render(out / "index.html", height=1000)
        correct, _, _ = render(out / "correct" / "report.html", height=3000)
        _, box = area(correct, tint(plots.BLUE, 0.18))
        shots = {"report-example.png": report.crop((0, 0, WIDTH, 900)),
                 "report-plots-example.png": correct.crop(
                     (0, box[1] - 80, WIDTH, box[1] + 340)),
                 "index-example.png": index.crop((0, 0, WIDTH, 860))}
        for name, shot in shots.items():
            small = shot.resize((shot.width * 3 // 4, shot.height * 3 // 4))
            buffer = io.BytesIO()
            small.quantize(colors=64).save(buffer, format="PNG", optimize=True)
            (folder / name).write_bytes(buffer.getvalue())
            print(f"{folder / name}: {len(buffer.getvalue()) // 1024} KiB")


if __name__ == "__main__":
    docs_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
