"""Restrictions a worker puts on itself before it receives any student code.

The worker is trusted until the first ``load`` request; :func:`enter` runs before that and
only tightens (limits can be lowered, never raised again by an unprivileged process).
Each protection reports whether it took hold, so reports can say what was active.
"""

from __future__ import annotations

import resource

DEFAULT_LIMITS = {
    "cpu_seconds": 120,  # CPU time for the whole submission (wall time per call is the grader's)
    "address_space_mb": 2048,
    "file_size_mb": 16,
    "open_files": 64,
}

_RLIMITS = {
    "cpu_seconds": (resource.RLIMIT_CPU, 1),
    "address_space_mb": (resource.RLIMIT_AS, 1024 * 1024),
    "file_size_mb": (resource.RLIMIT_FSIZE, 1024 * 1024),
    "open_files": (resource.RLIMIT_NOFILE, 1),
}


def enter(limits: dict) -> dict[str, bool]:
    """Apply resource limits to this process; returns which protections are active."""
    active = {}
    settings = dict(DEFAULT_LIMITS, **limits)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name, (which, unit) in _RLIMITS.items():
        value = int(settings[name] * unit)
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            # CPU: SIGXCPU at the soft limit, SIGKILL a second later if it is caught
            hard_value = value + 1 if which == resource.RLIMIT_CPU else value
            resource.setrlimit(which, (value, hard_value))
            active[name] = True
        except (ValueError, OSError):
            active[name] = False
    return active
