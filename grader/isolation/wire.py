"""The wire format between the grader and a worker: plain data, never pickles.

A message is a JSON header plus raw ``.npy`` blobs, framed by lengths. Values are
encoded as a tagged tree (``{"t": "array", "i": 0}``) so that nothing the worker sends can
become an object of the worker's choosing in the grader: decoding builds only None, bool,
int, float, str, list, tuple, dict, plain numeric ndarrays and numpy scalars, and
:class:`Opaque` markers for anything else. Both sides import this module; only the
grader's side (:func:`decode_value`, :func:`parse_message`) must treat its input as hostile.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import types

import numpy as np

# a message travels as one frame (MAGIC and frame_length: the frame's, named here too)
from grader.isolation.framing import MAGIC, WireError, frame, frame_length  # noqa: F401

MAX_HEADER_BYTES = 4 * 1024 * 1024
MAX_BLOBS = 4096
MAX_ELEMENTS = 4 * 1024 * 1024  # per returned array
MAX_DEPTH = 32
MAX_NODES = 100_000
NUMERIC_KINDS = "biuf"  # bool, signed, unsigned, float: no objects, strings or records


class Opaque:
    """Stands in for a value the worker could not send as plain data (a class instance...)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and other.type_name == self.type_name

    __hash__ = None  # type: ignore[assignment]


class Function:
    """The source of a function the hidden tests pass to a student function, e.g.
    ``Function("lambda x: x**3 - 2*x")``: code travels only from the grader to a worker.

    It is encoded as the ``function`` tag, which only a worker decodes (``decode_value(...,
    functions=True)``, evaluated with ``np`` and ``math`` in scope); the grader's decoding
    refuses that tag, so nothing a worker sends can become code in the grader.
    """

    def __init__(self, source: str):
        self.source = source
        try:  # a typo in a hidden test is the grader's error, caught here, not in a worker
            compile(source, "<test function>", "eval")
        except SyntaxError:
            compile(source, "<test function>", "exec")

    def __repr__(self) -> str:
        return f"Function({self.source!r})"

    def build(self):
        """The callable: a lambda expression, or a source defining exactly one function."""
        namespace = {"np": np, "numpy": np, "math": math}
        try:
            return eval(compile(self.source, "<test function>", "eval"), namespace)
        except SyntaxError:
            exec(compile(self.source, "<test function>", "exec"), namespace)
        defined = [v for v in namespace.values() if isinstance(v, types.FunctionType)]
        if len(defined) != 1:
            raise ValueError(f"{self!r} must define exactly one function")
        return defined[0]


# --------------------------------------------------------------------------- encoding


def encode_value(value, blobs: list[bytes], depth: int = 0):
    """Encode ``value`` as a JSON-able tree, appending array payloads to ``blobs``."""
    if depth > MAX_DEPTH:
        return {"t": "opaque", "type": "too deeply nested value"}
    encode = _ENCODERS.get(type(value))  # by exact type: a subclass is not what it claims
    if encode is not None:
        return encode(value, blobs, depth)
    if isinstance(value, np.generic):
        return _encode_array(value, blobs, depth)
    if isinstance(value, dict):  # OrderedDict, defaultdict...: what they hold, as a dict
        return _encode_dict(value, blobs, depth)
    kind = type(value)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(value, np.ndarray):
        name += " (an ndarray subclass)"
    return {"t": "opaque", "type": name[:200]}


def _encode_int(value: int, blobs, depth):
    return {"t": "int", "v": str(value)} if abs(value) < 10**300 else {"t": "float", "v": "inf"}


def _encode_array(value, blobs: list[bytes], depth):
    array = np.asarray(value)
    if array.dtype.kind not in NUMERIC_KINDS or array.dtype.fields is not None:
        return {"t": "opaque", "type": f"array of dtype {array.dtype}"}
    blobs.append(npy_bytes(array))
    return {"t": "array", "i": len(blobs) - 1, "scalar": isinstance(value, np.generic)}


