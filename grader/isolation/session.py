"""The grader's side of a worker: start it, talk to it with deadlines, end it.

:class:`Worker` is one child process running :mod:`grader.isolation.worker`. :class:`StudentSession`
is one submission: it loads the source into a worker, calls student functions by name,
remembers each call's outcome (so several checks can look at one call), and replaces a
worker that crashed or hung (a few times at most), so one broken function costs only its
own checks.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import selectors
import signal
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from grader.isolation import calling, sandbox, wire
from grader.isolation.calling import StudentCallError
from grader.isolation.framing import FrameReader
from grader.isolation.launcher import Launcher, remove_tree
from grader.isolation.launcher import shared as shared_launcher

OUTPUT_TAIL_BYTES = 8192
# what one submission's replies may make the grader keep (remembered outcomes, which the
# recorded calls and planned answers share); replies past it fail their calls' checks
KEEP_BYTES = 256 * 1024 * 1024
# what the submissions graded at once may keep together (--jobs N: N of them), so that a
# batch of hostile ones still fits; a correct flagship submission keeps about 100 KiB
BATCH_KEEP_BYTES = 512 * 1024 * 1024
LEAST_KEEP_BYTES = 64 * 1024 * 1024


def keep_bytes_for(jobs: int) -> int:
    """What each of ``jobs`` submissions graded at once may make the grader keep."""
    return max(LEAST_KEEP_BYTES, min(KEEP_BYTES, BATCH_KEEP_BYTES // max(jobs, 1)))


class WorkerError(Exception):
    """The worker did not answer: it hung, died or sent something unreadable."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "timeout" | "crashed" | "protocol"


class Worker:
    """One sandboxed child process speaking :mod:`grader.isolation.wire` over two pipes."""

    def __init__(self, *, launcher: Launcher, limits: dict):
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        self._out_r, out_w = os.pipe()
        self.launcher = launcher
        try:
            self.process = launcher.spawn((req_r, resp_w, out_w), limits)
        finally:
            for fd in (req_r, resp_w, out_w):
                os.close(fd)
        for fd in (self._req_w, self._resp_r, self._out_r):
            os.set_blocking(fd, False)
        self.output = bytearray()
        self.status: int | None = None
        self._ended = False
        self._unsent = memoryview(b"")  # the rest of a request the pipe did not take yet
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._resp_r, selectors.EVENT_READ, "reply")
        self._selector.register(self._out_r, selectors.EVENT_READ, "output")

    def request(self, header: dict | None, blobs: list[bytes], timeout: float):
        """Send one request (None: send nothing) and wait for a reply, draining the output."""
        return self.request_raw(wire.encode_message(header, blobs) if header is not None
                                else b"", timeout)

    def request_raw(self, message: bytes, timeout: float):
        """Send an encoded request (empty: send nothing) and wait for the reply."""
        deadline = time.monotonic() + timeout
        self._send(message)
        try:
            return self._receive(deadline, timeout)
        finally:
            if self._unsent:
                self._unsent = self._unsent[:0]
                self._selector.unregister(self._req_w)

    def _send(self, message: bytes) -> None:
        """Write what the pipe takes now (most requests fit at once); the rest is written
        as the worker reads it, while :meth:`_receive` waits."""
        self._unsent = memoryview(message)
        if self._unsent:
            self._write_some()
        if self._unsent:
            self._selector.register(self._req_w, selectors.EVENT_WRITE, "request")

    def _write_some(self) -> None:
        try:
            self._unsent = self._unsent[os.write(self._req_w, self._unsent):]
        except BlockingIOError:
            pass
        except BrokenPipeError:  # it died: its closed reply channel says so
            self._unsent = self._unsent[:0]

    def _receive(self, deadline: float, timeout: float):
        """Wait for the reply, writing the rest of the request and draining the output
        meanwhile; WorkerError when the deadline passes or the worker dies or misbehaves."""
        reply = FrameReader(self._resp_r)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise WorkerError("timeout", f"no answer within {timeout:g} s")
            for key, _ in self._selector.select(remaining):
                if key.data == "request":
                    self._write_some()
                    if not self._unsent:
                        self._selector.unregister(self._req_w)
                elif key.data == "output":
                    if not self._drain_output():
                        self._selector.unregister(self._out_r)
                else:
                    message = self._read_reply(reply)
                    if message is not None:  # output still in its pipe: drained next time
                        return message

    def _read_reply(self, reply: FrameReader):
        """The reply's header and blobs once it is complete, or None (not yet)."""
        try:
            body = reply.read()
            if body is None:
                return None
            if body is reply.CLOSED:
                raise WorkerError("crashed", self._death_note())
            if reply.buffered:
                raise wire.WireError("the worker sent more than one reply")
            return wire.parse_message(body)
        except wire.WireError as exc:
            self.kill()
            raise WorkerError("protocol", str(exc)) from None

    def _drain_output(self) -> bool:
        """Read what the child printed, keeping only a bounded tail; False at end of file."""
        while True:
            try:
                chunk = os.read(self._out_r, 1 << 16)
            except BlockingIOError:
                return True
            if not chunk:
                return False
            self.output += chunk
            del self.output[:-OUTPUT_TAIL_BYTES]

    def _death_note(self) -> str:
        self.kill()
        status = self.status
        if status is None:
            return "the worker closed its reply channel"
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            why = {"SIGKILL": " (memory or CPU limit, or killed)",
                   "SIGXCPU": " (CPU time limit)", "SIGSEGV": " (crashed)",
                   "SIGSYS": " (a forbidden system call)"}.get(name, "")
            return f"the process was killed by {name}{why}"
        return f"the process exited with code {os.WEXITSTATUS(status)}"

    def kill(self) -> None:
        """End the worker and everything it started (the template sweeps its orphans)."""
        if not self._ended:
            self._ended = True
            self.status = self.launcher.end(self.process)

    def close(self) -> None:
        self.kill()
        self._drain_output()
        self._selector.close()
        for fd in (self._req_w, self._resp_r, self._out_r):
            try:
                os.close(fd)
            except OSError:
                pass


