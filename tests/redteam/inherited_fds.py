"""Red team: Scans /proc/self/fd and fstat(0..1024) for inherited files and folders and reads them
(pipes are left alone).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os
import stat

for _fd in range(1025):
    try:
        _mode = os.fstat(_fd).st_mode
    except OSError:
        continue
    if stat.S_ISREG(_mode):
        try:
            FOUND = FOUND or hidden(os.pread(_fd, 1 << 20, 0))
        except OSError:
            pass
    elif stat.S_ISDIR(_mode):
        try:
            for _name in os.listdir(_fd):
                FOUND = FOUND or hidden(_name.encode()) or _name in ("solutions", "reference.py")
        except OSError:
            pass
try:  # a careful attacker expects /proc to be closed
    _names = os.listdir("/proc/self/fd")
except OSError:
    _names = []
for _name in _names:
    _target = os.path.join("/proc/self/fd", _name)
    if os.path.isfile(_target):
        FOUND = FOUND or hidden(read(_target))


# __INCLUDE__ found_scores_cost
