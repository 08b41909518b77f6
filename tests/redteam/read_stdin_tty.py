"""Red team: Reads stdin and /dev/tty (the test feeds the grader a secret on stdin).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os
import sys

try:
    os.set_blocking(0, False)
    FOUND = hidden(os.read(0, 1 << 16))
except (OSError, ValueError, TypeError):
    pass
try:
    FOUND = FOUND or hidden(sys.stdin.read(1 << 16) or "")
except (OSError, ValueError, AttributeError):
    pass
try:
    _tty = os.open("/dev/tty", os.O_RDONLY | os.O_NONBLOCK)
    FOUND = FOUND or hidden(os.read(_tty, 1 << 16))
except OSError:
    pass


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