def _encode_sequence(value, blobs: list[bytes], depth):
    return {"t": "list" if type(value) is list else "tuple",
            "v": [encode_value(item, blobs, depth + 1) for item in value]}


def _encode_dict(value, blobs: list[bytes], depth):
    return {"t": "dict", "v": [[encode_value(k, blobs, depth + 1),
                                encode_value(v, blobs, depth + 1)] for k, v in dict.items(value)]}


_ENCODERS = {
    type(None): lambda value, blobs, depth: {"t": "none"},
    bool: lambda value, blobs, depth: {"t": "bool", "v": value},
    int: _encode_int,
    float: lambda value, blobs, depth: {"t": "float", "v": repr(value)},
    str: lambda value, blobs, depth: {"t": "str", "v": value[:10_000]},
    Function: lambda value, blobs, depth: {"t": "function", "v": value.source},
    np.ndarray: _encode_array,
    list: _encode_sequence,
    tuple: _encode_sequence,
    dict: _encode_dict,
}


def npy_bytes(array: np.ndarray) -> bytes:
    """The array as a version 1.0 .npy file (C order), header written the way numpy writes it."""
    array = np.ascontiguousarray(array) if array.ndim else array.reshape(())
    key = (array.dtype.str, array.shape)
    prefix = _npy_prefixes.get(key)
    if prefix is None:
        shape = repr(tuple(int(n) for n in array.shape))
        header = f"{{'descr': '{array.dtype.str}', 'fortran_order': False, 'shape': {shape}, }}"
        header += " " * (63 - (len(header) + 10) % 64) + "\n"  # data starts 64-byte aligned
        prefix = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")
        if len(_npy_prefixes) >= HEADER_CACHE:
            _npy_prefixes.clear()
        _npy_prefixes[key] = prefix
    return prefix + array.tobytes()


HEADER_CACHE = 512  # distinct (dtype, shape) headers remembered; the same few recur all day
_npy_prefixes: dict[tuple, bytes] = {}


def fingerprint(value, update) -> None:
    """Feed a value's type and content to ``update`` (a digest's): for memo keys, cheaper
    than encoding. Every part carries its type and length, so different values differ."""
    kind = type(value)
    if kind is str:
        text = value.encode("utf-8", "surrogatepass")
        update(b"str%d:" % len(text))
        update(text)
    elif kind is np.ndarray or isinstance(value, np.generic):
        update(array_digest(value))
    elif kind is dict:
        update(b"dict%d" % len(value))
        for key, item in value.items():
            fingerprint(key, update)
            if type(item) is np.ndarray:  # the common case, without a call of its own
                update(array_digest(item))
            else:
                fingerprint(item, update)
    elif kind is tuple or kind is list:
        update(b"%s%d" % (kind.__name__.encode(), len(value)))
        for item in value:
            if type(item) is np.ndarray:
                update(array_digest(item))
            else:
                fingerprint(item, update)
    else:
        text = repr(value).encode()
        update(b"%s%d:" % (kind.__name__.encode(), len(text)))
        update(text)


def array_digest(value) -> bytes:
    """A digest of an array's type, dtype, shape and bytes; remembered for arrays that
    cannot change (read-only all the way down to immutable bytes, or to a read-only owner:
    hidden inputs frozen by their suite, and everything decoded from a worker's reply)."""
    cached = _array_digests.get(id(value))
    if cached is not None and cached[0] is value and unchangeable(value):
        return cached[1]  # (if it or what it views was made writeable again: hashed anew)
    array = np.asarray(value)
    digest = hashlib.sha256(b"%s%s%r" % (type(value).__name__.encode(), array.dtype.str.encode(),
                                          array.shape))
    digest.update(array.data if array.flags.c_contiguous else np.ascontiguousarray(array).data)
    digest = digest.digest()
    if type(value) is np.ndarray and unchangeable(value):
        if len(_array_digests) >= DIGEST_CACHE:
            _array_digests.clear()
        _array_digests[id(value)] = (value, digest)  # holding it keeps its id from being reused
    return digest


