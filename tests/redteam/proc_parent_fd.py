"""Red team: Opens every descriptor of the grader through /proc/<ppid>/fd (files, folders), looking
for hidden material.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

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


# __INCLUDE__ found_scores_cost
