"""Errors the user must fix before grading can start (the CLI turns them into exit code 2,
or 3 when grading would not be safe here)."""


class UsageError(Exception):
    """Bad arguments: unknown assignment, missing path, nothing to grade."""


class CannotGradeSafely(UsageError):
    """No filesystem layer can keep student code from the hidden files here (and --unsafe is
    off), or the one available would not hold as things are (the CLI exits with 3)."""

    exit_code = 3
