"""Red team: marks a file in its scratch folder immutable (FS_IOC_SETFLAGS, what chattr +i
does; root's CAP_LINUX_IMMUTABLE), and the folder append-only, so the grader cannot remove
them and student files stay in the instructor's /tmp.

Contained: the ioctl is refused (cost_value fails: it found nothing) and nothing of the
batch is left in TMPDIR.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import fcntl
import os
import struct

FOUND = False
with open("pinned.txt", "w") as _f:
    _f.write("left behind\n")
for _path, _flag in (("pinned.txt", 0x10), (".", 0x20)):  # FS_IMMUTABLE_FL, FS_APPEND_FL
    try:
        _fd = os.open(_path, os.O_RDONLY)
        try:
            fcntl.ioctl(_fd, 0x40086602, struct.pack("=i", _flag))  # FS_IOC_SETFLAGS
            FOUND = True
        finally:
            os.close(_fd)
    except OSError:
        pass


# __INCLUDE__ found_scores_cost
