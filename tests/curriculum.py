"""Helpers for the variants modules of the curriculum's assignments (tests/variants_<name>.py)."""

from __future__ import annotations

from conftest import EXAMPLES


def correct_example(assignment: str) -> str:
    return (EXAMPLES / assignment / "correct.py").read_text()


def make_variant(base: str, *replacements: tuple[str, str]) -> str:
    """``base`` with each (old, new) replaced everywhere; fails loudly if ``old`` is absent."""
    for old, new in replacements:
        assert old in base, f"variant refers to text not in the correct example: {old!r}"
        base = base.replace(old, new)
    return base
