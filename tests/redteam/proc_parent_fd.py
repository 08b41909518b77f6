"""Red team: Opens every descriptor of the grader through /proc/<ppid>/fd (files, folders), looking
for hidden material.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os

_dir = f"/proc/{os.getppid()}/fd"
try:
    _fds = os.listdir(_dir)
except OSError:
    _fds = []
for _fd in _fds:
    _path = os.path.join(_dir, _fd)
    if os.path.isdir(_path):
        for _sub in ("one_hidden_layer/reference.py", "solutions/one_hidden_layer/reference.py"):
            FOUND = FOUND or hidden(read(os.path.join(_path, _sub)))
    elif os.path.isfile(_path):
        FOUND = FOUND or hidden(read(_path))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
