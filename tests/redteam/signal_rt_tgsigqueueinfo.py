"""Red team: rt_tgsigqueueinfo (a queued signal to one thread of a process, si_code =
SI_QUEUE) at import: SIGUSR1 to the test process that watches the batch, SIGKILL to the
worker template, each at its main thread (tid = pid).

Contained: no signal arrives anywhere, full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ signals

for _target, _sig in ((OBSERVER, signal.SIGUSR1), (os.getppid(), signal.SIGKILL)):
    send(NR["rt_tgsigqueueinfo"], _target, _target, _sig, queued(_sig))
