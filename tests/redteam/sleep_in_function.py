"""Red team: compute_cost sleeps for an hour: only the cost checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import time


def compute_cost(A2, Y):
    time.sleep(3600)
