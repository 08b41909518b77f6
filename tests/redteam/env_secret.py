"""Red team: Looks for GRADER_SECRET in its own environment (os.environ and /proc/self/environ) and
prints the whole environment.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os

print(dict(os.environ))
FOUND = hidden("\n".join(f"{k}={v}" for k, v in os.environ.items())) \
    or hidden(read("/proc/self/environ"))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
