"""summary.md: GitHub-flavoured Markdown for a CI job summary ($GITHUB_STEP_SUMMARY).

A table of every student, the pass rate of every check, then what each student has to fix
(failed checks with their messages and named mistakes), cut off before GitHub's 1 MiB
limit for a step summary. Text from results is escaped so it cannot inject HTML or break
the tables; `code spans` in messages are kept.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from grader.atomic import write_atomic
from grader.grading.results import ERROR, NOT_GRADABLE, PASSED, SubmissionResult, safe_text
from grader.reports.cells import number_cell

FILENAME = "summary.md"
DETAILS_BUDGET = 400_000  # characters of per-student detail; the summary limit is 1 MiB
MESSAGE_LIMIT = 600
SPECIAL = re.compile(r"([\\*_\[\]#<>|~])")


def escape(text: str, limit: int | None = None) -> str:
    """One line of Markdown that shows ``text`` as it is, keeping `code spans` as code (and
    never a control character, even from results that did not pass through the model)."""
    text = " ".join(safe_text(str(text)).split())
    if limit and len(text) > limit:
        text = text[:limit - 1] + "…"
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick: no code spans at all
        return SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("`", r"\`")
    out = []
    for index, part in enumerate(parts):
        if index % 2:  # inside a code span: only the table separator needs escaping
            out.append("`" + part.replace("|", "\\|") + "`")
        else:
            out.append(SPECIAL.sub(r"\\\1", html.escape(part, quote=False)))
    return "".join(out)


def score_text(row) -> str:
    if not row.gradable:
        return "**not gradable**"
    return f"{number_cell(row.score)} / {number_cell(row.max_score)}"


class Details:
    """Collects what each student must fix, streamed, within a fixed budget of characters."""

    def __init__(self, budget: int = DETAILS_BUDGET):
        self.parts: list[str] = []
        self.used, self.budget, self.left_out = 0, budget, 0

    def add(self, result: SubmissionResult) -> None:
        if result.status != NOT_GRADABLE and not result.failed:
            return
        text = self.section(result)
        if self.used + len(text) > self.budget:
            self.left_out += 1
            return
        self.parts.append(text)
        self.used += len(text)

    @staticmethod
    def section(result: SubmissionResult) -> str:
        if result.status == NOT_GRADABLE:
            head = f"not gradable (this is not a score of 0): {escape(result.reason, 400)}"
        else:
            head = f"{number_cell(result.score)} / {number_cell(result.max_score)} points"
        lines = [f"### {escape(result.student)}: {head}", ""]
        for check in result.checks:
            if check.status == PASSED:
                continue
            mark = "⚠️ not gradable" if check.status == ERROR else "❌"
            lines.append(f"- {mark} **{escape(check.name)}** "
                         f"({number_cell(check.points)} / {number_cell(check.max_points)}): "
                         f"{escape(check.message, MESSAGE_LIMIT)}")
            if check.mistake:
                lines.append(f"  - Likely mistake: **{escape(check.mistake.get('name', ''))}**."
                             f" {escape(check.mistake.get('explanation', ''), 300)}"
                             f" Fix: {escape(check.mistake.get('fix', ''), 300)}")
        return "\n".join(lines) + "\n\n"


def roster_lines(stats) -> list[str]:
    """The roster's students without a submission, and submissions not on the roster."""
    lines = []
    if stats.missing:
        lines += ["", f"**No submission from {len(stats.missing)} student(s) on the roster:** "
                  + ", ".join(escape(person.name or person.id) for person in stats.missing)]
    if stats.unknown:
        lines += ["", f"**{len(stats.unknown)} submission(s) from students not on the roster** "
                  "(left out of canvas.csv): " + ", ".join(map(escape, stats.unknown))]
    if stats.notes:
        lines += ["", "**From the download** (not graded, or read otherwise than it looked):",
                  ""] + [f"- {escape(note, MESSAGE_LIMIT)}" for note in stats.notes[:50]]
    return lines


def render(stats, details: Details) -> str:
    rows = stats.rows
    gradable = [row.percent for row in stats.gradable_rows]
    mean = f"{sum(gradable) / len(gradable):.1f}%" if gradable else "-"
    full = sum(1 for p in gradable if p >= 100)
    lines = [f"## {escape(stats.title)}", "",
             f"{len(rows)} submission(s) · mean score {mean} · {full} with full marks · "
             f"{len(rows) - len(gradable)} not gradable", "",
             "| student | score | % | failed checks |", "|---|---:|---:|---|"]
    for row in rows:
        percent = "-" if row.percent is None else f"{row.percent:.0f}"
        if not row.gradable:
            failed = escape(row.reason, 200)
        else:
            failed = "; ".join(escape(name, 80) for name in row.failed[:3])
            failed += f" (+{len(row.failed) - 3} more)" if len(row.failed) > 3 else ""
        who = escape(row.student) + (f" ({escape(row.name)})" if row.name else "")
        who += f" *{escape(row.late)}*" if row.late else ""
        lines.append(f"| {who} | {score_text(row)} | {percent} | {failed or '-'} |")
    lines += roster_lines(stats)
    rates = stats.pass_rates()
    if rates and len(rows) > 1:
        lines += ["", "<details><summary>Pass rate per check</summary>", "",
                  "| check | passed |", "|---|---:|"]
        lines += [f"| {escape(name)} | {passed} / {graded} |" for name, passed, graded in rates]
        lines += ["", "</details>"]
    mistakes = stats.common_mistakes()
    if mistakes:
        lines += ["", "### Commonest mistakes", "",
                  "| mistake | students | fix |", "|---|---:|---|"]
        lines += [f"| {escape(name)} | {count} | {escape(fix, 200)} |"
                  for name, count, fix in mistakes]
    lines += ["", *details.parts]
    if details.left_out:
        lines.append(f"_{details.left_out} more student(s) left out to keep this summary short: "
                     "see each student's report.html._\n")
    return "\n".join(lines).rstrip("\n") + "\n"


def write(stats, details: Details, out: Path) -> Path:
    path = out / FILENAME
    write_atomic(path, render(stats, details))
    return path
