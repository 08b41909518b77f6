"""One way to call a function and one way to frame a message, whoever does it.

A verdict compares what the worker got from the student's function with what the reference
gives; a named mistake compares it with what a mistaken reference gives; a notebook's check
cell calls the student's own kernel. If those calls differed in anything but the function
(the copies of the inputs, the seed, the built test functions), a correct answer could fail
or the wrong mistake be named. Real workers, real pipes.
"""

from __future__ import annotations

import ast
import os
import types

import numpy as np
import pytest
from conftest import EXAMPLES, ROOT

from grader.grading.diagnosis import run_trusted
from grader.isolation.framing import MAX_FRAME_BYTES, FrameReader, WireError, frame, write_all
from grader.isolation.session import StudentSession
from grader.selfcheck import LocalStudent, check_here

# updates its first argument in place and returns both: a call on (x, x) tells whether the
# callee's copies of its arguments share memory (a worker's never do: each is decoded anew)
ALIASING = """
import numpy as np
import random

def bump(a, b):
    a += 1
    return a, b, float(np.random.rand()), random.random()
"""


def module_of(source: str) -> types.ModuleType:
    module = types.ModuleType("student")
    exec(compile(source, "student.py", "exec"), module.__dict__)
    return module


def test_the_grader_replays_a_call_on_copies_made_exactly_as_a_worker_makes_them():
    x = np.zeros((2, 2))
    x.flags.writeable = False  # hidden inputs are frozen by their suite
    with StudentSession(ALIASING, "student.py") as student:
        in_worker = student.call("bump", (x, x), seed=7)
    replayed = run_trusted(module_of(ALIASING), "bump", (x, x), {}, 7)
    here = LocalStudent(vars(module_of(ALIASING))).call("bump", (x, x), seed=7)
    for outcome in (replayed, here):
        np.testing.assert_array_equal(outcome[0], in_worker[0])
        np.testing.assert_array_equal(outcome[1], in_worker[1])  # b is not a: untouched
        assert outcome[2:] == in_worker[2:]  # numpy's and Python's generators, same seed
    assert not x.any()  # and the caller's own input is never changed


def test_a_notebook_check_cell_builds_the_test_functions_like_a_worker(capsys):
    """gradient_descent's public checks pass Function sources (f(x) = x³ ...); a worker
    builds them into callables, and so must the notebook's check cell."""
    namespace: dict = {}
    exec(compile((EXAMPLES / "gradient_descent" / "correct.py").read_text(),
                 "gradient_descent.py", "exec"), namespace)
    assert check_here("gradient_descent", "numerical_slope", namespace) is True
    assert check_here("gradient_descent", "descend", namespace) is True
    assert "not callable" not in capsys.readouterr().out


def test_an_error_reads_the_same_from_the_reference_as_from_a_worker():
    """The diagnosis matches a student's error with a mistaken reference's by its text."""
    source = "def f(x):\n    raise NotImplementedError('dZ1 is missing')\n"
    with StudentSession(source, "student.py") as student, pytest.raises(Exception) as caught:
        student.call("f", (1.0,))
    replayed = run_trusted(module_of(source), "f", (1.0,), {}, 0)
    assert str(caught.value).startswith(str(replayed) + " (")  # the student's adds its line
    assert str(replayed) == ("`f` is not written yet: it still raises NotImplementedError: "
                             "dZ1 is missing")


# a crash inside a comprehension, a generator expression and a nested helper: each line
# belongs to the function written around it (Python 3.11 gives them frames of their own)
NESTED = """
def update(params, grads):
    return {k: params[k] - grads["d" + k] for k in params}

def total(xs):
    return sum(x[0] for x in xs)

def outer(x):
    def helper():
        return x.missing
    return helper()

scale = lambda v: v.missing
"""


@pytest.mark.parametrize("function, args, owner", [
    ("update", ({"W": 1.0}, {}), "update"),
    ("total", ([1.0],), "total"),
    ("outer", (1.0,), "outer"),
    ("scale", (1.0,), "<lambda>"),
])
def test_a_crash_in_a_comprehension_is_its_functions(function, args, owner):
    """A worker and a notebook's check cell name the same function, which the cascade's
    excuses read (grading/cascade.py: a module-level lambda is no function's)."""
    with StudentSession(NESTED, "student.py") as student, pytest.raises(Exception) as caught:
        student.call(function, args)
    assert f", in {owner}: `" in str(caught.value), str(caught.value)
    named = None if owner == "<lambda>" else owner
    assert caught.value.raised_in == named
    with pytest.raises(Exception) as in_a_cell:
        LocalStudent(vars(module_of(NESTED))).call(function, args)
    assert in_a_cell.value.raised_in == named


def seeding_calls(path) -> list[str]:
    """The calls of np.random.seed / random.seed in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "seed" and ast.unparse(node.func.value) in ("np.random",
                                                                              "random"):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_only_the_one_calling_module_seeds_the_generators():
    """A fifth copy of "call like a worker" would seed the generators of its own."""
    seeding = [found for path in sorted((ROOT / "grader").rglob("*.py"))
               if not path.is_relative_to(ROOT / "grader" / "public")
               for found in seeding_calls(path)]
    assert seeding and all(found.startswith("grader/isolation/calling.py:") for found in seeding)


def test_the_worker_the_session_and_the_pool_read_frames_one_way():
    for module in ("grader/isolation/worker.py", "grader/isolation/session.py",
                   "grader/pool.py"):
        tree = ast.parse((ROOT / module).read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.module == "grader.isolation.framing" for alias in node.names}
        assert "FrameReader" in imported, module


@pytest.fixture
def pipe():
    read, write = os.pipe()
    yield read, write
    for fd in (read, write):
        try:
            os.close(fd)
        except OSError:
            pass


def test_frames_sent_together_come_out_one_at_a_time(pipe):
    read, write = pipe
    write_all(write, frame(b"one") + frame(b"") + frame(b"three"))
    frames = FrameReader(read)
    assert bytes(frames.read()) == b"one" and frames.buffered
    assert bytes(frames.next()) == b"" and bytes(frames.next()) == b"three"
    assert frames.next() is None and not frames.buffered
    os.close(write)
    assert frames.read() is FrameReader.CLOSED
    with pytest.raises(EOFError):
        frames.read_frame()


def test_a_big_frame_arrives_whole_and_what_follows_it_is_kept(pipe):
    read, write = pipe
    os.set_blocking(read, False)
    body = bytes(range(256)) * 1024  # 256 KiB: more than one read, more than a pipe holds
    message = frame(body) + frame(b"next")
    frames, got, sent = FrameReader(read), None, 0
    while got is None:
        if sent < len(message):
            sent += os.write(write, message[sent:sent + 65536])
        try:
            got = frames.read()
        except BlockingIOError:
            continue
    assert isinstance(got, memoryview) and bytes(got) == body
    while sent < len(message):
        sent += os.write(write, message[sent:])
    following = frames.next()
    while following is None:
        following = frames.read()
    assert bytes(following) == b"next"


def test_a_forged_length_is_refused_before_anything_is_allocated(pipe):
    read, write = pipe
    write_all(write, b"BPG1" + (MAX_FRAME_BYTES + 1).to_bytes(8, "big"))
    with pytest.raises(WireError, match="over the"):
        FrameReader(read).read()
    write_all(write, b"XXXX" + (3).to_bytes(8, "big") + b"abc")
    with pytest.raises(WireError, match="expected marker"):
        FrameReader(read).read()
