"""Red team: Reads the environ and cmdline of every process on the machine for the grader's secret.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os

try:  # a careful attacker expects /proc to be closed
    _pids = os.listdir("/proc")
except OSError:
    _pids = []
for _pid in _pids:
    if _pid.isdigit() and int(_pid) != os.getpid():
        FOUND = FOUND or hidden(read(f"/proc/{_pid}/environ")) \
            or hidden(read(f"/proc/{_pid}/cmdline"))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
