"""Calling a function the way a worker calls a student's: one way, for every caller.

The worker calls the student's functions with :func:`call`; the grader calls the reference
the same way when it learns the plan (:mod:`grader.grading.plan`) and when it replays a
failed check on mistaken references (:mod:`grader.grading.diagnosis`), and a notebook's
check cell calls the student's own kernel with it (:mod:`grader.selfcheck`). Verdicts and
named mistakes compare these calls' outcomes, so the calls must differ in nothing but the
function called: each gets its own copies of the inputs, decoded from the request as a
worker decodes it (writeable arrays, none shared with another argument, test-written
:class:`~grader.isolation.wire.Function` values built), numpy's and Python's generators
seeded with the call's seed, and what it raises wrapped in :class:`Raised`.
"""

from __future__ import annotations

import ast
import linecache
import random
import traceback

import numpy as np

from grader.isolation import wire

MAX_MESSAGE_TEXT = 2000


class StudentCallError(Exception):
    """A student function could not be called or did not return usable data."""

    def __init__(self, kind: str, message: str, raised_in: str | None = None):
        super().__init__(message)
        self.kind = kind  # "exception" | "timeout" | "crashed" | "missing" | "load" | "output"
        # the student's function whose line raised (an exception), when one did: a caller
        # is not charged for what another of their functions raised (grading/cascade.py)
        self.raised_in = raised_in


class Raised(Exception):
    """The called function raised ``exception`` (in a worker: anything, SystemExit too)."""

    def __init__(self, exception: BaseException):
        super().__init__(type(exception).__name__)
        self.exception = exception


def request(function: str, args, kwargs: dict, seed: int) -> tuple[dict, list[bytes]]:
    """The ``call`` request (header and blobs) for calling ``function`` on these inputs."""
    blobs: list[bytes] = []
    header = {"op": "call", "function": function, "seed": seed,
              "args": wire.encode_value(tuple(args), blobs),
              "kwargs": wire.encode_value(kwargs, blobs)}
    return header, blobs


def call(function, header: dict, blobs, *, catching: type[BaseException] = Exception):
    """``function`` called as the request says: on its own copies of the inputs, with the
    generators seeded. An exception of ``catching`` comes back as :class:`Raised`."""
    args = wire.decode_value(header["args"], blobs, writeable=True, functions=True)
    kwargs = wire.decode_value(header["kwargs"], blobs, writeable=True, functions=True)
    np.random.seed(header["seed"])
    random.seed(header["seed"])
    try:
        return function(*args, **kwargs)
    except catching as exc:
        raise Raised(exc) from None


def call_trusted(function, name: str, header: dict, blobs):
    """:func:`call` for the grader's own calls of trusted code (the reference, a mistaken
    one): numpy's warnings silenced, and what it raises as the StudentCallError a session
    gives for the same exception (without a line: it is not the student's file)."""
    try:
        with np.errstate(all="ignore"):
            return call(function, header, blobs)
    except Raised as raised:
        return StudentCallError("exception", failure_message(name, describe_error(
            raised.exception, filename=None)))


def bound_names(node: ast.stmt) -> list[str]:
    """The names a top-level statement binds (``*`` for a star import): what stays undefined
    when the worker skips it."""
    if isinstance(node, ast.Import):
        return [(alias.asname or alias.name.split(".")[0]) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [(alias.asname or alias.name) for alias in node.names]
    return sorted({n.id for n in ast.walk(node)
                   if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)})


def short(text: str, limit: int = MAX_MESSAGE_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more chars]"


def describe_error(exc: BaseException, filename: str | None) -> dict:
    """Type, message and the innermost line of the student's file the error passed through."""
    try:
        message = short(exc.msg if isinstance(exc, SyntaxError) else str(exc))
    except BaseException:  # a hostile __str__
        message = "<the exception's message could not be read>"
    where = None
    if filename is None:  # trusted code: no line of it is shown
        pass
    elif isinstance(exc, SyntaxError) and exc.filename == filename:
        where = {"line": exc.lineno, "function": "<module>", "text": (exc.text or "").strip()}
    else:
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            code = frame.f_code
            if code.co_filename == filename:
                where = {"line": lineno, "function": owner(code),
                         "text": linecache.getline(filename, lineno).strip()}
    return {"type": type(exc).__name__[:100], "message": message, "where": where}


def owner(code) -> str:
    """The function a frame's code was written in: a comprehension's, generator
    expression's or nested function's frame belongs to the named function around it
    (``update_parameters.<locals>.<dictcomp>`` is update_parameters' line), so a crash there
    is that function's, as in Python 3.12, where comprehensions have no frame of their own."""
    qualname = getattr(code, "co_qualname", code.co_name)
    first = qualname.split(".<locals>.")[0].split(".")[0]
    return first if first.isidentifier() else code.co_name


def raised_in(error) -> str | None:
    """The function named by :func:`describe_error`'s ``where`` (a worker's reply: any JSON
    value), if it is a function's name."""
    where = error.get("where") if isinstance(error, dict) else None
    function = where.get("function") if isinstance(where, dict) else None
    return function if type(function) is str and function.isidentifier() else None


def failure_message(function: str, error, locate=None) -> str:
    """What a student reads when ``function`` raised: from :func:`describe_error`'s dict
    (a worker's reply: any JSON value, read with care), ``locate`` naming a line."""
    text = error_text(error, locate)
    if text.startswith("NotImplementedError"):
        return f"`{function}` is not written yet: it still raises {text}"
    return f"`{function}` raised {text}"


def error_text(error, locate=None) -> str:
    """'ValueError: message (backprop.py, line 12, in f: `code`)' from an error's dict."""
    error = error if isinstance(error, dict) else {}
    kind = text_of(error.get("type", "an error"), 100)
    message = text_of(error.get("message", ""), 2000)
    text = f"{kind}: {message}" if message else kind
    where = error.get("where")
    if isinstance(where, dict) and locate is not None:
        line, function = where.get("line"), text_of(where.get("function", ""), 100)
        line = line if type(line) is int and 0 < line < 10**9 else None
        code = text_of(where.get("text", ""), 400).strip()[:200]
        text += f" ({locate(line)}, in {function}"
        text += f": `{code}`)" if code else ")"
    return text


def text_of(value, limit: int) -> str:
    """At most ``limit`` characters of text from a worker's reply (any JSON value)."""
    text = value if type(value) is str else repr(value) if value is None or \
        type(value) in (bool, int, float) else f"<{type(value).__name__}>"
    return wire.clean_text(text[:limit])
