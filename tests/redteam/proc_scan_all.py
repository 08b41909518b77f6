"""Red team: Reads the environ and cmdline of every process on the machine for the grader's secret.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

try:  # a careful attacker expects /proc to be closed
    _pids = os.listdir("/proc")
except OSError:
    _pids = []
for _pid in _pids:
    if _pid.isdigit() and int(_pid) != os.getpid():
        FOUND = FOUND or hidden(read(f"/proc/{_pid}/environ")) \
            or hidden(read(f"/proc/{_pid}/cmdline"))


# __INCLUDE__ found_scores_cost
