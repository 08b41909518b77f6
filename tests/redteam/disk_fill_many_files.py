"""Red team: at import, makes empty files in its scratch folder until that is refused (each
costs the kernel an inode and a directory entry, whatever its size). The quota's file cap
(4096) refuses it early, and its functions are graded as they are: full marks. Past 10,000
files the cap did not hold, and compute_cost says so by being wrong (it stops at 50,000).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os

_MADE = 0
try:
    for _n in range(50_000):
        os.close(os.open(f"empty-{_n}", os.O_WRONLY | os.O_CREAT, 0o600))
        _MADE += 1
except OSError:
    pass

_compute_cost = compute_cost


def compute_cost(A2, Y):
    """Right only if the file cap held."""
    cost = _compute_cost(A2, Y)
    return cost if _MADE <= 10_000 else cost + 1.0
