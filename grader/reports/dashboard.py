"""index.html: the class dashboard, self-contained like report.html.

A score histogram and the pass rate of every check (hardest first), both inline SVG, the
commonest named mistakes, and a table linking every student's report.html.
"""

from __future__ import annotations

from pathlib import Path

from grader import __version__
from grader.atomic import write_atomic
from grader.reports import jinja
from grader.reports import plots as figures

FILENAME = "index.html"


def render(stats, *, plots: bool = True) -> str:
    percents = [row.percent for row in stats.gradable_rows]
    histogram, note = None, ""
    if percents and not plots:
        note = "The histogram was not drawn for this batch (--no-plots)."
    elif percents:
        try:
            histogram = figures.histogram(percents)
        except Exception as exc:  # a bad plot loses the plot, not the page
            note = f"The histogram could not be drawn ({type(exc).__name__}: {exc})."
    mean = sum(percents) / len(percents) if percents else None
    return jinja.render("index.html.j2", stats=stats, rows=stats.rows, histogram=histogram,
                        histogram_note=note, mean=mean, rate_bar=figures.rate_bar,
                        rates=stats.pass_rates(),
                        mistakes=stats.common_mistakes(), version=__version__,
                        full=sum(1 for p in percents if p >= 100),
                        not_gradable=len(stats.rows) - len(percents))


def write(stats, out: Path, *, plots: bool = True) -> Path:
    path = out / FILENAME
    write_atomic(path, render(stats, plots=plots))
    return path
