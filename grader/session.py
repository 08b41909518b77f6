"""The grader's side of a worker: start it, talk to it with deadlines, end it.

:class:`Worker` is one child process running :mod:`grader.worker`. :class:`StudentSession`
is one submission: it loads the source into a worker, calls student functions by name,
remembers each call's outcome (so several checks can look at one call), and replaces a
worker that crashed or hung (a few times at most), so one broken function costs only its
own checks.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time

from grader import sandbox, wire

OUTPUT_TAIL_BYTES = 8192
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Run the worker from this very copy of the grader (an installed one may differ), then take
# its folder off sys.path again unless it was there anyway (a checkout also holds solutions/).
BOOT = ("import sys; root = sys.argv[1]; added = root not in sys.path\n"
        "if added: sys.path.insert(0, root)\n"
        "from grader.worker import main\n"
        "if added: sys.path.remove(root)\n"
        "main(sys.argv[1:])")
CLEAN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


class WorkerError(Exception):
    """The worker did not answer: it hung, died or sent something unreadable."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "timeout" | "crashed" | "protocol"


class StudentCallError(Exception):
    """A student function could not be called or did not return usable data."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "exception" | "timeout" | "crashed" | "missing" | "load" | "output"


class Worker:
    """One sandboxed child process speaking :mod:`grader.wire` over two pipes."""

    def __init__(self, *, limits: dict, scratch_dir: str):
        req_r, self._req_w = os.pipe()
        self._resp_r, resp_w = os.pipe()
        self._out_r, out_w = os.pipe()
        command = [sys.executable, "-I", "-c", BOOT, PACKAGE_ROOT,
                   str(req_r), str(resp_w), json.dumps(limits)]
        try:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w,
                pass_fds=(req_r, resp_w), env=CLEAN_ENV, cwd=scratch_dir,
                start_new_session=True, close_fds=True,
            )
        finally:
            for fd in (req_r, resp_w, out_w):
                os.close(fd)
        for fd in (self._req_w, self._resp_r, self._out_r):
            os.set_blocking(fd, False)
        self.output = bytearray()
        self.output_total = 0

    def request(self, header: dict, blobs: list[bytes], timeout: float):
        """Send one request and wait for its reply, draining the child's output meanwhile."""
        pending = memoryview(wire.encode_message(header, blobs))
        reply = bytearray()
        needed = None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self._resp_r, selectors.EVENT_READ, "reply")
            selector.register(self._out_r, selectors.EVENT_READ, "output")
            if pending:
                selector.register(self._req_w, selectors.EVENT_WRITE, "request")
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    raise WorkerError("timeout", f"no answer within {timeout:g} s")
                for key, _ in selector.select(remaining):
                    if key.data == "request":
                        try:
                            pending = pending[os.write(self._req_w, pending):]
                        except BrokenPipeError:
                            pending = pending[:0]
                        if not pending:
                            selector.unregister(self._req_w)
                    elif key.data == "output":
                        if not self._drain_output():
                            selector.unregister(self._out_r)
                    else:
                        chunk = os.read(self._resp_r, 1 << 20)
                        if not chunk:
                            raise WorkerError("crashed", self._death_note())
                        reply += chunk
                        if needed is None and len(reply) >= 12:
                            needed = 12 + self._frame_length(reply[:12])
                        if needed is not None and len(reply) > needed:
                            self.kill()
                            raise WorkerError("protocol", "the worker sent more than one reply")
                        if needed is not None and len(reply) == needed:
                            self._drain_output()
                            try:
                                return wire.parse_message(bytes(reply[12:]))
                            except wire.WireError as exc:
                                self.kill()
                                raise WorkerError("protocol", str(exc)) from None

    def _frame_length(self, prefix: bytes) -> int:
        try:
            return wire.frame_length(bytes(prefix))
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
            self.output_total += len(chunk)
            self.output += chunk
            del self.output[:-OUTPUT_TAIL_BYTES]

    def _death_note(self) -> str:
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return "the worker closed its reply channel"
        if code < 0:
            name = signal.Signals(-code).name
            why = {"SIGKILL": " (memory or CPU limit, or killed)",
                   "SIGXCPU": " (CPU time limit)", "SIGSEGV": " (crashed)"}.get(name, "")
            return f"the process was killed by {name}{why}"
        return f"the process exited with code {code}"

    def kill(self) -> None:
        """End the worker and everything in its process group."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
        self.process.wait()

    def close(self) -> None:
        self.kill()
        self._drain_output()
        for fd in (self._req_w, self._resp_r, self._out_r):
            try:
                os.close(fd)
            except OSError:
                pass


class StudentSession:
    """One submission in a worker: load once, call functions by name, remember outcomes."""

    def __init__(self, source: str, filename: str, *, limits: dict | None = None,
                 default_timeout: float = 5.0, timeouts: dict | None = None,
                 load_timeout: float = 10.0, max_restarts: int = 3):
        self.source, self.filename = source, filename
        self.limits = dict(sandbox.DEFAULT_LIMITS, **(limits or {}))
        self.default_timeout, self.timeouts = default_timeout, timeouts or {}
        self.load_timeout, self.max_restarts = load_timeout, max_restarts
        self.restarts = -1
        self.worker: Worker | None = None
        self.load_error: StudentCallError | None = None
        self.functions: list[str] = []
        self._memo: dict[bytes, object] = {}
        self._scratch = tempfile.TemporaryDirectory(prefix="bpg-scratch-")
        self.output = bytearray()
        # when a list: every call is appended as (function, args, kwargs, seed, outcome), so
        # a failed check's evidence can be examined afterwards (grader.diagnosis)
        self.recorder: list | None = None

    def __enter__(self) -> StudentSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._retire_worker()
        self._scratch.cleanup()

    def _retire_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
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
        self.worker = Worker(limits=self.limits, scratch_dir=self._scratch.name)
        try:
            reply, _ = self.worker.request(
                {"op": "load", "source": self.source, "filename": self.filename}, [],
                self.load_timeout)
        except WorkerError as exc:
            self._retire_worker()
            self.load_error = StudentCallError(
                "load", f"{self.filename} could not be loaded: {self._worker_message(exc)}")
            raise self.load_error from None
        if reply.get("ok") is not True:
            self._retire_worker()
            self.load_error = StudentCallError(
                "load", f"{self.filename} could not be loaded: {self._error_text(reply)}")
            raise self.load_error
        functions = reply.get("functions")
        self.functions = [f for f in functions if type(f) is str] if type(functions) is list else []
        return self.worker

    def loads(self) -> StudentCallError | None:
        """Load the submission now; the error that stops every call, or None."""
        try:
            self._ensure_worker()
        except StudentCallError as exc:
            return exc
        return None

    def call(self, function: str, args: tuple = (), kwargs: dict | None = None, *,
             seed: int = 0, timeout: float | None = None):
        """Call a student function in the worker; returns plain data or raises StudentCallError.

        Inputs are serialized, so the student always gets its own copy of them.
        """
        blobs: list[bytes] = []
        header = {"op": "call", "function": function, "seed": seed,
                  "args": wire.encode_value(tuple(args), blobs),
                  "kwargs": wire.encode_value(dict(kwargs or {}), blobs)}
        key = hashlib.sha256(wire.encode_message(header, blobs)).digest()
        if key not in self._memo:
            self._memo[key] = self._call_now(function, header, blobs, timeout)
        outcome = self._memo[key]
        if self.recorder is not None:
            self.recorder.append((function, copy.deepcopy(tuple(args)), copy.deepcopy(kwargs or {}),
                                  seed, outcome))
        if isinstance(outcome, StudentCallError):
            raise outcome
        return copy.deepcopy(outcome)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, args, kwargs)

    def _call_now(self, function: str, header: dict, blobs: list[bytes], timeout):
        try:
            worker = self._ensure_worker()
        except StudentCallError as exc:
            return exc
        if function not in self.functions:
            return StudentCallError("missing", f"{self.filename} has no function `{function}`")
        limit = timeout or self.timeouts.get(function, self.default_timeout)
        try:
            reply, reply_blobs = worker.request(header, blobs, limit)
        except WorkerError as exc:
            self._retire_worker()
            kind = "timeout" if exc.kind == "timeout" else "crashed"
            if exc.kind == "timeout":
                text = f"`{function}` did not return within {limit:g} s (an endless loop?)"
            else:
                text = f"`{function}` stopped its process: {self._worker_message(exc)}"
            return StudentCallError(kind, text)
        if reply.get("ok") is not True:
            text = self._error_text(reply)
            if text.startswith("NotImplementedError"):
                return StudentCallError("exception", f"`{function}` is not written yet: it still "
                                        f"raises {text}")
            return StudentCallError("exception", f"`{function}` raised {text}")
        try:
            return wire.decode_value(reply.get("value"), reply_blobs)
        except wire.WireError as exc:
            return StudentCallError("output", f"`{function}` returned data the grader cannot "
                                    f"read: {exc}")

    def _worker_message(self, exc: WorkerError) -> str:
        if exc.kind == "timeout":
            return f"it did not finish within {self.load_timeout:g} s (an endless loop at import?)"
        return str(exc)

    def _error_text(self, reply: dict) -> str:
        """'ValueError: message (backprop.py, line 12, in f: `code`)' from a worker's error."""
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        kind = str(error.get("type", "an error"))[:100]
        message = str(error.get("message", ""))[:2000]
        text = f"{kind}: {message}" if message else kind
        where = error.get("where")
        if isinstance(where, dict):
            line, function = where.get("line"), str(where.get("function", ""))[:100]
            code = str(where.get("text", "")).strip()[:200]
            text += f" ({self.filename}, line {line}, in {function}"
            text += f": `{code}`)" if code else ")"
        return text
