"""report.html: one student's feedback page, self-contained (inline CSS, plots as inline SVG).

It shows every check with its message (and the named mistake, when one was recognised),
the gradient-check table, and, when the student's nn_model ran, the decision boundary and
cost curve of the student's own training. A plot that cannot be drawn is replaced by a note;
it never stops the report from being written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


def fix_first(result: SubmissionResult) -> list[dict]:
    """Each named mistake once, with the points it costs and the checks it explains (their
    positions in ``result.checks``), the costliest first."""
    found: dict[str, dict] = {}
    for index, check in enumerate(result.checks):
        if check.status == PASSED or not isinstance(check.mistake, dict):
            continue
        key = str(check.mistake.get("id") or check.mistake.get("name", ""))
        entry = found.setdefault(key, dict(check.mistake, anchor=anchor_of(key), lost=0.0,
                                           checks=[]))
        entry["lost"] += check.max_points - check.points
        entry["checks"].append({"name": check.name, "anchor": f"check-{index}"})
    return sorted(found.values(), key=lambda entry: -entry["lost"])


def anchor_of(key: str) -> str:
    return "mistake-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in key)


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


def for_students(result: SubmissionResult) -> tuple[SubmissionResult, list[str]]:
    """What the feedback level and each check's visibility let students see: a copy of
    ``result`` holding only that, and notes on what was left out. ``full``: every visible
    check with its message, named mistake, tables and plots; ``summary``: passed or failed
    per visible check; ``score``: the score alone. Checks not ``visible`` are never listed."""
    notes = []
    hidden = [check for check in result.checks if check.visibility != "visible"]
    if hidden:
        notes.append(f"{len(hidden)} more check(s), worth "
                     f"{sum(c.max_points for c in hidden):g} point(s), are not shown here; "
                     "they count in the score above.")
    checks = [check for check in result.checks if check.visibility == "visible"]
    if result.feedback == "score":
        checks = []
        notes.append("Only the score is released for this assignment.")
    elif result.feedback == "summary":
        checks = [replace(check, message="", mistake=None, data={}) for check in checks]
        notes.append("Only whether each check passed is released for this assignment.")
    shown = replace(result, checks=checks,
                    output=result.output if result.feedback == "full" else "")
    return shown, notes


def render(result: SubmissionResult, *, title: str = "", plots: bool = True) -> str:
    percent = 100 * result.score / result.max_score if result.max_score else 0.0
    shown, visibility_notes = for_students(result)
    figures, notes = training_figures(shown, plots)
    return jinja.render("report.html.j2", result=result, title=title or result.assignment,
                        groups=grouped(shown.checks), labels=LABELS, percent=percent,
                        gradient_tables=gradient_tables(shown), figures=figures,
                        plot_notes=notes, version=__version__, fix_first=fix_first(shown),
                        anchor_of=anchor_of, output=shown.output,
                        visibility_notes=visibility_notes)


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
