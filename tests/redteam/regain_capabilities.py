"""Red team: tries to hold or regain capabilities: capset to every bit, an ambient raise,
securebits cleared, setuid(0); then asks the kernel what it holds (capget).

Contained: it holds none (cost_value fails: it found nothing), whoever runs the grader.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)
_header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
_libc.capset(_header, (ctypes.c_uint32 * 6)(*[0xFFFFFFFF] * 6))
for _cap in range(64):
    _libc.prctl(47, 2, _cap, 0, 0)  # PR_CAP_AMBIENT_RAISE
_libc.prctl(28, 0, 0, 0, 0)  # PR_SET_SECUREBITS: all off
if os.getuid() != 0:
    _libc.setuid(0)
_held = (ctypes.c_uint32 * 6)()
_libc.capget(_header, _held)
FOUND = any(_held)


# __INCLUDE__ found_scores_cost
