"""Red team: Opens the hidden solutions by absolute path (the test passes in the real paths of the
grader's solutions folder and of the repository's).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os

for _solutions in ("__SOLUTIONS_DIR__", "__REPO_SOLUTIONS__"):
    for _name in ("reference.py", "tests.py"):
        FOUND = FOUND or hidden(read(os.path.join(_solutions, "one_hidden_layer", _name)))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
