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
from grader.isolation.framing import FrameReader, frame, write_all

INDEX = struct.Struct(">q")
STOP = -1
HELD = 2  # indices dealt to a process at once: one graded, one finishing in the background


class GradingProcessError(RuntimeError):
    """A grading process could not finish a task (a bug in the grader, say)."""


def _outcome(index: int, run: Callable[[], object]) -> dict:
    """The reply for one index: its row, or the grader's own failure (a full disk, say)."""
    try:
        return {"index": index, "row": run()}
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return {"index": index, "error": f"{type(exc).__name__}: {exc} "
                                         f"({where.filename}:{where.lineno})"}


def _serve(task: Callable[[int], object], tasks: int, results: int) -> None:
    """A grading process: take an index, grade it, send its row back; until told to stop.

    ``task(index)`` returns the row, or a function that finishes the work and returns the
    row, which runs on a background thread while the next index is graded.
    """
    lock = threading.Lock()
    indices = FrameReader(tasks)

    def send(reply: dict) -> None:
        with lock:
            write_all(results, frame(json.dumps(reply).encode()))

    with ThreadPoolExecutor(max_workers=1) as finisher:  # in order; all done before exit
        while True:
            (index,) = INDEX.unpack(indices.read_frame())
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
    results: int  # read end: framed JSON replies
    held: list[int] = field(default_factory=list)  # the indices dealt to it and not answered

    def __post_init__(self) -> None:
        self.replies = FrameReader(self.results)


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
    children = [_fork(setup, k) for k in range(processes)]
    if on_start is not None:
        on_start()
    dealer = _Dealer(children, count, on_row, on_error)
    try:
        dealer.run()
    finally:
        dealer.close()
    for index in dealer.lost:
        on_row(index, fallback(index))


class _Dealer:
    """Deals indices to the grading processes, :data:`HELD` at a time each, and hands on
    their replies; notes what a process that died was holding."""

    def __init__(self, children: Sequence[_Child], count: int,
                 on_row: Callable[[int, dict], None],
                 on_error: Callable[[int, str], None] | None):
        self.children, self.on_row, self.on_error = children, on_row, on_error
        self.upcoming = iter(range(count))
        self.lost: list[int] = []
        self.selector = selectors.DefaultSelector()

    def run(self) -> None:
        for child in self.children:
            self.selector.register(child.results, selectors.EVENT_READ, child)
            for _ in range(HELD):
                self.deal(child)
        while self.selector.get_map():
            for key, _ in self.selector.select():
                self.read(key.data)

    def deal(self, child: _Child) -> None:
        index = next(self.upcoming, STOP)
        if index != STOP:
            child.held.append(index)
        try:
            os.write(child.tasks, frame(INDEX.pack(index)))
        except BrokenPipeError:
            pass  # it died; its end of file arrives on the results pipe

    def read(self, child: _Child) -> None:
        """Hand on every reply ``child`` has sent; at its end, note what it held."""
        reply = child.replies.read()
        if reply is FrameReader.CLOSED:  # the process ended; whatever it held is graded here
            self.selector.unregister(child.results)
            self.lost += child.held
            child.held.clear()
            return
        while reply is not None:
            self.answered(child, json.loads(bytes(reply)))
            reply = child.replies.next()

    def answered(self, child: _Child, reply: dict) -> None:
        if "error" in reply and self.on_error is None:
            raise GradingProcessError(reply["error"])
        child.held.remove(reply["index"])
        if "error" in reply:
            self.on_error(reply["index"], reply["error"])
        else:
            self.on_row(reply["index"], reply["row"])
        self.deal(child)

    def close(self) -> None:
        self.selector.close()
        for child in self.children:
            for fd in (child.tasks, child.results):
                os.close(fd)
        for child in self.children:
            os.waitpid(child.pid, 0)  # a closed task pipe ends a process that is still reading
