"""Red team: Reads stdin and /dev/tty (the test feeds the grader a secret on stdin).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

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


# __INCLUDE__ found_scores_cost
