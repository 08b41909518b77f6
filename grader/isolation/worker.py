"""The student-side runtime: the only code that runs in a process with student code.

Forked by :mod:`grader.isolation.template`, which has already applied the sandbox
(:mod:`grader.isolation.sandbox`) and left only the worker's pipes open. It then reads requests:
``load`` (compile and run the student's source, which the grader read and sent) and
``call`` (call one student function on decoded inputs, with a fixed random seed).
Everything it answers is plain data (:mod:`grader.isolation.wire`). This module must never import
the reference solutions or the hidden tests; nothing here is trusted by the grader.
"""

from __future__ import annotations

import linecache
import os
import sys
import types

import numpy.random  # noqa: F401  (pre-imported so student imports cost nothing)

from grader.isolation import wire
from grader.isolation.calling import Raised, call, describe_error, short
from grader.isolation.framing import FrameReader, write_all


class Runtime:
    """Holds the student's module between requests."""

    def __init__(self) -> None:
        self.module: types.ModuleType | None = None
        self.filename = "submission.py"

    def load(self, header: dict) -> dict:
        self.filename = header["filename"]
        name = os.path.splitext(self.filename)[0]
        module = types.ModuleType(name)
        module.__file__ = self.filename
        source = header["source"]
        linecache.cache[self.filename] = (len(source), None, source.splitlines(True), self.filename)
        sys.modules[name] = module
        try:
            code = compile(source, self.filename, "exec")
            exec(code, module.__dict__)
        except BaseException as exc:  # SystemExit and friends are the student's too
            return {"ok": False, "error": describe_error(exc, self.filename)}
        finally:
            flush_output()
        self.module = module
        functions = sorted(k for k, v in vars(module).items() if callable(v))
        return {"ok": True, "functions": functions[:1000]}

    def calls(self, header: dict, blobs: list[bytes]) -> tuple[dict, list[bytes]]:
        """Several calls, one after the other, answered together (their blobs shared)."""
        out: list[bytes] = []
        replies = [self.call(call, blobs, out)[0] for call in header["calls"]]
        return {"ok": True, "replies": replies}, out

    def call(self, header: dict, blobs: list[bytes],
             out: list[bytes] | None = None) -> tuple[dict, list[bytes]]:
        function = getattr(self.module, header["function"], None)
        if not callable(function):
            return {"ok": False, "error": {"type": "MissingFunction", "where": None,
                                           "message": header["function"]}}, []
        try:
            value = call(function, header, blobs, catching=BaseException)
        except Raised as raised:
            return {"ok": False, "error": describe_error(raised.exception, self.filename)}, []
        finally:
            flush_output()
        out = [] if out is None else out
        try:
            encoded = wire.encode_value(value, out)
        except BaseException as exc:
            return {"ok": False, "error": {"type": "UnsendableResult", "where": None,
                                           "message": short(f"{type(exc).__name__}: {exc}")}}, []
        return {"ok": True, "value": encoded}, out


WARM_UP_FILE = "<grader warm-up>"
WARM_UP_SOURCE = """
import numpy as np


def exercise(a, b):
    # numpy's common paths, each once; the values mean nothing
    parts = [np.dot(a, b), a @ b, np.tanh(a), np.exp(-a), np.log(np.abs(a) + 1), a.T,
             np.sum(a, axis=1, keepdims=True) / 3, np.multiply(a, a), np.power(a, 2), a - 0.5 * a,
             (a > 0.5).astype(float), np.mean(a == a), np.squeeze(a[:1]), 1 / (1 + np.exp(a)),
             np.einsum("ij,jk->ik", a, b), np.where(a > 0, a, 0.0), np.maximum(a, 0),
             np.clip(a.reshape(-1, 1), -1, 1), np.zeros_like(a), np.zeros(shape=(2, 1))]
    return {"parts": parts[:3], "count": len(parts), "total": float(np.sum(parts[0]))}


def draw(rows, columns):
    return {"a": np.random.randn(rows, columns) * 0.01, "b": np.zeros((columns, 1))}
"""


def warm_up() -> None:
    """Run trusted code through load and calls once, in the template before it forks, so
    what numpy and this runtime set up on first use is there already in every worker."""
    runtime = Runtime()
    runtime.load({"source": WARM_UP_SOURCE, "filename": WARM_UP_FILE})
    blobs: list[bytes] = []
    drawn = runtime.call({"function": "draw", "args": wire.encode_value((4, 8), blobs),
                          "kwargs": wire.encode_value({}, blobs), "seed": 1}, blobs)
    a = wire.decode_value(drawn[0]["value"], drawn[1])["a"]
    blobs = []
    request = {"calls": [{"function": "exercise", "seed": 2, "kwargs": wire.encode_value({}, blobs),
                          "args": wire.encode_value((a, a.T.copy()), blobs)}]}
    wire.parse_message(wire.encode_message(*runtime.calls(request, blobs))[12:])
    sys.modules.pop(os.path.splitext(WARM_UP_FILE)[0], None)
    linecache.cache.pop(WARM_UP_FILE, None)


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def refuse(response_fd: int, protections: dict) -> None:
    """Say which protections hold, then exit without reading any request: the worker did
    not prove its filesystem layer, so it must not receive student code. Never returns."""
    try:
        write_all(response_fd, wire.encode_message({"hello": True, "protections": protections}))
    finally:
        os._exit(77)


def serve(request_fd: int, response_fd: int, protections: dict) -> None:
    """Answer requests until the grader closes the request pipe. Never returns.

    The first frame, sent before any student code runs, says which protections hold.
    """
    write_all(response_fd, wire.encode_message({"hello": True, "protections": protections}))
    runtime = Runtime()
    requests = FrameReader(request_fd)  # the grader sends the next only after our reply
    while True:
        try:
            header, blobs = wire.parse_message(requests.read_frame())
        except EOFError:
            os._exit(0)
        if header.get("op") == "load":
            reply, out = runtime.load(header), []
        elif header.get("op") == "call":
            reply, out = runtime.call(header, blobs)
        elif header.get("op") == "calls":
            reply, out = runtime.calls(header, blobs)
        else:
            reply, out = {"ok": False, "error": {"type": "Protocol", "message": "unknown op",
                                                 "where": None}}, []
        write_all(response_fd, wire.encode_message(reply, out))
