"""Red team: Follows /proc/<ppid>/cwd and /proc/<ppid>/root to the grader's solutions folder.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

for _base in (f"/proc/{os.getppid()}/cwd", f"/proc/{os.getppid()}/root/__SOLUTIONS_DIR__/.."):
    for _name in ("reference.py", "tests.py"):
        FOUND = FOUND or hidden(read(os.path.join(_base, "solutions", "one_hidden_layer", _name)))


# __INCLUDE__ found_scores_cost
