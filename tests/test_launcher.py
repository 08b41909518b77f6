"""Templates started early by the CLI are handed over, not leaked, and never shared."""

from __future__ import annotations

import os

from grader.isolation.launcher import adopt_early, cpus_for, start_early
from grader.isolation.session import StudentSession


def exists(pid: int) -> bool:
    """Whether process ``pid`` exists, a zombie (ended, not waited for) included."""
    return os.path.exists(f"/proc/{pid}")


def test_early_templates_are_adopted_and_the_unused_ones_end():
    early = start_early(2)
    pids = [launcher.pid for launcher in early]
    assert len(early) == 2 and all(pid is not None and exists(pid) for pid in pids)
    adopted = adopt_early(cpus_for(1))
    try:
        assert adopted == early[:1] and exists(pids[0])
        assert early[1].pid is None and not exists(pids[1])  # ended and waited for
        with StudentSession("def f():\n    return 3\n", "backprop.py",
                            launcher=adopted[0]) as student:
            assert student.call("f") == 3
        fresh = adopt_early([launcher.cpu for launcher in early])  # none is handed over twice
        adopted += fresh
        assert not set(fresh) & set(early)
    finally:
        for launcher in adopted:
            launcher.close()


def test_without_an_early_start_adopting_starts_fresh_templates():
    assert adopt_early([]) == []  # ends any early template left over
    adopted = adopt_early([None, None])
    try:
        assert len(adopted) == 2 and adopted[0] is not adopted[1]
        assert all(launcher.capabilities for launcher in adopted)  # ready: they answered
    finally:
        for launcher in adopted:
            launcher.close()


def test_a_forked_process_never_adopts_its_parents_early_templates():
    early = start_early(1)
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


def test_a_folder_the_student_locked_is_removed_by_an_ordinary_user(tmp_path):
    """Root's rmtree enters a chmod 000 folder; an ordinary user's cannot, so remove_tree
    opens it up. Run in a forked child that is an ordinary user (nobody, when we are root),
    working in a folder of its own by relative paths (the test's tmp_path may be private)."""
    import stat

    from grader.isolation.launcher import remove_tree

    ordinary = os.geteuid() != 0
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    if not ordinary:
        os.chown(scratch, 65534, 65534)
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        status = 1
        try:
            os.chdir(scratch)
            if not ordinary:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            os.makedirs("tree/locked/deeper")
            for name in ("tree/locked/notes.txt", "tree/locked/deeper/more.txt"):
                with open(name, "w") as file:
                    file.write("x")
            os.chmod("tree/locked/deeper", 0)
            os.chmod("tree/locked", stat.S_IWUSR)  # can be written, not listed or entered
            remove_tree("tree")
            status = 0 if not os.path.lexists("tree") else 2
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the locked folder was not removed"
