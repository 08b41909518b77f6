"""Shared by the attacks that hunt for hidden material: `hidden(data)` and `read(path)`."""

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
