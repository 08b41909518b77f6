"""The student-side runtime: the only code that runs in a process with student code.

Forked by :mod:`grader.isolation.template`, which has already applied the sandbox
(:mod:`grader.isolation.sandbox`) and left only the worker's pipes open. It then reads requests:
``load`` (compile and run the student's source, which the grader read and sent) and
``call`` (call one student function on decoded inputs, with a fixed random seed).
Everything it answers is plain data (:mod:`grader.isolation.wire`). This module must never import
the reference solutions or the hidden tests; nothing here is trusted by the grader.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import sys
import types

import numpy.random  # noqa: F401  (pre-imported so student imports cost nothing)

from grader.isolation import wire
from grader.isolation.calling import Raised, call, describe_error, short
from grader.isolation.framing import FrameReader, write_all

SKIP = "__grader_skip__"
MAX_SKIPPED = 200


class Runtime:
    """Holds the student's module between requests."""

    def __init__(self) -> None:
        self.module: types.ModuleType | None = None
        self.filename = "submission.py"
        self.skipped: list[dict] = []  # top-level statements left out: {"line", "error"}
        self.provided: set[str] = set()  # functions that come from a provided module

    def load(self, header: dict) -> dict:
        self.filename = header["filename"]
        name = os.path.splitext(self.filename)[0]
        for folder in reversed(header.get("provided") or []):
            if isinstance(folder, str) and folder not in sys.path:
                sys.path.insert(0, folder)  # the assignment's public helper modules
        source = header["source"]
        linecache.cache[self.filename] = (len(source), None, source.splitlines(True), self.filename)
        try:
            try:  # as written: what almost every submission needs, at the cost of one compile
                module = self.run(name, compile(source, self.filename, "exec"))
            except Exception:  # again, skipping the top-level statements that fail
                module = self.run(name, self.compile_lenient(source), lenient=True)
        except BaseException as exc:  # SystemExit and friends are the student's too
            return {"ok": False, "error": describe_error(exc, self.filename)}
        finally:
            flush_output()
        self.module = module
        own, provided = self.functions_of(module, header.get("provided") or [])
        self.provided = {name for name, _ in provided}  # not the student's: never called
        return {"ok": True, "functions": own[:1000], "provided": provided[:1000],
                "signatures": signatures(module, [name for name in header.get("signatures") or []
                                                  if name in own]),
                "skipped": self.skipped}

    def run(self, name: str, code, *, lenient: bool = False) -> types.ModuleType:
        """A new module ``name`` made by running ``code`` (with the hooks the lenient code
        calls, removed afterwards)."""
        module = types.ModuleType(name)
        module.__file__ = self.filename
        sys.modules[name] = module
        if lenient:
            module.__dict__[SKIP] = self.skip
        try:
            exec(code, module.__dict__)
        finally:
            module.__dict__.pop(SKIP, None)
        return module

    def compile_lenient(self, source: str):
        """The module's code, with every top-level statement that raises an Exception skipped
        (the names it binds stay undefined): an import the grader does not have, a line of
        the student's own that fails. A source that does not parse is compiled as it is, so
        its SyntaxError is the student's."""
        try:
            tree = ast.parse(source, self.filename)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return compile(source, self.filename, "exec")
        # walking and compiling a tree recurses deeper than parsing its text (a 1,500-term
        # sum parses, then its tree exceeds the default limit): what the parser took must
        # compile here too
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 20_000))
        try:
            tree.body = [lenient(node) for node in tree.body]
            ast.fix_missing_locations(tree)
            return compile(tree, self.filename, "exec")
        except (RecursionError, MemoryError):
            return compile(source, self.filename, "exec")
        finally:
            sys.setrecursionlimit(limit)

    def skip(self, line: int) -> None:
        """Called (from the student's module) when the top-level statement at ``line``
        raised: it is skipped, the names it would have bound stay undefined, and the rest
        of the file loads (a function defined before or after it is graded)."""
        exc = sys.exc_info()[1]
        if len(self.skipped) < MAX_SKIPPED:
            self.skipped.append({"line": line, "error": short(
                f"{type(exc).__name__}: {exc}", 300)})

    @staticmethod
    def functions_of(module, provided_folders: list) -> tuple[list[str], list[list[str]]]:
        """The names of the student's own functions, and [name, module] of the callables
        that come from a provided module (they earn nothing for the student)."""
        folders = [os.path.join(f, "") for f in provided_folders if isinstance(f, str)]
        own, provided = [], []
        for key, value in sorted(vars(module).items()):
            if not callable(value):
                continue
            origin = provided_origin(value, folders)
            if origin is None:
                own.append(key)
            else:
                provided.append([key, origin])
        return own, provided

    def calls(self, header: dict, blobs: list[bytes]) -> tuple[dict, list[bytes]]:
        """Several calls, one after the other, answered together (their blobs shared)."""
        out: list[bytes] = []
        replies = [self.call(call, blobs, out)[0] for call in header["calls"]]
        return {"ok": True, "replies": replies}, out

    def call(self, header: dict, blobs: list[bytes],
             out: list[bytes] | None = None) -> tuple[dict, list[bytes]]:
        function = getattr(self.module, header["function"], None)
        if not callable(function) or header["function"] in self.provided:
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


def provided_origin(value, folders: list[str]) -> str | None:
    """The provided module ``value`` was defined in, or None."""
    if not folders:
        return None
    try:
        module = sys.modules.get(getattr(value, "__module__", None) or "")
        path = getattr(module, "__file__", None) or ""
    except BaseException:
        return None
    if isinstance(path, str) and any(path.startswith(folder) for folder in folders):
        return module.__name__
    return None


def signatures(module, names: list[str]) -> dict:
    """For each function: its positional parameters' names and how many are required (an
    assignment may accept alternative signatures, told apart by these)."""
    found = {}
    for name in names:
        try:
            parameters = inspect.signature(getattr(module, name)).parameters.values()
        except BaseException:  # builtins, hostile objects: no signature to match
            continue
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                          p.POSITIONAL_OR_KEYWORD)]
        found[name] = {"names": [str(p.name)[:100] for p in positional][:50],
                       "required": sum(p.default is p.empty for p in positional)}
    return found


def lenient(node: ast.stmt) -> ast.stmt:
    """A top-level statement wrapped so that, when it raises, it is skipped and noted: an
    import that fails (a module the grader does not have), or any other statement (a line
    that fails in recent numpy, a decorator, a name only a skipped statement would have
    bound). SystemExit and KeyboardInterrupt still end the load."""
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return node
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return node  # a docstring (before a __future__ import) stays where it is
    line = ast.Constant(min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list",
                                                                       ()))]))
    handler = ast.ExceptHandler(ast.Name("Exception", ast.Load()), None, [ast.Expr(
        ast.Call(ast.Name(SKIP, ast.Load()), [line], []))])
    wrapped = ast.Try([node], [handler], [], [])
    return ast.copy_location(wrapped, node)


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
    # matplotlib's config and font cache go to the scratch folder (the worker's working
    # folder, the only one it may write): else it warns, in the student's output, that it
    # cannot save them
    os.environ["MPLCONFIGDIR"] = os.path.join(os.getcwd(), ".matplotlib")
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
        # nothing of an answered request stays referenced while the next one is awaited
        header = blobs = reply = out = None
