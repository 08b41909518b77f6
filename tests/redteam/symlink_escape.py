"""Red team: Makes symlinks in its scratch folder to the solutions and reads through them, and
tries open_by_handle-free tricks like /proc/self/root.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

for _i, _target in enumerate(["__SOLUTIONS_DIR__/one_hidden_layer/reference.py",
                              "__CANARY_DIR__/secret.txt"]):
    try:
        os.symlink(_target, f"link{_i}")
        FOUND = FOUND or hidden(read(f"link{_i}"))
    except OSError:
        pass
    FOUND = FOUND or hidden(read("/proc/self/root" + _target))


# __INCLUDE__ found_scores_cost