def unchangeable(array: np.ndarray) -> bool:
    """True when nothing (short of setting a flag back) can change this array's contents."""
    while type(array) is np.ndarray:
        if array.flags.writeable:
            return False
        array = array.base
    return array is None or type(array) is bytes


DIGEST_CACHE = 4096  # read-only arrays whose digests are remembered (hidden inputs, replies)
_array_digests: dict[int, tuple[np.ndarray, bytes]] = {}


def encode_message(header: dict, blobs: list[bytes] = ()) -> bytes:
    """A header and its blobs as one frame: header length, header, then each blob's length
    and bytes."""
    head = json.dumps(dict(header, blobs=len(blobs))).encode()
    body = struct.pack(">I", len(head)) + head
    body += b"".join(struct.pack(">Q", len(blob)) + blob for blob in blobs)
    return frame(body)


# --------------------------------------------------------------------------- decoding
#
# Every error in here is a WireError: whatever bytes a worker sends, the grader gets either
# plain data or a WireError it can charge to the call (tests/test_wire.py fuzzes this).


def parse_message(body) -> tuple[dict, list]:
    """Split a frame body (bytes, or a memoryview: then its blobs are views of it, not copies)
    into its header dict and blobs, checking every length."""
    try:
        (head_len,) = struct.unpack(">I", body[:4])
        if head_len > MAX_HEADER_BYTES or 4 + head_len > len(body):
            raise WireError("header length out of range")
        header = json.loads(bytes(body[4 : 4 + head_len]))
        if not isinstance(header, dict):
            raise WireError("header is not an object")
        count = header.get("blobs")
        if type(count) is not int or not 0 <= count <= MAX_BLOBS:
            raise WireError("blob count out of range")
        blobs, pos = [], 4 + head_len
        for _ in range(count):
            (size,) = struct.unpack(">Q", body[pos : pos + 8])
            pos += 8
            if pos + size > len(body):
                raise WireError("blob runs past the end of the message")
            blobs.append(body[pos : pos + size])
            pos += size
        if pos != len(body):
            raise WireError("trailing bytes after the last blob")
        return header, blobs
    except WireError:
        raise
    # ValueError: bad JSON, invalid UTF-8, an integer past Python's int_max_str_digits
    except (struct.error, ValueError, RecursionError) as exc:
        raise WireError(f"malformed message: {short_reason(exc)}") from None
    except Exception as exc:  # a safety net: nothing in here is meant to reach it
        raise WireError(f"malformed message: unforeseen {short_reason(exc)}") from None


def short_reason(exc: BaseException) -> str:
    """The exception's type and the start of its message, for a protocol error's text."""
    return f"{type(exc).__name__}: {exc}"[:200]


def clean_text(text: str) -> str:
    """``text`` without lone surrogates: JSON may carry them (``"\ud800"``), and a report
    holding one cannot be written as UTF-8. ASCII text (nearly all of it) is returned as is."""
    if text.isascii():
        return text
    return text.encode("utf-8", "replace").decode("utf-8")


NPY_HEADER = re.compile(
    r"\{'descr': '([<>|=]?[biuf][1-9][0-9]?)', 'fortran_order': (True|False), "
    r"'shape': \(((?:[0-9]{1,10}, ?)*[0-9]{0,10})\), \} *\n")


def decode_array(blob, *, writeable: bool = False) -> np.ndarray:
    """Build a plain ndarray from untrusted .npy bytes: validate the header before allocating.

    Only the header numpy itself writes is accepted (version 1.0, a plain numeric dtype),
    matched by a strict pattern rather than evaluated.
    """
    if len(blob) < 10 or bytes(blob[:8]) != b"\x93NUMPY\x01\x00":
        raise WireError("bad array header: not a version 1.0 .npy array")
    (length,) = struct.unpack_from("<H", blob, 8)
    raw = bytes(blob[10 : 10 + length])
    known = _parsed_headers.get(raw)
    if known is None:
        known = parse_npy_header(raw)
        if len(raw) <= 256:  # only short headers are remembered, and only so many
            if len(_parsed_headers) >= HEADER_CACHE:
                _parsed_headers.clear()
            _parsed_headers[raw] = known
    dtype, shape, count, order = known
    data = blob[10 + length :]
    if len(data) != count * dtype.itemsize:
        raise WireError(f"array data is {len(data)} bytes, its header promises "
                        f"{count * dtype.itemsize}")
    array = np.frombuffer(data, dtype=dtype, count=count).copy()
    array.flags.writeable = writeable  # the grader shares results between checks: read-only
    return array.reshape(shape, order=order)


