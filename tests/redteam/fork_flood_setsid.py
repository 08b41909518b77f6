"""Red team: Forks 32 children at import that leave the session (setsid) and exec `sleep 1000
MARKER`, plus a double-forked daemon. Otherwise correct: full marks, and no process survives its
grading.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os
import time

for _i in range(32):
    try:
        _pid = os.fork()
    except OSError:
        break
    if _pid == 0:
        try:
            os.setsid()
            if _i == 0 and os.fork() != 0:
                os._exit(0)  # the double fork: the grandchild is nobody's child
            os.execv("/bin/sleep", ["__MARKER__-sleep", "1000"])  # exec -a
        except BaseException:
            time.sleep(1000)
        os._exit(0)
