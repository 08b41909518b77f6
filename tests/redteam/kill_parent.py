"""Red team: Kills its parent (the grader) with SIGKILL at import; otherwise correct.

Under isolation the signal cannot reach the grader: full marks, the batch completes.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os
import signal

for _sig in (signal.SIGKILL, signal.SIGTERM):
    try:
        if os.getppid() > 1:
            os.kill(os.getppid(), _sig)
    except OSError:
        pass
