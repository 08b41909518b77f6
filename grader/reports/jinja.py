"""The jinja2 environment for the HTML reports; templates ship inside the package."""

from __future__ import annotations

import functools
import math
import re

import jinja2

from grader.grading.results import safe_text


def number(value, digits: int = 4) -> str:
    """Points and percentages without trailing zeros: 3, 2.5, 66.67."""
    if value is None:
        return "—"
    return f"{round(float(value), digits):g}"


def scientific(value) -> str:
    """A relative error: 3.1e-09; a dash when it could not be computed."""
    if value is None or not isinstance(value, int | float) or not math.isfinite(value):
        return "—" if value is None else str(value)
    return f"{value:.1e}"


CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]")


def printable(text) -> str:
    """What a student's program printed, without terminal colour codes or control bytes."""
    return CONTROL.sub("", str(text))


def plain_text(value):
    """Every plain string a template prints (a roster's name, an export's), without control
    or format characters; markup the grader built (``Markup``, SVG) is left as it is."""
    return safe_text(value) if type(value) is str else value


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("grader.reports", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined,
                             auto_reload=False,  # they ship in the package: never re-read
                             finalize=plain_text)
    env.filters.update(number=number, scientific=scientific, printable=printable)
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


def warm(*templates: str) -> None:
    """Compile templates now, in a process about to fork, so its children do not each do it."""
    for template in templates:
        environment().get_template(template)
