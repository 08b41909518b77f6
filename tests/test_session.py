"""A worker's failures cost only the call that caused them; the grader always gets an answer."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from grader import sandbox
from grader.launcher import Launcher
from grader.session import OUTPUT_TAIL_BYTES, StudentCallError, StudentSession

SOURCE = """
import os, sys, time
import numpy as np
def double(x): return 2 * x
def boom(): raise KeyError("nope")
def loop():
    while True: pass
def sleepy(): time.sleep(60)
def leave(): sys.exit(3)
def vanish(): os._exit(4)
def chatty():
    for i in range(50000): print("line", i)
    return 1
def mutate(d):
    d["x"][:] = 0
    return d
def obj(): return object()
"""


@pytest.fixture
def session():
    with StudentSession(SOURCE, "backprop.py", default_timeout=1.0) as student:
        yield student


def error_of(session, name, *args):
    with pytest.raises(StudentCallError) as info:
        session.call(name, args)
    return info.value


def test_calls_return_plain_data(session):
    assert np.array_equal(session.double(np.arange(3.0)), [0.0, 2.0, 4.0])


@pytest.mark.parametrize("name, kind, text", [
    ("boom", "exception", "KeyError: 'nope'"),
    ("loop", "timeout", "did not return within 1 s"),
    ("sleepy", "timeout", "did not return within 1 s"),
    ("leave", "exception", "SystemExit: 3"),
    ("vanish", "crashed", "exited with code 4"),
    ("absent", "missing", "has no function `absent`"),
])
def test_failures_are_reported_and_the_session_recovers(session, name, kind, text):
    error = error_of(session, name)
    assert error.kind == kind and text in str(error)
    assert np.array_equal(session.double(np.ones(2)), [2.0, 2.0])  # still usable afterwards


def test_output_is_drained_and_kept_to_a_bounded_tail(session):
    assert session.chatty() == 1
    session.close()
    assert 0 < len(session.output) <= OUTPUT_TAIL_BYTES
    assert session.output.endswith(b"line 49999\n")


def test_the_student_gets_a_copy_of_its_inputs(session):
    params = {"x": np.ones(3)}
    session.mutate(params)
    assert np.array_equal(params["x"], np.ones(3))


def test_calls_are_remembered(session):
    session.double(np.ones(2))
    worker = session.worker
    session.double(np.ones(2))
    assert session.worker is worker and len(session._memo) == 1


def test_restarts_are_capped():
    with StudentSession(SOURCE, "backprop.py", max_restarts=1) as student:
        assert error_of(student, "vanish").kind == "crashed"  # first worker
        with pytest.raises(StudentCallError, match="exited with code 4"):
            student.call("vanish", (), seed=1)  # the one restart allowed
        error = error_of(student, "double", 1)
        assert "restarted 1 times" in str(error)


@pytest.mark.parametrize("source, text", [
    ("while True:\n    pass\n", "did not finish within"),
    ("import sys\nsys.exit(0)\n", "SystemExit"),
    ("import os\nos._exit(0)\n", "exited with code 0"),
    ("raise RuntimeError('at import')\n", "RuntimeError: at import"),
])
def test_failures_at_import_stop_every_call_with_the_reason(source, text):
    with StudentSession(source, "backprop.py", load_timeout=1.0) as student:
        error = error_of(student, "anything")
        assert error.kind == "load" and text in str(error) and "could not be loaded" in str(error)


def test_unsendable_results_are_opaque(session):
    assert "object" in repr(session.obj())


def test_a_submission_has_a_total_time_budget():
    source = "import time\ndef slow(i):\n    time.sleep(0.4)\n    return i\n"
    with StudentSession(source, "backprop.py", budget=1.0) as student:
        assert student.call("slow", (1,)) == 1 and student.call("slow", (2,)) == 2
        with pytest.raises(StudentCallError, match="within"):
            student.call("slow", (3,))  # cut at what is left of the budget
        with pytest.raises(StudentCallError, match="whole time budget of 1 s"):
            student.call("slow", (4,))


def test_a_worker_cannot_send_code_to_the_grader():
    """A submission that forges a reply carrying a function gets an unreadable-output error."""
    from grader import wire

    forged = wire.encode_message({"ok": True, "value": {"t": "function", "v": "lambda: 1"}})
    source = f"""
