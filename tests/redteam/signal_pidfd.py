"""Red team: pidfd_send_signal at import, with a pidfd from pidfd_open and one from
opening /proc/PID (the kernel takes both): SIGUSR1 to the test process, SIGKILL to the
worker template.

Contained: no signal arrives anywhere, full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ signals

for _target, _sig in ((OBSERVER, signal.SIGUSR1), (os.getppid(), signal.SIGKILL)):
    _fds = [libc.syscall(NR["pidfd_open"], _target, 0)]
    try:
        _fds.append(os.open(f"/proc/{_target}", os.O_RDONLY | os.O_DIRECTORY))
    except OSError:
        pass
    for _fd in _fds:
        if _fd >= 0:
            send(NR["pidfd_send_signal"], _fd, _sig, None, 0)
