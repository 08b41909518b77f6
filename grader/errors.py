"""Errors the user must fix before grading can start (the CLI turns them into exit code 2)."""


class UsageError(Exception):
    """Bad arguments: unknown assignment, missing path, nothing to grade."""
