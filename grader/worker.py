"""The student-side runtime: the only code that runs in a process with student code.

Forked by :mod:`grader.template`, which has already applied the sandbox
(:mod:`grader.sandbox`) and left only the worker's pipes open. It then reads requests:
``load`` (compile and run the student's source, which the grader read and sent) and
``call`` (call one student function on decoded inputs, with a fixed random seed).
Everything it answers is plain data (:mod:`grader.wire`). This module must never import
the reference solutions or the hidden tests; nothing here is trusted by the grader.
"""

from __future__ import annotations

import linecache
import os
import random
import sys
import traceback
import types

import numpy as np
import numpy.random  # noqa: F401  (pre-imported so student imports cost nothing)

from grader import wire

MAX_MESSAGE_TEXT = 2000


def read_exact(fd: int, count: int) -> bytes:
    chunks, remaining = [], count
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_request(fd: int) -> tuple[dict, list[bytes]]:
    """One request; the grader sends the next only after our reply, so nothing is left over."""
    data = os.read(fd, 1 << 16)  # most requests arrive in one read
    if not data:
        raise EOFError
    if len(data) < 12:
        data += read_exact(fd, 12 - len(data))
    total = 12 + wire.frame_length(data[:12])
    if len(data) < total:
        data += read_exact(fd, total - len(data))
    return wire.parse_message(data[12:total])


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def short(text: str, limit: int = MAX_MESSAGE_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def describe_error(exc: BaseException, filename: str) -> dict:
    """Type, message and the innermost line of the student's file the error passed through."""
    try:
        message = short(exc.msg if isinstance(exc, SyntaxError) else str(exc))
    except BaseException:  # a hostile __str__
        message = "<the exception's message could not be read>"
    where = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        where = {"line": exc.lineno, "function": "<module>", "text": (exc.text or "").strip()}
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename == filename:
                where = {"line": frame.lineno, "function": frame.name, "text": frame.line or ""}
    return {"type": type(exc).__name__[:100], "message": message, "where": where}


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
        args = wire.decode_value(header["args"], blobs, writeable=True, functions=True)
        kwargs = wire.decode_value(header["kwargs"], blobs, writeable=True, functions=True)
        np.random.seed(header["seed"])
        random.seed(header["seed"])
        try:
            value = function(*args, **kwargs)
        except BaseException as exc:
            return {"ok": False, "error": describe_error(exc, self.filename)}, []
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


def train(X, Y, params, rate=1.2, steps=2):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    m = X.shape[1]
    for _ in range(steps):
        A1 = np.tanh(np.dot(W1, X) + b1)
        A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
        cost = float(np.squeeze(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m))
        dZ2 = A2 - Y
        dW2, db2 = np.dot(dZ2, A1.T) / m, np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = np.multiply(np.dot(W2.T, dZ2), 1 - np.power(A1, 2))
        dW1, db1 = dZ1 @ X.T / m, np.sum(dZ1, axis=1, keepdims=True) / m
        W1, b1, W2, b2 = W1 - rate * dW1, b1 - rate * db1, W2 - rate * dW2, b2 - rate * db2
    predictions = (A2 > 0.5).astype(float)
    other = np.einsum("ij,jk->ik", W1, X) + np.where(X > 0, X, 0.0).sum() + np.maximum(A1, 0)
    other = np.clip(other.reshape(-1, 1), -1, 1) * np.zeros_like(other.reshape(-1, 1)).T
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, cost, np.mean(predictions == Y), other


def start(n_x, n_h, n_y):
    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),
            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros(shape=(n_y, 1))}
"""


def warm_up() -> None:
    """Run trusted code through load and calls once, in the template before it forks, so
    what numpy and this runtime set up on first use is there already in every worker."""
    runtime = Runtime()
    runtime.load({"source": WARM_UP_SOURCE, "filename": WARM_UP_FILE})
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 8)), (rng.random((1, 8)) > 0.5).astype(float)
    blobs: list[bytes] = []
    params = runtime.call({"function": "start", "args": wire.encode_value((2, 4, 1), blobs),
                           "kwargs": wire.encode_value({}, blobs), "seed": 1}, blobs)
    blobs = []
    request = {"calls": [{"function": "train", "seed": 2, "kwargs": wire.encode_value({}, blobs),
                          "args": wire.encode_value((X, Y, wire.decode_value(
                              params[0]["value"], params[1])), blobs)}]}
    wire.parse_message(wire.encode_message(*runtime.calls(request, blobs))[12:])
    sys.modules.pop(os.path.splitext(WARM_UP_FILE)[0], None)
    linecache.cache.pop(WARM_UP_FILE, None)


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def serve(request_fd: int, response_fd: int, protections: dict) -> None:
    """Answer requests until the grader closes the request pipe. Never returns.

    The first frame, sent before any student code runs, says which protections hold.
    """
    write_all(response_fd, wire.encode_message({"hello": True, "protections": protections}))
    runtime = Runtime()
    while True:
        try:
            header, blobs = read_request(request_fd)
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
