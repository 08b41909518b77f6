"""Red team: at import, fills its scratch folder with 16 MiB files (the most RLIMIT_FSIZE lets
one file hold) until a write is refused. The write quota (64 MiB) refuses it early, and its
functions are graded as they are: full marks. Past 256 MiB the quota did not hold, and
compute_cost says so by being wrong (it stops at 1 GiB, so a grader without a quota still
gets its disk back).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os

_BLOCK = b"\0" * (1 << 20)
_WRITTEN = 0
try:
    for _n in range(64):
        _fd = os.open(f"fill-{_n}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for _ in range(16):
                _WRITTEN += os.write(_fd, _BLOCK)
        finally:
            os.close(_fd)
except OSError:
    pass

_compute_cost = compute_cost


def compute_cost(A2, Y):
    """Right only if the quota held."""
    cost = _compute_cost(A2, Y)
    return cost if _WRITTEN <= 256 << 20 else cost + 1.0
