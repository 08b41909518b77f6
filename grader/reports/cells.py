"""Helpers shared by the tabular formats: safe spreadsheet cells, numbers without noise."""

from __future__ import annotations

from grader.grading.results import safe_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection), without control or
    format characters (a name from a roster or an export, shown as it renders nowhere else)."""
    value = safe_text(str(value))
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def number_cell(value: float | None) -> str:
    """3, 2.5, 66.6667; empty for no value (never a 0 that was not earned)."""
    return "" if value is None else f"{round(float(value), 4):g}"


def lateness(result) -> str:
    """"late" (the export's flag), or the days a late penalty counted, or ""."""
    days = result.penalty.get("days_late") if result.penalty else None
    if days:
        return f"{days:g} day(s) late, -{result.penalty.get('percent', 0):g}%"
    return "late" if result.origin.get("late") else ""
