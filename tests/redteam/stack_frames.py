"""Red team: Walks up the call stack from compute_cost looking for the reference or the expected
values.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import sys


def compute_cost(A2, Y):
    frame = sys._getframe(1)
    found = None
    while frame is not None and found is None:
        for name in ("ref", "reference", "expected", "case"):
            if name in frame.f_locals:
                found = frame.f_locals[name]
        frame = frame.f_back
    if hasattr(found, "compute_cost"):
        return found.compute_cost(A2, Y)
    if isinstance(found, (float, int)):
        return float(found)
    return 0.0
