"""Shared by the signal attacks: system call numbers, a queued signal's siginfo, and the
process watching the batch (the test, which counts what reaches it)."""

import ctypes
import os  # noqa: F401  (the attacks that include this part use it)
import platform
import signal  # noqa: F401  (likewise)

OBSERVER = int("__OBSERVER_PID__")  # the test process; it records every SIGUSR1
libc = ctypes.CDLL(None, use_errno=True)
NR = {"x86_64": dict(tkill=200, rt_sigqueueinfo=129, rt_tgsigqueueinfo=297, pidfd_open=434,
                     pidfd_send_signal=424),
      "aarch64": dict(tkill=130, rt_sigqueueinfo=138, rt_tgsigqueueinfo=240, pidfd_open=434,
                      pidfd_send_signal=424)}.get(platform.machine(), {})


def queued(sig):
    """A siginfo_t as sigqueue(3) fills it: si_signo, si_errno, si_code = SI_QUEUE (-1)."""
    info = (ctypes.c_int * 32)()
    info[0], info[2] = sig, -1
    return info


def send(number, *args):
    """The raw system call; what it returned does not matter, only what arrived."""
    if number is not None:
        libc.syscall(number, *args)
