"""A worker's failures cost only the call that caused them; the grader always gets an answer."""

from __future__ import annotations

import gc
import os
import struct
import subprocess
import sys
import weakref

import numpy as np
import pytest

from grader.isolation import sandbox
from grader.isolation.launcher import Launcher
from grader.isolation.session import OUTPUT_TAIL_BYTES, StudentCallError, StudentSession

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
    assert np.array_equal(session.call("double", (np.arange(3.0),)), [0.0, 2.0, 4.0])


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
    assert np.array_equal(session.call("double", (np.ones(2),)), [2.0, 2.0])  # still usable


def test_output_is_drained_and_kept_to_a_bounded_tail(session):
    assert session.call("chatty") == 1
    session.close()
    assert 0 < len(session.output) <= OUTPUT_TAIL_BYTES
    assert session.output.endswith(b"line 49999\n")


def test_the_student_gets_a_copy_of_its_inputs(session):
    params = {"x": np.ones(3)}
    session.call("mutate", (params,))
    assert np.array_equal(params["x"], np.ones(3))


def test_calls_are_remembered(session):
    session.call("double", (np.ones(2),))
    worker = session.worker
    session.call("double", (np.ones(2),))
    assert session.worker is worker and len(session.remembered) == 1


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
    ("def f(:\n    pass\n", "SyntaxError"),
    ("raise KeyboardInterrupt('at import')\n", "KeyboardInterrupt: at import"),
])
def test_failures_at_import_stop_every_call_with_the_reason(source, text):
    with StudentSession(source, "backprop.py", load_timeout=1.0) as student:
        error = error_of(student, "anything")
        assert error.kind == "load" and text in str(error) and "could not be loaded" in str(error)


def test_an_exception_at_import_skips_that_statement_only():
    source = "raise RuntimeError('at import')\n\ndef f():\n    return 2\n"
    with StudentSession(source, "backprop.py", load_timeout=2.0) as student:
        assert student.call("f") == 2
        assert student.skipped_notes() == ["`raise RuntimeError('at import')` (backprop.py, "
                                           "line 1) skipped: it raised RuntimeError: at import; "
                                           "the rest of the file was loaded"]


def test_unsendable_results_are_opaque(session):
    assert "object" in repr(session.call("obj"))


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
    from grader.isolation import wire

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
    from grader.isolation import wire  # already loaded in the worker
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


# a function that makes the worker's encoder send ``TREE`` (and ``BLOBS``) as its next reply
FORGER = """
import sys
import numpy as np
def double(x): return 2 * x
def big(i): return np.full(100_000, float(i))  # 800 kB
def boom(): raise ValueError("bad \\ud800 value")  # a lone surrogate: json sends it as is
def forge():
    sys.set_int_max_str_digits(0)
    wire = sys.modules["grader.isolation.wire"]
    real = wire.encode_value
    def forged(value, blobs, *args, **kwargs):
        wire.encode_value = real
        blobs.extend(BLOBS)
        return TREE
    wire.encode_value = forged
    return 0
"""


def forger(tree: str, blobs: list[bytes] = ()) -> str:
    return FORGER.replace("TREE", tree).replace("BLOBS", repr(list(blobs)))


def npy(shape: str) -> bytes:
    """A .npy blob laid out as numpy writes it, of any shape text, with no data."""
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode()


@pytest.mark.parametrize("tree, blobs, reason", [
    ('{"t": "int", "v": int("7" * 5000)}', [], "Exceeds the limit"),  # json.loads refuses
    ('{"t": "float", "v": "0.69 nats"}', [], "not a float"),
    ('{"t": "int", "v": "seven"}', [], "malformed value of tag 'int'"),
    ('{"t": "array", "i": 0}', [npy("(0, 9999999999, 9999999999)")], "no elements but"),
    ('{"t": "list", "v": [{"t": "array", "i": 0}] * 48}', [npy("(0,)")], "more than once"),
    ('{"t": "list", "v": [[]] * 3}', [], "malformed value"),
])
def test_a_reply_the_grader_cannot_read_fails_only_its_call(tree, blobs, reason):
    with StudentSession(forger(tree, blobs), "hostile.py", default_timeout=5.0) as student:
        error = error_of(student, "forge")
        assert error.kind == "output", error
        assert "`forge` returned data the grader cannot read" in str(error) and reason in str(error)
        assert np.array_equal(student.call("double", (np.ones(2),)), [2.0, 2.0])


def test_replies_past_what_a_submission_may_keep_fail_only_their_calls():
    with StudentSession(FORGER, "backprop.py", keep_bytes=2 * 2**20) as student:
        first, second = student.call("big", (1,)), student.call("big", (2,))
        assert first[0] == 1.0 and second.shape == (100_000,)  # big replies read whole
        error = error_of(student, "big", 3)
        assert error.kind == "output" and str(error) == (
            "`big` returned more data than the grader keeps for one submission (2 MiB)")
        assert student.call("big", (1,)) is first  # kept ones still there; small ones still fit
        assert np.array_equal(student.call("double", (np.ones(2),)), [2.0, 2.0])
        assert 1_600_000 < student.kept <= 2 * 2**20


def test_an_error_message_from_a_worker_can_always_be_written_as_utf8():
    with StudentSession(FORGER, "backprop.py") as student:
        error = error_of(student, "boom")
        assert "ValueError: bad ? value" in str(error)
        str(error).encode("utf-8")


def test_what_replies_built_is_freed_when_the_session_closes_without_the_collector():
    """Remembered outcomes go with the session, not whenever the garbage collector runs:
    a grading process that held them longer would hold two hostile submissions' worth."""

    def grade(student):
        kept = student.call("big", (1,))
        try:
            student.call("boom")
        except StudentCallError:  # its traceback sees `kept`: no cycle may keep it
            pass
        return weakref.ref(kept)

    gc.disable()
    try:
        with StudentSession(FORGER, "backprop.py") as student:
            kept = grade(student)
            assert kept() is not None
        assert kept() is None
    finally:
        gc.enable()


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

    script = ("from grader.isolation.session import StudentSession\n"
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
    with open(f"/proc/{session.launcher.pid}/comm") as comm:
        assert comm.read().strip() == "bpg-template"


def test_the_templates_warm_up_leaves_nothing_a_submission_can_see():
    check = ("import linecache, sys\nfrom grader.isolation import worker\nworker.warm_up()\n"
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
