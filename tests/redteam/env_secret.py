"""Red team: Looks for GRADER_SECRET in its own environment (os.environ and /proc/self/environ) and
prints the whole environment.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

print(dict(os.environ))
FOUND = hidden("\n".join(f"{k}={v}" for k, v in os.environ.items())) \
    or hidden(read("/proc/self/environ"))


# __INCLUDE__ found_scores_cost
