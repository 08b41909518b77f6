"""report.html: one student's feedback page, self-contained (inline CSS, plots as inline SVG).

It shows every check with its message (and the named mistake, when one was recognised),
the gradient-check table, and, when the student's nn_model ran, the decision boundary and
cost curve of the student's own training. A plot that cannot be drawn is replaced by a note;
it never stops the report from being written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader import __version__
from grader.atomic import write_atomic
from grader.grading.results import ERROR, FAILED, PASSED, CheckResult, SubmissionResult, safe_text
from grader.reports import jinja

FILENAME = "report.html"
LABELS = {PASSED: "passed", FAILED: "failed", ERROR: "not gradable"}


@dataclass
class Group:
    function: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def points(self) -> float:
        return sum(check.points for check in self.checks)

    @property
    def max_points(self) -> float:
        return sum(check.max_points for check in self.checks)


def grouped(checks: list[CheckResult]) -> list[Group]:
    """Checks by the student function they grade, in the order the functions first appear."""
    groups: dict[str, Group] = {}
    for check in checks:
        groups.setdefault(check.function, Group(check.function)).checks.append(check)
    return list(groups.values())


def gradient_tables(result: SubmissionResult) -> list[dict]:
    return [{"check": check.name, "rows": check.data["gradient_check"],
             "threshold": check.data.get("threshold")}
            for check in result.checks if isinstance(check.data.get("gradient_check"), list)]


def training_figures(result: SubmissionResult,
                     plots_wanted: bool = True) -> tuple[list[dict], list[str]]:
    """The plots of the student's own training, if nn_model produced data; notes otherwise."""
    training = next((check.data["training"] for check in result.checks
                     if isinstance(check.data.get("training"), dict)), None)
    if training is None:
        return [], []
    if not plots_wanted or training.get("drawn") is False:  # graded with --no-plots
        return [], ["Plots of your training were not drawn for this batch (--no-plots)."]
    from grader.reports import plots  # only when there is something to draw

    figures, notes = [], []
    for caption, alt, draw in (
            ("Decision boundary: where your trained network predicts class 1 (red) or 0 "
             "(blue), over the training set it was graded on (dots: y = 1 red, y = 0 blue).",
             "decision boundary", lambda: plots.decision_boundary(training)),
            ("Cost during training: the cost of the parameters your nn_model returns after "
             "each number of iterations (same initial weights every time).",
             "cost curve", lambda: plots.cost_curve(training.get("cost_curve", [])))):
        try:
            figures.append({"svg": draw(), "caption": caption, "alt": alt})
        except Exception as exc:  # a bad plot loses the plot, not the report
            notes.append(f"The {alt} could not be drawn ({type(exc).__name__}: {exc}).")
    return figures, notes


def render(result: SubmissionResult, *, title: str = "", plots: bool = True) -> str:
    figures, notes = training_figures(result, plots)
    percent = 100 * result.score / result.max_score if result.max_score else 0.0
    return jinja.render("report.html.j2", result=result, title=title or result.assignment,
                        groups=grouped(result.checks), labels=LABELS, percent=percent,
                        gradient_tables=gradient_tables(result), figures=figures,
                        plot_notes=notes, version=__version__)


def fallback(result: SubmissionResult, error: Exception) -> str:
    """A bare page for when rendering fails: one student's report must not stop a batch."""
    from html import escape

    reason = safe_text(str(error)[:300])
    return (f"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>"
            f"{escape(result.student)}</title><h1>{escape(result.student)}</h1><p>This report "
            f"could not be rendered ({escape(type(error).__name__)}: {escape(reason)})"
            f"; results.json and grader.json hold the results.</p></html>\n")


def write(result: SubmissionResult, directory: Path, *, title: str = "",
          plots: bool = True, pending=None) -> Path:
    path = directory / FILENAME
    try:
        page = render(result, title=title, plots=plots)
    except Exception as exc:  # a bug in a template or odd check data; the results are safe
        page = fallback(result, exc)
    write_atomic(path, page, pending=pending)
    return path