_parsed_headers: dict[bytes, tuple] = {}


def parse_npy_header(raw: bytes) -> tuple[np.dtype, tuple[int, ...], int, str]:
    """(dtype, shape, element count, order) of a .npy header, or WireError."""
    match = NPY_HEADER.fullmatch(raw.decode("latin1"))
    if match is None:
        raise WireError("bad array header: only plain numeric arrays are accepted")
    try:
        dtype = np.dtype(match.group(1))
    except TypeError:
        raise WireError(f"array dtype {match.group(1)} is not numeric") from None
    if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None:
        raise WireError(f"array dtype {dtype} is not numeric")
    shape = tuple(int(n) for n in match.group(3).replace(" ", "").split(",") if n)
    if len(shape) > 32:
        raise WireError(f"bad array shape: {len(shape)} dimensions")
    count = math.prod(shape)
    if count > MAX_ELEMENTS:
        raise WireError(f"array of shape {shape} has {count} elements, over the {MAX_ELEMENTS} cap")
    # an empty array's other dimensions count too: (0, 10**10, 10**10) is no shape numpy makes
    if math.prod(max(n, 1) for n in shape) > MAX_ELEMENTS:
        raise WireError(f"array of shape {shape} has no elements but dimensions over the "
                        f"{MAX_ELEMENTS}-element cap")
    return dtype, shape, count, "F" if match.group(2) == "True" else "C"


NODE_BYTES = 128  # what a decoded node costs the grader, at most (an object and its slot)
INT_TEXT = re.compile(r"-?[0-9]{1,300}")  # what encode_value writes (|value| < 10**300)


class TooMuchData(WireError):
    """Decoding would build more than the bytes allowed (:class:`Blobs`' ``limit``)."""


class Blobs:
    """The blobs of one message as decoding takes them: each at most once (a reply that
    refers to one twice is refused, so a reply never decodes to more than its own size), and,
    given a ``limit``, no more than that many bytes in all.

    ``decoded`` counts what was built: each blob's size, and NODE_BYTES plus the text for
    every other value. Share one :class:`Blobs` between the values of one message (a planned
    request's replies share their blobs).
    """

    def __init__(self, blobs, limit: float = math.inf):
        self.blobs, self.limit = blobs, limit
        self.taken: set[int] = set()
        self.decoded = 0

    def charge(self, size: int) -> None:
        if self.decoded + size > self.limit:
            raise TooMuchData(f"more than the {self.limit} bytes allowed")
        self.decoded += size

    def take(self, index, *, writeable: bool) -> np.ndarray:
        if type(index) is not int or not 0 <= index < len(self.blobs):
            raise WireError("an array refers to no blob")
        if index in self.taken:
            raise WireError(f"blob {index} is referred to more than once")
        self.taken.add(index)
        blob = self.blobs[index]
        self.charge(len(blob))  # before allocating: the data is at most the blob's size
        return decode_array(blob, writeable=writeable)


