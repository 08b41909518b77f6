"""Red team: Opens the hidden solutions by absolute path (the test passes in the real paths of the
grader's solutions folder and of the repository's).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

for _solutions in ("__SOLUTIONS_DIR__", "__REPO_SOLUTIONS__"):
    for _name in ("reference.py", "tests.py"):
        FOUND = FOUND or hidden(read(os.path.join(_solutions, "one_hidden_layer", _name)))


# __INCLUDE__ found_scores_cost
