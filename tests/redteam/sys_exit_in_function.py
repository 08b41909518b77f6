"""Red team: sys.exit() inside compute_cost: only the cost checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import sys


def compute_cost(A2, Y):
    sys.exit(0)
