"""GitHub Actions workflow commands: an ``::error`` annotation for every failed check.

Annotations are escaped by the workflow-command rules (data: ``%``, CR, LF; properties also
``:`` and ``,``) so a message cannot end the command early or inject another one, and capped
in number (GitHub shows at most 10 errors per step) and length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from grader.grading.results import ERROR, NOT_GRADABLE, PASSED, SubmissionResult, safe_text
from grader.loading.submission import SubmissionRejected, read_source

MAX_ANNOTATIONS = 10
MAX_MESSAGE = 1000
MAX_TITLE = 200


def escape_data(text: str) -> str:
    """Workflow-command data; the log it goes to is shown on terminals too, so no other
    control character passes either."""
    return safe_text(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def command(kind: str, message: str, **properties) -> str:
    """``::kind key=value,...::message``, every part escaped."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items()
                     if value not in (None, ""))
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def definition_lines(path: Path | None) -> dict[str, int]:
    """Where each top-level function of the student's file starts, to point annotations at."""
    if path is None:
        return {}
    try:
        source = read_source(path)
    except (SubmissionRejected, OSError):
        return {}
    return {match.group(1): source.count("\n", 0, match.start()) + 1
            for match in re.finditer(r"^def\s+(\w+)\s*\(", source, re.M)}


def failure_message(check) -> str:
    text = check.message or "failed"
    if check.status == ERROR:
        text = f"not gradable (not a score of 0): {text}"
    if check.mistake and check.mistake.get("fix"):
        text += f"\nLikely mistake: {check.mistake.get('name', '')}. Fix: {check.mistake['fix']}"
    return text


def annotations(results: Iterable[SubmissionResult], *, file: str | None = None,
                limit: int = MAX_ANNOTATIONS, length: int = MAX_MESSAGE) -> Iterator[str]:
    """Workflow commands for what failed, at most ``limit`` errors, then one notice of the rest.

    ``file`` is the student's file as a path in the repository, for annotations on its lines.
    """
    lines = definition_lines(Path(file)) if file else {}
    emitted = left_out = 0
    for result in results:
        items = []
        if result.status == NOT_GRADABLE:
            items.append((f"{result.student}: not gradable",
                          f"Not gradable (this is not a score of 0): {result.reason}", None))
        for check in result.checks:
            if check.status != PASSED:
                items.append((f"{result.student}: {check.name}", failure_message(check),
                              lines.get(check.function)))
        for title, message, line in items:
            if emitted >= limit:
                left_out += 1
                continue
            emitted += 1
            yield command("error", shorten(message, length), title=shorten(title, MAX_TITLE),
                          file=file if file else None, line=line)
    if left_out:
        yield command("notice", f"{left_out} more failed check(s) not annotated: see the job "
                                "summary and the reports artifact", title="more failures")
