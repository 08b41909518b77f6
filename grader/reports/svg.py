"""Charts as inline SVG markup: axes with ticks and labels, lines, points, bars, and a raster
image embedded as a PNG data URI.

The reports draw their plots with this instead of matplotlib: a chart is a few kilobytes of
text built from the numbers in microseconds, its labels stay selectable text, and the page
needs no script and no external resource. Every chart carries a ``<title>`` and a
``<desc>`` (``role="img"``), so a screen reader announces what it shows. All text is escaped
here; callers mark the result safe for jinja (``markupsafe.Markup``).
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from html import escape

import numpy as np
from markupsafe import Markup

FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#1a202c"'
GRID = "#e2e8f0"
AXIS = "#4a5568"


def fmt(value: float) -> str:
    """A coordinate with 0.1 px precision: enough for any screen."""
    return f"{value:.1f}" if math.isfinite(value) else "0"


def fmts(values) -> list[str]:
    """:func:`fmt` of many coordinates at once (plain floats format faster than numpy's)."""
    array = np.asarray(values, dtype=np.float64)
    return [f"{v:.1f}" for v in np.where(np.isfinite(array), array, 0.0).tolist()]


def label(value: float) -> str:
    """A tick label: 0.3 (not 0.30000000000000004), 100, 1e-05."""
    return f"{float(f'{value:.10g}'):g}"


@dataclass(frozen=True)
class Scale:
    """Data values [low, high] onto pixels [start, end] (end < start for a y axis)."""

    low: float
    high: float
    start: float
    end: float
    log: bool = False

    def __call__(self, value):
        if self.log:
            low, high = math.log10(self.low), math.log10(self.high)
            value = np.log10(value)
        else:
            low, high = self.low, self.high
        return self.start + (np.asarray(value, dtype=np.float64) - low) / (high - low) * (
            self.end - self.start)

    def ticks(self, count: int = 5) -> list[float]:
        return decades(self.low, self.high) if self.log else nice_ticks(self.low, self.high,
                                                                         count)


def nice_step(span: float, count: int) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten giving at most ``count`` steps."""
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values inside [low, high], about ``count`` of them."""
    step = nice_step(high - low, count)
    first = math.ceil(low / step - 1e-9)
    return [float(f"{k * step:.12g}") for k in range(first, math.floor(high / step + 1e-9) + 1)]


def nice_range(low: float, high: float, count: int = 5) -> tuple[float, float]:
    """[low, high] widened outwards to the nearest round ticks (a zero span made wider)."""
    if high <= low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step


def decades(low: float, high: float) -> list[float]:
    """Powers of ten inside [low, high], every other one when there are more than seven."""
    first, last = math.ceil(math.log10(low) - 1e-9), math.floor(math.log10(high) + 1e-9)
    every = 1 if last - first < 7 else 2
    return [10.0 ** k for k in range(first, last + 1, every)]


def log_range(low: float, high: float) -> tuple[float, float]:
    return 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))


