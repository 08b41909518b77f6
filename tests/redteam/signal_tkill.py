"""Red team: tkill (the old thread-directed kill, no thread group checked) at import:
SIGUSR1 to the test process's main thread, SIGKILL to the worker template's.

Contained: no signal arrives anywhere, full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ signals

for _target, _sig in ((OBSERVER, signal.SIGUSR1), (os.getppid(), signal.SIGKILL)):
    send(NR["tkill"], _target, _sig)
