"""Red team: no signal call at all: fcntl(F_SETOWN) names another process as the owner of
a pipe, F_SETSIG picks the signal (any, SIGKILL too), O_ASYNC arms it, and a write makes
the kernel send it: SIGUSR1 to the test process, SIGKILL to the worker template. Also
F_SETOWN_EX, which names the owner behind a pointer.

Contained: no signal arrives anywhere, full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ signals

import fcntl
import struct

for _target, _sig in ((OBSERVER, signal.SIGUSR1), (os.getppid(), signal.SIGKILL)):
    for _how in ("F_SETOWN", "F_SETOWN_EX"):
        _r, _w = os.pipe()
        try:
            if _how == "F_SETOWN":
                fcntl.fcntl(_r, fcntl.F_SETOWN, _target)
            else:  # struct f_owner_ex {int type = F_OWNER_PID (1); pid_t pid}
                fcntl.fcntl(_r, 15, struct.pack("=ii", 1, _target))
            fcntl.fcntl(_r, 10, _sig)  # F_SETSIG
            fcntl.fcntl(_r, fcntl.F_SETFL, os.O_ASYNC | os.O_NONBLOCK)
            os.write(_w, b"x")
        except OSError:
            pass
