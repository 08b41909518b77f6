"""Red team: predict writes a forged reply frame (claiming 2^62 bytes) straight into every pipe or
socket it holds, then a garbage one: predict's checks fail, the grader survives.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os
import stat
import struct


def predict(parameters, X):
    for fd in range(3, 1025):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            try:
                os.write(fd, b"BPG1" + struct.pack(">Q", 1 << 62) + b"\xff" * 64)
            except OSError:
                pass
    return np.zeros((1, 1)) + 0.5
