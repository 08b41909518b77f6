"""Helpers shared by the tabular formats: safe spreadsheet cells, numbers without noise."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def number_cell(value: float | None) -> str:
    """3, 2.5, 66.6667; empty for no value (never a 0 that was not earned)."""
    return "" if value is None else f"{round(float(value), 4):g}"