import fcntl, os, stat
def forge():
    for fd in range(3, 64):
        try:
            mode, flags = os.fstat(fd).st_mode, fcntl.fcntl(fd, fcntl.F_GETFL)
        except OSError:
            continue
        if stat.S_ISFIFO(mode) and flags & os.O_ACCMODE == os.O_WRONLY:
            os.write(fd, {forged!r})
    os._exit(0)
def apply(f, x):
    return f(x)
def sneaky():
    from grader import wire  # already loaded in the worker
    return wire.Function("lambda: 1")
"""
    with StudentSession(source, "hostile.py", default_timeout=2.0) as student:
        assert student.call("apply", (wire.Function("lambda x: x ** 2"), 3)) == 9
        with pytest.raises(StudentCallError) as info:
            student.call("sneaky")
        assert info.value.kind == "output"
        assert "malformed value of tag 'function'" in str(info.value)
        with pytest.raises(StudentCallError) as info:
            student.call("forge")
        assert info.value.kind == "output"
        assert "malformed value of tag 'function'" in str(info.value)


SCRATCH_WRITER = """
import os
def look(): return sorted(os.listdir("."))
def litter():
    with open("notes.txt", "w") as f:
        f.write("from an earlier submission")
    os.mkdir("locked")
    open("locked/inside.txt", "w").close()
    os.chmod("locked", 0)
    return sorted(os.listdir("."))
def cwd(): return os.getcwd()
"""


@pytest.mark.parametrize("quota", [False, True])
def test_a_scratch_folder_is_lent_again_only_empty(quota, monkeypatch):
    if quota and not sandbox.quota_possible():
        pytest.skip("no write quota on this machine (no root, user namespaces refused)")
    # without a quota the litter is on the disk; with one, in the first worker's tmpfs
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "" if quota else "quota")
    with Launcher() as launcher:
        with StudentSession(SCRATCH_WRITER, "backprop.py", launcher=launcher) as first:
            assert first.call("litter") == ["locked", "notes.txt"]
            littered = first.call("cwd")
        with StudentSession(SCRATCH_WRITER, "backprop.py", launcher=launcher) as second:
            assert second.call("look") == []  # nothing the first submission left
            clean = second.call("cwd")
        with StudentSession(SCRATCH_WRITER, "backprop.py", launcher=launcher) as third:
            assert third.call("cwd") == clean  # an empty folder is reused as it is
        if quota:  # nothing reached the folder itself, so it was lent again as it was
            assert littered == clean
        else:
            assert not os.path.exists(littered)  # removed, even with a locked folder inside
        base = os.path.dirname(clean)
    assert not os.path.exists(base)  # closing the launcher removes every scratch folder


def test_sessions_on_the_shared_launcher_leave_no_scratch_folder_behind(tmp_path):
    import subprocess
    import sys

    script = ("from grader.session import StudentSession\n"
              "with StudentSession('def f(): return 1', 'backprop.py') as s:\n"
              "    assert s.call('f') == 1\n"
              "    print(s.limits['scratch'])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, TMPDIR=str(tmp_path)), check=True)
    assert done.stdout.strip().startswith(str(tmp_path))  # it did use a scratch folder there
    assert list(tmp_path.iterdir()) == []


def test_workers_and_their_template_are_named_in_ps_and_top(session):
    assert session.loads() is None
    with open(f"/proc/{session.worker.process.pid}/comm") as comm:
        assert comm.read().strip() == "bpg-worker"
    with open(f"/proc/{session.launcher._process.pid}/comm") as comm:
        assert comm.read().strip() == "bpg-template"


def test_the_templates_warm_up_leaves_nothing_a_submission_can_see():
    check = ("import linecache, sys\nfrom grader import worker\nworker.warm_up()\n"
             "assert worker.WARM_UP_FILE not in linecache.cache\n"
             "assert not [m for m in sys.modules if 'warm' in m], sys.modules\nprint('ok')")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.stdout.strip() == "ok", done.stderr  # it runs, and cleans up after itself
    source = ("import sys\ndef probe():\n    return [n in globals() for n in ('exercise', 'draw')]"
              " + [m for m in sys.modules if 'warm' in m]\n")
    with StudentSession(source, "backprop.py") as student:
        assert student.loads() is None and student.functions == ["probe"]
        assert student.call("probe") == [False, False]
