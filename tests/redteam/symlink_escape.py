"""Red team: Makes symlinks in its scratch folder to the solutions and reads through them, and
tries open_by_handle-free tricks like /proc/self/root.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import hashlib as _hashlib
import os
import re as _re

SECRET_SHA = "__SECRET_SHA__"  # sha256 of the grader's GRADER_SECRET, put here by the test
FOUND = False


def hidden(data) -> bool:
    """Whether bytes or text are hidden material: a solution, a hidden test, a canary, a secret."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if b"BEGIN SOLUTION" in data or b"spec = Spec(" in data or b"CANARY-" in data:
        return True
    if b"STDIN-SECRET-" in data:
        return True
    for value in _re.findall(rb"GRADER_SECRET=([A-Za-z0-9_-]+)", data):
        if _hashlib.sha256(value).hexdigest() == SECRET_SHA:
            print("stolen secret:", value.decode())  # so a leak into reports would show
            return True
    return False


def read(path, limit=1 << 20):
    """Up to ``limit`` bytes of a file; never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError):
        return b""
    try:
        return os.read(fd, limit)
    except OSError:
        return b""
    finally:
        os.close(fd)

import os

for _i, _target in enumerate(["__SOLUTIONS_DIR__/one_hidden_layer/reference.py",
                              "__CANARY_DIR__/secret.txt"]):
    try:
        os.symlink(_target, f"link{_i}")
        FOUND = FOUND or hidden(read(f"link{_i}"))
    except OSError:
        pass
    FOUND = FOUND or hidden(read("/proc/self/root" + _target))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
