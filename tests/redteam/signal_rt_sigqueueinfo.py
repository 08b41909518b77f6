"""Red team: rt_sigqueueinfo (what sigqueue(3) calls, si_code = SI_QUEUE) at import: SIGUSR1
to the test process that watches the batch, SIGKILL to its own parent (the worker
template). kill() is screened; this call names its target the same way.

Contained: no signal arrives anywhere (seccomp alone must stop it where Landlock has no
signal scope, ABI < 6), full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ signals

for _target, _sig in ((OBSERVER, signal.SIGUSR1), (os.getppid(), signal.SIGKILL)):
    send(NR["rt_sigqueueinfo"], _target, _sig, queued(_sig))
