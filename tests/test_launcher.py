"""Templates started early by the CLI are handed over, not leaked, and never shared."""

from __future__ import annotations

import os

from grader import launcher as launcher_module
from grader.launcher import adopt_early, cpus_for, start_early
from grader.session import StudentSession


def test_early_templates_are_adopted_and_the_unused_ones_end():
    start_early(2)
    early = list(launcher_module._early)
    assert len(early) == 2 and all(launcher._process is not None for launcher in early)
    adopted = adopt_early(cpus_for(1))
    try:
        assert adopted == early[:1] and launcher_module._early == []
        assert early[1]._process is None  # closed: its template was ended and waited for
        with StudentSession("def f():\n    return 3\n", "backprop.py",
                            launcher=adopted[0]) as student:
            assert student.call("f") == 3
    finally:
        for launcher in adopted:
            launcher.close()


def test_without_an_early_start_adopting_starts_fresh_templates():
    assert launcher_module._early == []
    adopted = adopt_early([None, None])
    try:
        assert len(adopted) == 2 and adopted[0] is not adopted[1]
        assert all(launcher.capabilities for launcher in adopted)  # ready: they answered
    finally:
        for launcher in adopted:
            launcher.close()


def test_a_forked_process_never_adopts_its_parents_early_templates():
    start_early(1)
    early = list(launcher_module._early)
    pid = os.fork()
    if pid == 0:  # the child must start its own, and leave the parent's alone
        try:
            adopted = adopt_early([None])
            code = 0 if adopted[0] is not early[0] else 1
            for launcher in adopted:
                launcher.close()
        except BaseException:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    adopted = adopt_early([early[0].cpu])
    try:
        assert os.WEXITSTATUS(status) == 0
        assert adopted == early  # still usable here
    finally:
        for launcher in adopted:
            launcher.close()