@dataclass
class Chart:
    """One chart: its size, the plotting area inside the margins, and the markup so far."""

    width: int
    height: int
    title: str
    description: str
    ident: str
    left: int = 58
    right: int = 14
    top: int = 12
    bottom: int = 44

    def __post_init__(self):
        self.parts: list[str] = []

    @property
    def area(self) -> tuple[float, float, float, float]:
        """x0, y0 (top left), x1, y1 (bottom right) of the plotting area, in pixels."""
        return self.left, self.top, self.width - self.right, self.height - self.bottom

    def x_scale(self, low: float, high: float) -> Scale:
        x0, _, x1, _ = self.area
        return Scale(low, high, x0, x1)

    def y_scale(self, low: float, high: float, log: bool = False) -> Scale:
        _, y0, _, y1 = self.area
        return Scale(low, high, y1, y0, log)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def axes(self, x: Scale, y: Scale, x_label: str, y_label: str, *,
             grid: bool = True, x_ticks=None, y_ticks=None) -> None:
        """The frame, tick marks with their labels (and faint grid lines), axis labels."""
        x0, y0, x1, y1 = self.area
        marks = []
        for value in x.ticks() if x_ticks is None else x_ticks:
            px = fmt(float(x(value)))
            if grid:
                marks.append(f'<line x1="{px}" y1="{fmt(y0)}" x2="{px}" y2="{fmt(y1)}" '
                             f'stroke="{GRID}"/>')
            marks.append(f'<line x1="{px}" y1="{fmt(y1)}" x2="{px}" y2="{fmt(y1 + 4)}" '
                         f'stroke="{AXIS}"/><text class="tick x" x="{px}" y="{fmt(y1 + 16)}" '
                         f'text-anchor="middle" data-value="{value!r}">{label(value)}</text>')
        for value in y.ticks() if y_ticks is None else y_ticks:
            py = fmt(float(y(value)))
            if grid:
                marks.append(f'<line x1="{fmt(x0)}" y1="{py}" x2="{fmt(x1)}" y2="{py}" '
                             f'stroke="{GRID}"/>')
            marks.append(f'<line x1="{fmt(x0 - 4)}" y1="{py}" x2="{fmt(x0)}" y2="{py}" '
                         f'stroke="{AXIS}"/><text class="tick y" x="{fmt(x0 - 7)}" y="{py}" '
                         f'dy="0.32em" text-anchor="end" data-value="{value!r}">'
                         f'{label(value)}</text>')
        self.parts.insert(0, "".join(marks))  # under the data
        self.add(f'<rect x="{fmt(x0)}" y="{fmt(y0)}" width="{fmt(x1 - x0)}" '
                 f'height="{fmt(y1 - y0)}" fill="none" stroke="{AXIS}"/>')
        middle_y = (y0 + y1) / 2
        self.add(f'<text x="{fmt((x0 + x1) / 2)}" y="{fmt(self.height - 8)}" '
                 f'text-anchor="middle">{escape(x_label)}</text>'
                 f'<text x="14" y="{fmt(middle_y)}" text-anchor="middle" '
                 f'transform="rotate(-90 14 {fmt(middle_y)})">{escape(y_label)}</text>')

    def markup(self) -> Markup:
        title_id, desc_id = f"{self.ident}-title", f"{self.ident}-desc"
        return Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(self.ident)}" '
            f'width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" {FONT}>'
            f'<title id="{escape(title_id)}">{escape(self.title)}</title>'
            f'<desc id="{escape(desc_id)}">{escape(self.description)}</desc>'
            + "".join(self.parts) + "</svg>")


def polyline(xs, ys, color: str, *, css_class: str = "line") -> str:
    points = " ".join(f"{x},{y}" for x, y in zip(fmts(xs), fmts(ys), strict=True))
    return (f'<polyline class="{css_class}" points="{points}" fill="none" stroke="{color}" '
            f'stroke-width="1.8" stroke-linejoin="round"/>')


def circles(xs, ys, color: str, *, radius: float = 3.2, title: str = "",
            css_class: str = "points") -> str:
    """One group of dots of one colour (with a white rim so overlapping dots stay apart)."""
    r = fmt(radius)
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="{r}"/>'
                   for x, y in zip(fmts(xs), fmts(ys), strict=True))
    caption = f"<title>{escape(title)}</title>" if title else ""
    return (f'<g class="{css_class}" fill="{color}" stroke="white" stroke-width="0.6">'
            f"{caption}{dots}</g>")


def png_palette(indices: np.ndarray, palette: list[tuple[int, int, int]]) -> bytes:
    """A palette PNG of ``indices`` (rows from the top; each entry an index into ``palette``).

    A palette image of a few colours compresses to a few hundred bytes.
    """
    from PIL import Image  # only where a raster is drawn

    image = Image.fromarray(np.ascontiguousarray(indices, dtype=np.uint8))  # mode "L"
    image.putpalette([channel for color in palette for channel in color])  # now "P"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def raster(png: bytes, x0: float, y0: float, x1: float, y1: float, *,
           css_class: str = "raster") -> str:
    """A PNG stretched over the box (x0, y0)-(x1, y1), smoothed by the browser."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (f'<image class="{css_class}" x="{fmt(x0)}" y="{fmt(y0)}" width="{fmt(x1 - x0)}" '
            f'height="{fmt(y1 - y0)}" preserveAspectRatio="none" href="{uri}"/>')


def tint(color: str, alpha: float) -> tuple[int, int, int]:
    """``color`` (#rrggbb) at ``alpha`` over white, as an opaque RGB triple."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(255 + alpha * (c - 255)) for c in rgb)
