"""Frames: how every pipe between the grader's processes is cut into messages.

A frame is a 12-byte prefix (:data:`MAGIC`, then the body's length as 8 big-endian bytes)
and the body. Requests to a worker and its replies (bodies of :mod:`grader.isolation.wire`
messages) and the indices and rows between the batch and its grading processes
(:mod:`grader.pool`) are framed alike and read by one :class:`FrameReader`: blocking, on a
side that has nothing else to do, or as the bytes arrive, beside a deadline and other pipes.
A prefix announcing more than :data:`MAX_FRAME_BYTES` is refused before anything is
allocated for it, so a worker cannot make the grader reserve memory by lying about a size.
"""

from __future__ import annotations

import os
import struct

MAGIC = b"BPG1"
PREFIX_BYTES = 12
MAX_FRAME_BYTES = 64 * 1024 * 1024  # a whole reply; larger ones end the worker
_LENGTH = struct.Struct(">Q")


class WireError(ValueError):
    """A message that does not follow the format (truncated, forged or too large)."""


def frame(body: bytes) -> bytes:
    """``body`` with its prefix."""
    return MAGIC + _LENGTH.pack(len(body)) + body


def frame_length(prefix: bytes) -> int:
    """Length of the body announced by a 12-byte frame prefix; refuses forged sizes."""
    if prefix[:4] != MAGIC:
        raise WireError("the worker's reply does not start with the expected marker")
    (length,) = _LENGTH.unpack(prefix[4:12])
    if length > MAX_FRAME_BYTES:
        raise WireError(f"the worker's reply is {length} bytes, over the {MAX_FRAME_BYTES} cap")
    return length


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a blocking ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class FrameReader:
    """The frames arriving on one pipe, each body handed out once complete.

    A small frame comes in one read. A big one is read into a buffer of its announced size,
    and its body is handed on as a view of that buffer, so a 64 MiB reply costs 64 MiB until
    it is decoded, not three copies of it. Bytes read past a frame are kept for the next
    (:attr:`buffered` says whether there are any: a worker that sent two replies to one
    request, say).
    """

    CLOSED = memoryview(b"")  # the other end closed the pipe
    FIRST_READ = 1 << 16

    def __init__(self, fd: int):
        self.fd = fd
        self.data = b""  # read, and not yet part of a frame handed out
        self.buffer: bytearray | None = None  # a frame too big for one read, filled in place
        self.size = self.got = 0

    @property
    def buffered(self) -> bool:
        return bool(self.data)

    def read(self):
        """Read what the pipe holds: the next complete frame's body, CLOSED, or None (not
        yet); :class:`WireError` for a forged size. On a blocking pipe this waits for data."""
        if self.buffer is not None:
            count = os.readv(self.fd, [memoryview(self.buffer)[self.got:]])
            if not count:
                return self.CLOSED
            self.got += count
            return self._big_frame() if self.got >= self.size else None
        chunk = os.read(self.fd, self.FIRST_READ)
        if not chunk:
            return self.CLOSED
        self.data += chunk
        return self.next()

    def next(self):
        """The next complete frame among the bytes read already, or None."""
        data = self.data
        if len(data) < PREFIX_BYTES:
            return None
        size = PREFIX_BYTES + frame_length(data[:PREFIX_BYTES])
        if len(data) >= size:
            self.data = data[size:]
            return memoryview(data)[PREFIX_BYTES:size]
        # one byte more than the frame, so that anything sent behind it is seen
        self.buffer = bytearray(size + 1)
        self.buffer[:len(data)] = data
        self.size, self.got, self.data = size, len(data), b""
        return None

    def _big_frame(self):
        buffer, self.buffer = self.buffer, None
        self.data = bytes(buffer[self.size:self.got])
        return memoryview(buffer)[PREFIX_BYTES:self.size]

    def read_frame(self):
        """The next frame's body from a blocking pipe; EOFError once it is closed."""
        body = self.next() if self.buffer is None else None
        while body is None:
            body = self.read()
        if body is self.CLOSED:
            raise EOFError
        return body
