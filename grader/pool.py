"""Grade in several processes: one forked grading process per job, fed one submission at a time.

Threads would share one interpreter lock, and the grader's own Python (checks, diagnosis,
reports) is about half the work, so N threads do not use N cores. Each grading process is
forked from the batch after the assignment is loaded, grades with its own worker template
(started before any reference was loaded), and never runs student code itself. The parent
only deals out submission indices and collects the small summary rows, as JSON over pipes,
so a slow submission never holds up the others. A task may leave its last step (waiting for
the disk) to a background thread, so each process holds two indices: one it grades while
the previous one's reports are flushed. A grading process that dies loses only the
submissions it held, which the parent then grades itself.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import struct
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from grader.isolation import sandbox

LENGTH = struct.Struct(">I")
STOP = -1
HELD = 2  # indices dealt to a process at once: one graded, one finishing in the background


class GradingProcessError(RuntimeError):
    """A grading process could not finish a task (a bug in the grader, say)."""


def _read_exact(fd: int, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = os.read(fd, count - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(LENGTH.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _outcome(index: int, run: Callable[[], object]) -> dict:
    """The reply for one index: its row, or the grader's own failure (a full disk, say)."""
    try:
        return {"index": index, "row": run()}
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return {"index": index, "error": f"{type(exc).__name__}: {exc} "
                                         f"({frame.filename}:{frame.lineno})"}


def _serve(task: Callable[[int], object], tasks: int, results: int) -> None:
    """A grading process: take an index, grade it, send its row back; until told to stop.

    ``task(index)`` returns the row, or a function that finishes the work and returns the
    row, which runs on a background thread while the next index is graded.
    """
    lock = threading.Lock()

    def send(reply: dict) -> None:
        with lock:
            _send(results, json.dumps(reply).encode())

    with ThreadPoolExecutor(max_workers=1) as finisher:  # in order; all done before exit
        while True:
            (index,) = struct.unpack(">q", _read_exact(tasks, 8))
            if index == STOP:
                return
            reply = _outcome(index, lambda: task(index))  # noqa: B023 (called at once)
            if callable(reply.get("row")):
                finish = reply["row"]
                finisher.submit(lambda index=index, finish=finish: send(_outcome(index, finish)))
            else:
                send(reply)


@dataclass
class _Child:
    pid: int
    tasks: int  # write end: indices for the child
    results: int  # read end: length-prefixed JSON replies
    held: list[int] = field(default_factory=list)  # the indices dealt to it and not answered
    buffer: bytearray = field(default_factory=bytearray)


def _fork(setup: Callable[[int], Callable[[int], dict]], number: int) -> _Child:
    task_r, task_w = os.pipe()
    result_r, result_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the grading process; it must never return into the caller's code
        status = 1
        try:
            sandbox.prctl(sandbox.PR_SET_PDEATHSIG, signal.SIGKILL)  # ends with the batch
            os.close(task_w)
            os.close(result_r)
            _serve(setup(number), task_r, result_w)
            status = 0
        except BaseException:  # Ctrl-C, a lost parent: nothing to report to
            pass
        finally:
            os._exit(status)
    os.close(task_r)
    os.close(result_w)
    return _Child(pid, task_w, result_r)


def grade_in_processes(count: int, processes: int, setup: Callable[[int], Callable[[int], dict]],
                       *, on_row: Callable[[int, dict], None],
                       fallback: Callable[[int], dict],
                       on_start: Callable[[], None] | None = None,
                       on_error: Callable[[int, str], None] | None = None) -> None:
    """Run ``setup(k)(index)`` for every index below ``count`` in ``processes`` forked
    processes (``setup`` runs once in process k); ``on_row(index, row)`` runs here as each
    row arrives. An index whose process died is graded here with ``fallback(index)``, which
    returns the row. ``setup(k)(index)`` may also return a function that finishes the task
    on a background thread and returns the row. A task that raises calls
    ``on_error(index, reason)`` here, and the batch goes on; without ``on_error`` it stops
    the batch with :class:`GradingProcessError`.
    ``on_start`` runs once the processes are forked (a progress bar's thread must not be
    running when this process forks)."""
    children: Sequence[_Child] = [_fork(setup, k) for k in range(processes)]
    if on_start is not None:
        on_start()
    upcoming = iter(range(count))
    lost: list[int] = []
    selector = selectors.DefaultSelector()

    def deal(child: _Child) -> None:
        index = next(upcoming, STOP)
        if index != STOP:
            child.held.append(index)
        try:
            os.write(child.tasks, struct.pack(">q", index))
        except BrokenPipeError:
            pass  # it died; its end of file arrives on the results pipe

    try:
        for child in children:
            selector.register(child.results, selectors.EVENT_READ, child)
            for _ in range(HELD):
                deal(child)
        while selector.get_map():
            for key, _ in selector.select():
                child = key.data
                chunk = os.read(child.results, 1 << 16)
                if not chunk:  # the process ended; whatever it held is graded here
                    selector.unregister(child.results)
                    lost += child.held
                    child.held.clear()
                    continue
                child.buffer += chunk
                while len(child.buffer) >= LENGTH.size:
                    (size,) = LENGTH.unpack_from(child.buffer)
                    if len(child.buffer) < LENGTH.size + size:
                        break
                    reply = json.loads(child.buffer[LENGTH.size:LENGTH.size + size])
                    del child.buffer[:LENGTH.size + size]
                    if "error" in reply and on_error is None:
                        raise GradingProcessError(reply["error"])
                    child.held.remove(reply["index"])
                    if "error" in reply:
                        on_error(reply["index"], reply["error"])
                    else:
                        on_row(reply["index"], reply["row"])
                    deal(child)
    finally:
        selector.close()
        for child in children:
            for fd in (child.tasks, child.results):
                os.close(fd)
        for child in children:
            os.waitpid(child.pid, 0)  # a closed task pipe ends a process that is still reading
    for index in lost:
        on_row(index, fallback(index))