NAME_ERROR = re.compile(r"name '(\w+)' is not defined")


def statements_at(source: str, skipped: list[dict], locate) -> list[dict]:
    """The top-level statements of ``source`` starting at the lines in ``skipped``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    by_line = {min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))]): node
               for node in tree.body}
    found = []
    for item in skipped:
        node = by_line.get(item["line"])
        if node is None:
            continue
        text = " ".join((ast.get_source_segment(source, node) or "").split())
        names = calling.bound_names(node)
        found.append({"line": item["line"], "statement": text[:117] + "..." if len(text) > 120
                      else text, "names": names, "where": locate(item["line"]),
                      "error": item["error"]})
    return found


def call_key(function: str, args, kwargs: dict, seed: int) -> bytes:
    """The memo key of a call: a digest of the function, seed and inputs."""
    digest = hashlib.sha256(f"{function}\0{seed}\0".encode())
    wire.fingerprint((tuple(args), kwargs), digest.update)
    return digest.digest()


class Call(NamedTuple):
    """One recorded call: what went in, what came out, and its memo key (a digest of the
    function, seed and inputs, so the same call can be recognised cheaply)."""

    function: str
    args: tuple
    kwargs: dict
    seed: int
    outcome: object  # plain data, or the StudentCallError it raised
    key: bytes


class MemoizedCalls:
    """Calls functions by name and remembers each call's outcome under a digest of the
    function, seed and inputs; subclasses say how a call is made (:meth:`_call_now`)."""

    _memo: dict[bytes, object]
    recorder: list | None
    adapters: dict = {}

    def call(self, function: str, args: tuple = (), kwargs: dict | None = None, *,
             seed: int = 0, timeout: float | None = None):
        """Call a student function (in the worker, for a session); returns plain data or
        raises StudentCallError.

        Inputs are serialized, so the student always gets its own copy of them. Outcomes are
        remembered: the same call returns the same (read-only) arrays, so treat them as such.
        """
        kwargs = dict(kwargs or {})
        key = call_key(function, args, kwargs, seed)
        if key not in self._memo:
            self._answer_first(key, function, args, kwargs)
        if key not in self._memo:
            self._memo[key] = self._send(key, function, args, kwargs, seed, timeout)
        outcome = self._memo[key]
        if self.recorder is not None:  # the replay copies them; nobody changes them meanwhile
            self.recorder.append(Call(function, tuple(args), kwargs, seed, outcome, key))
        if isinstance(outcome, StudentCallError):
            # a copy: the remembered one never holds a traceback, whose frames would hold it
            # (and everything they see) in a cycle that only the garbage collector frees
            raise StudentCallError(outcome.kind, str(outcome), outcome.raised_in)
        return outcome

    @property
    def remembered(self) -> Mapping[bytes, object]:
        """The outcomes remembered so far (what :meth:`call` and a plan's prefetch return
        without asking again), by :func:`call_key`; a read-only view."""
        return MappingProxyType(self._memo)

    def _send(self, key: bytes, function: str, args, kwargs: dict, seed: int, timeout):
        """The outcome of calling ``function`` now (adapted to the student's signature)."""
        adapter = self.adapters.get(function)
        sent_args, sent_kwargs = adapter(tuple(args), kwargs) if adapter else (args, kwargs)
        header, blobs = calling.request(function, sent_args, sent_kwargs, seed)
        return self._call_now(function, header, blobs, timeout)

    def _call_now(self, function: str, header: dict, blobs: list[bytes], timeout):
        raise NotImplementedError

    def _answer_first(self, key: bytes, function: str, args, kwargs) -> None:
        """Make the calls whose answers this call's inputs would reveal (a session keeps
        to its plan's order: :meth:`grader.grading.plan.Plan.first`)."""


class IsolationFailed(RuntimeError):
    """A worker did not prove the filesystem layer chosen for it: the grader's problem."""


class StudentSession(MemoizedCalls):
    """One submission in a worker: load once, call functions by name, remember outcomes."""

    def __init__(self, source: str, filename: str, *, limits: dict | None = None,
                 default_timeout: float = 5.0, timeouts: dict | None = None,
                 load_timeout: float = 10.0, max_restarts: int = 3,
                 budget: float = 60.0, launcher: Launcher | None = None, locate=None,
                 plots: bool = True, keep_bytes: int = KEEP_BYTES, shown: str | None = None,
                 why_missing: dict[str, str] | None = None, signatures_of: tuple = ()):
        self.source, self.filename = source, filename
        # the student's own file name, for messages (``filename`` is the canonical one)
        self.shown = shown or filename
        # function -> why the submission has none ("cell 31 of a.ipynb does not parse ...")
        self.why_missing = dict(why_missing or {})
        # the functions whose signatures the worker reports (those with accepted alternatives)
        self.signatures_of = [name for name in signatures_of if type(name) is str][:100]
        # whether the reports will draw plots: hidden tests skip the calls that only feed them
        self.plots = plots
        # line number -> "backprop.ipynb, cell 7, line 3" when the source was made from a notebook
        self.locate = locate or (lambda line: f"{self.shown}, line {line}" if line
                                 else self.shown)
        self.limits = dict(sandbox.DEFAULT_LIMITS, **(limits or {}))
        self.default_timeout, self.timeouts = default_timeout, timeouts or {}
        self.load_timeout, self.max_restarts = load_timeout, max_restarts
        self.budget, self.spent = budget, 0.0  # wall seconds for all of this submission's calls
        self.restarts = -1
        self.worker: Worker | None = None
        self.load_error: StudentCallError | None = None
        self.functions: list[str] = []
        self.provided: dict[str, str] = {}  # function -> the provided module it comes from
        self.signatures: dict[str, dict] = {}  # function -> {"names": [...], "required": n}
        self.skipped: list[dict] = []  # top-level statements the worker skipped
        self._skipped_statements: list[dict] | None = None
        # function -> a callable (args, kwargs) -> (args, kwargs): the student wrote an
        # accepted alternative signature, so each call is adapted to it (the memo and the
        # recorded calls keep the call as the tests made it)
        self.adapters: dict = {}
        self._memo: dict[bytes, object] = {}
        # the plan whose order every call keeps (grader.grading.plan): no call is sent while
        # its inputs hold the reference's answer to a call the student has not answered
        self.plan = None
        self._answering: set[bytes] = set()  # planned calls being made first, right now
        # the calls the current worker process has answered itself: a fresh worker (after a
        # crash, or a failed prefetch) answers again what its inputs would reveal, before it
        # sees them, though the first answer is the one kept
        self._answered_here: set[bytes] = set()
        # bytes of decoded replies this session holds, and the most it may (KEEP_BYTES)
        self.kept, self.keep_bytes = 0, keep_bytes
        # a variant template when the source imports a package it holds (launcher.PRELOADS)
        self.launcher = (launcher or shared_launcher()).for_source(source)
        self._scratch = self.limits["scratch"] = self.launcher.lend_scratch()
        self._scratch_reusable = True  # false once a worker's end was not confirmed
        self.protections: dict = {}
        self.output = bytearray()
        # when a list: every call is appended as a Call, so a failed check's evidence can be
        # examined afterwards (grader.grading.diagnosis)
        self.recorder: list | None = None

    def __enter__(self) -> StudentSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._retire_worker()
        # what the replies built goes now, not whenever the garbage collector next runs
        self._memo.clear()
        self.recorder, self.kept = None, 0
        if self._scratch is not None:
            if self._scratch_reusable:  # every worker of ours is dead and swept
                self.launcher.take_back_scratch(self._scratch)
            else:
                remove_tree(self._scratch)
            self._scratch = None

    def _retire_worker(self) -> None:
        self._answered_here.clear()
        if self.worker is not None:
            self.worker.close()
            if self.worker.status is None:  # the template did not confirm its end
                self._scratch_reusable = False
            self.output += self.worker.output
            del self.output[:-OUTPUT_TAIL_BYTES]
            self.worker = None

    def _ensure_worker(self) -> Worker:
        if self.worker is not None:
            return self.worker
        if self.load_error is not None:
            raise self.load_error
        if self.restarts >= self.max_restarts:
            raise StudentCallError("crashed", "not run: the submission's process was restarted "
                                   f"{self.max_restarts} times already")
        self.restarts += 1
        self.worker = Worker(launcher=self.launcher, limits=self.limits)
        try:
            hello, _ = self.worker.request(None, [], self.load_timeout)
            protections = hello.get("protections")
            self.protections = protections if isinstance(protections, dict) else {}
            self._check_filesystem_layer()
            reply, _ = self.worker.request(
                {"op": "load", "source": self.source, "filename": self.filename,
                 "provided": list(self.limits.get("provided", ())),
                 "signatures": self.signatures_of}, [], self.load_timeout)
        except WorkerError as exc:
            self._retire_worker()
            self.load_error = StudentCallError(
                "load", f"{self.shown} could not be loaded: {self._worker_message(exc)}")
            raise self.load_error from None
        if reply.get("ok") is not True:
            self._retire_worker()
            self.load_error = StudentCallError(
                "load", f"{self.shown} could not be loaded: {self._error_text(reply)}")
            raise self.load_error
        self._read_load_reply(reply)
        return self.worker

    def _read_load_reply(self, reply: dict) -> None:
        """What the worker says the module holds (untrusted: only well-formed parts kept)."""
        functions = reply.get("functions")
        self.functions = [f for f in functions if type(f) is str] if type(functions) is list else []
        provided = reply.get("provided")
        self.provided = {pair[0]: calling.text_of(pair[1], 100)
                         for pair in (provided if type(provided) is list else [])
                         if type(pair) is list and len(pair) == 2 and type(pair[0]) is str}
        signatures = reply.get("signatures")
        self.signatures = {name: {"names": [n for n in sig.get("names", []) if type(n) is str],
                                  "required": sig.get("required")}
                           for name, sig in (signatures if type(signatures) is dict else {}).items()
                           if type(sig) is dict and type(sig.get("names")) is list
                           and type(sig.get("required")) is int}
        skipped = reply.get("skipped")
        self.skipped = [{"line": item["line"], "error": calling.text_of(item.get("error"), 300)}
                        for item in (skipped if type(skipped) is list else [])[:200]
                        if type(item) is dict and type(item.get("line")) is int]

    def _check_filesystem_layer(self) -> None:
        """Raise :class:`IsolationFailed` (the grader's failure, not the student's) unless the
        worker proved the filesystem layer the grader chose (it then ran no student code)."""
        required = self.limits.get("filesystem")
        if required and required != sandbox.NO_LAYER and \
                self.protections.get("filesystem") != required:
            self._retire_worker()
            raise IsolationFailed(
                f"the worker could not prove its filesystem isolation ({required}): it could "
                "still open the grader's canary file or a protected folder, so it was given no "
                "student code")

    def loads(self) -> StudentCallError | None:
        """Load the submission now; the error that stops every call, or None."""
        try:
            self._ensure_worker()
        except StudentCallError as exc:
            return exc
        return None

    def prefetch(self, plan, *, send: bool = True) -> int:
        """Keep to a :class:`grader.grading.plan.Plan`'s order and (``send``) make its calls
        stage by stage, one request each, remembering their outcomes; returns how many were
        made. If a request fails, nothing of it is remembered, the fresh worker that replaces
        this one does not count as a restart, and the calls left are made when the tests
        make them (still in the plan's order).
        """
        self.plan = plan
        if not plan or not send or self.load_error is not None:
            return 0
        deadline = time.monotonic() + plan.deadline
        made = 0
        for stage in plan.stages:
            if not self._prefetch_stage(stage, deadline - time.monotonic()):
                break
            made += len(stage)
        return made

    def _prefetch_stage(self, stage, limit: float) -> bool:
        """One stage's request; whether its answers were remembered."""
        try:
            worker = self._ensure_worker()
        except StudentCallError:
            return False
        limit = min(limit, self.budget - self.spent)
        if limit <= 0:
            return False
        started = time.monotonic()
        try:
            reply, blobs = worker.request_raw(stage.message, limit)
        except WorkerError:
            self._retire_worker()
            self.restarts -= 1
            return False
        finally:
            self.spent += time.monotonic() - started
        replies = reply.get("replies")
        if reply.get("ok") is not True or type(replies) is not list or \
                len(replies) != len(stage):
            return False
        shared = self._blobs(blobs)  # each blob decoded once, whichever answer refers to it
        self._answered_here.update(stage.keys)
        for key, function, answer in zip(stage.keys, stage.functions, replies, strict=True):
            if function in self.adapters:  # planned as the tests call it, not as adapted
                continue
            self._memo[key] = self._outcome(function, answer if type(answer) is dict else {},
                                            shared)
        return True

    def _send(self, key: bytes, function: str, args, kwargs: dict, seed: int, timeout):
        outcome = super()._send(key, function, args, kwargs, seed, timeout)
        if self.worker is not None:  # the process that answered answers the next call too
            self._answered_here.add(key)
        return outcome

    def _answer_first(self, key: bytes, function: str, args, kwargs) -> None:
        if self.plan is None:
            return
        for need in self.plan.first(key, function, args, kwargs):
            if need in self._answering or need in self._answered_here:
                continue  # answered here, or being answered further up (a cycle: it goes first)
            if isinstance(self._memo.get(need), StudentCallError):
                continue  # its outcome is final: what it would have had to say changes nothing
            self._answering.add(need)
            recorder, self.recorder = self.recorder, None  # not the running check's evidence
            try:
                planned, planned_args, planned_kwargs, seed = self.plan.calls[need]
                if need not in self._memo:
                    self.call(planned, planned_args, planned_kwargs, seed=seed)
                else:  # answered by a worker since replaced: this one answers too, unheard
                    self._answer_first(need, planned, planned_args, planned_kwargs)
                    self._send(need, planned, planned_args, dict(planned_kwargs), seed, None)
            except StudentCallError:
                pass  # remembered: the check that makes this call fails with it
            finally:
                self.recorder = recorder
                self._answering.discard(need)

    def _call_now(self, function: str, header: dict, blobs: list[bytes], timeout):
        try:
            worker = self._ensure_worker()
        except StudentCallError as exc:
            return exc
        if function not in self.functions:
            return self._missing(function)
        limit = timeout or self.timeouts.get(function, self.default_timeout)
        left = self.budget - self.spent
        if left <= 0:
            return StudentCallError("timeout", f"`{function}` was not run: the submission used "
                                    f"its whole time budget of {self.budget:g} s")
        limit = min(limit, left)
        started = time.monotonic()
        try:
            reply, reply_blobs = worker.request(header, blobs, limit)
        except WorkerError as exc:
            self._retire_worker()
            self.spent += time.monotonic() - started
            if exc.kind == "timeout":
                return StudentCallError("timeout", f"`{function}` did not return within "
                                        f"{limit:g} s (an endless loop?)")
            if exc.kind == "protocol":
                return self._unreadable(function, exc)
            return StudentCallError("crashed", f"`{function}` stopped its process: "
                                    f"{self._worker_message(exc)}")
        self.spent += time.monotonic() - started
        return self._outcome(function, reply, self._blobs(reply_blobs))

    def _blobs(self, blobs: list) -> wire.Blobs:
        """A reply's blobs, to be decoded within what this session may still keep."""
        return wire.Blobs(blobs, limit=self.keep_bytes - self.kept)

    def _unreadable(self, function: str, exc: Exception) -> StudentCallError:
        return StudentCallError("output", f"`{function}` returned data the grader cannot "
                                f"read: {str(exc)[:300]}")

    def _outcome(self, function: str, reply: dict, reply_blobs: wire.Blobs):
        """Plain data from a worker's answer to one call, or the StudentCallError it means."""
        if reply.get("ok") is not True:
            error = reply.get("error")
            if isinstance(error, dict) and error.get("type") == "MissingFunction":
                return self._missing(function)
            return StudentCallError("exception", calling.failure_message(
                function, error, self.locate) + self._skipped_hint(error),
                calling.raised_in(error))
        decoded = reply_blobs.decoded
        try:
            return wire.decode_value(reply.get("value"), reply_blobs)
        except wire.TooMuchData:
            return StudentCallError("output", f"`{function}` returned more data than the "
                                    "grader keeps for one submission "
                                    f"({self.keep_bytes / 2**20:g} MiB)")
        except wire.WireError as exc:
            return self._unreadable(function, exc)
        finally:
            self.kept += reply_blobs.decoded - decoded

    def _missing(self, function: str) -> StudentCallError:
        """Why the student's file has no ``function``, in the student's terms."""
        if function in self.provided:
            return StudentCallError("missing", f"`{function}` comes from {self.provided[function]}"
                                    f", a provided module: it earns points only when "
                                    f"{self.shown} defines it itself")
        if function in self.why_missing:
            return StudentCallError("missing", self.why_missing[function])
        return StudentCallError("missing", f"{self.shown} has no function `{function}`")

    def skipped_statements(self) -> list[dict]:
        """The top-level statements the worker skipped: {"line", "statement", "names",
        "where", "error"}, the statement's text and names read from our own copy of the
        source (the worker only says which lines)."""
        if self._skipped_statements is None:
            self._skipped_statements = statements_at(self.source, self.skipped, self.locate)
        return self._skipped_statements

    def skipped_notes(self) -> list[str]:
        """One sentence per skipped top-level statement, for the report."""
        notes, skipped_names = [], set()
        for item in self.skipped_statements():
            import_ = item["statement"].startswith(("import ", "from "))
            missing = NAME_ERROR.search(item["error"])
            if import_ and item["error"].startswith(("ModuleNotFoundError", "ImportError")):
                why = "not available to the grader"
            elif not import_ and missing and (missing.group(1) in skipped_names
                                              or "*" in skipped_names):
                why = f"it needs a name a skipped statement would have defined ({item['error']})"
            else:
                why = f"it raised {item['error']}; the rest of the file was loaded"
            skipped_names.update(item["names"])
            notes.append(f"`{item['statement']}` ({item['where']}) skipped: {why}")
        return notes

    def _skipped_hint(self, error) -> str:
        """For a NameError on a name a skipped statement would have bound: where it was meant
        to come from."""
        if not isinstance(error, dict) or error.get("type") != "NameError" or not self.skipped:
            return ""
        match = NAME_ERROR.search(calling.text_of(error.get("message", ""), 300))
        if match is None:
            return ""
        statements = self.skipped_statements()
        named = [item for item in statements if match.group(1) in item["names"]]
        for item in named or [item for item in statements if "*" in item["names"]]:
            return (f"; `{match.group(1)}` was meant to come from `{item['statement']}` "
                    f"({item['where']}), which was skipped: {item['error']}")
        return ""

    def _worker_message(self, exc: WorkerError) -> str:
        if exc.kind == "timeout":
            return f"it did not finish within {self.load_timeout:g} s (an endless loop at import?)"
        return str(exc)

    def _error_text(self, reply: dict) -> str:
        """'ValueError: message (backprop.py, line 12, in f: `code`)' from a worker's error."""
        return calling.error_text(reply.get("error"), self.locate)
