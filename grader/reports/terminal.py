"""The summary table printed at the end of a batch."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from grader.grading.results import NOT_GRADABLE, safe_text


def plain(text) -> str:
    """Text for a rich table cell that shows as it is: no control character reaches the
    terminal, and no ``[markup]`` in a name is obeyed."""
    return escape(safe_text(str(text)))


def print_summary(rows, *, title: str, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=plain(title), title_justify="left")
    table.add_column("student")
    table.add_column("score", justify="right")
    table.add_column("%", justify="right")
    table.add_column("failed checks")
    for row in rows:
        percent = 100 * row.score / row.max_score if row.max_score else 0.0
        if row.status == NOT_GRADABLE:
            score, failed = "[bold red]not gradable[/]", "see its report"
        else:
            score = f"{row.score:g} / {row.max_score:g}"
            failed = "; ".join(map(plain, row.failed[:3])) + (f" (+{len(row.failed) - 3} more)"
                                                   if len(row.failed) > 3 else "")
            if row.mistakes:
                failed += f" [bold]mistake: {plain(', '.join(row.mistakes))}[/]"
            elif getattr(row, "cause", ""):
                failed += f" [dim]first: {plain(row.cause)}[/]"
        style = "green" if row.score == row.max_score else "yellow" if percent >= 50 else "red"
        table.add_row(plain(row.student), score, f"[{style}]{percent:.0f}[/]", failed or "-")
    console.print(table)