def decode_value(tree, blobs, *, writeable: bool = False, functions: bool = False):
    """Rebuild plain data from an encoded tree; anything unexpected raises WireError.

    ``blobs`` is the message's list of blobs, or a :class:`Blobs` shared by several values
    of one message (each blob decoded once; a ``limit`` on what they may build, past which
    :class:`TooMuchData`; a value that fails is not counted). Arrays come back read-only unless
    ``writeable`` (the worker's side: students may update the arrays they are given in place).
    ``functions=True`` (a worker decoding a request, never the grader) builds
    :class:`Function` values into callables.
    """
    taken = blobs if isinstance(blobs, Blobs) else Blobs(blobs)
    before = taken.decoded
    try:
        decoding = _Decoding(taken, writeable, functions)
        value = decoding.value(tree, 0)
        # the rest of what it built, counted once: at most MAX_NODES nodes and a header's text
        taken.charge(decoding.nodes * NODE_BYTES + decoding.text)
        return value
    except Exception as exc:
        taken.decoded = before  # nothing of it is kept
        if isinstance(exc, WireError):
            raise
        # a safety net: every way in is meant to be one of the WireErrors above
        raise WireError(f"unreadable value: unforeseen {short_reason(exc)}") from None


def malformed(tree: dict) -> WireError:
    return WireError(f"malformed value of tag {tree['t'][:50]!r}")


class _Decoding:
    """One value being decoded: its node count and depth are capped. A method per tag."""

    def __init__(self, blobs: Blobs, writeable: bool, functions: bool):
        self.blobs, self.writeable, self.functions = blobs, writeable, functions
        self.nodes = self.text = 0  # arrays are counted by the blobs, before they are built

    def value(self, tree, depth: int):
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH + 1:
            raise WireError("value too large or too deeply nested")
        if type(tree) is not dict or type(tree.get("t")) is not str:
            raise WireError("malformed value")
        decode = self.DECODERS.get(tree["t"])
        if decode is None:
            raise malformed(tree)
        return decode(self, tree, tree.get("v"), depth)

    def tag_none(self, tree, raw, depth):
        return None

    def tag_bool(self, tree, raw, depth):
        if type(raw) is not bool:
            raise malformed(tree)
        return raw

    def tag_int(self, tree, raw, depth):
        if type(raw) is not str or not INT_TEXT.fullmatch(raw):
            raise malformed(tree)
        return int(raw)

    def tag_float(self, tree, raw, depth):
        if type(raw) is not str or len(raw) > 40:
            raise malformed(tree)
        try:
            return float(raw)
        except ValueError:
            raise WireError(f"not a float: {raw!r}") from None

    def tag_str(self, tree, raw, depth):
        if type(raw) is not str:
            raise malformed(tree)
        self.text += len(raw)
        return clean_text(raw)

    def tag_array(self, tree, raw, depth):
        array = self.blobs.take(tree.get("i"), writeable=self.writeable)
        return array[()] if tree.get("scalar") is True and array.ndim == 0 else array

    def tag_sequence(self, tree, raw, depth):
        if type(raw) is not list:
            raise malformed(tree)
        items = [self.value(item, depth + 1) for item in raw]
        return items if tree["t"] == "list" else tuple(items)

    def tag_dict(self, tree, raw, depth):
        if type(raw) is not list:
            raise malformed(tree)
        return self.mapping(raw, depth)

    def tag_function(self, tree, raw, depth):
        if not self.functions or type(raw) is not str:
            raise malformed(tree)
        return Function(raw).build()

    def tag_opaque(self, tree, raw, depth):
        if type(tree.get("type")) is not str:
            raise malformed(tree)
        return Opaque(clean_text(tree["type"][:200]))

    DECODERS = {"none": tag_none, "bool": tag_bool, "int": tag_int,
                "float": tag_float, "str": tag_str, "array": tag_array,
                "list": tag_sequence, "tuple": tag_sequence, "dict": tag_dict,
                "function": tag_function, "opaque": tag_opaque}

    def mapping(self, pairs: list, depth: int) -> dict:
        result = {}
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2:
                raise WireError("malformed dict entry")
            key = self.value(pair[0], depth + 1)
            if not isinstance(key, (str, int, float, bool, type(None))):
                key = repr(key)[:200]  # an array, list or marker: named, never hashed
                self.text += len(key)
            result[key] = self.value(pair[1], depth + 1)
        return result
