"""Patch the worker's encoder so the next returned array is a forged .npy blob."""

import struct
import sys


def _forge_next_reply(make_blob):
    """Make the worker send ``make_blob()`` as the next returned array, if its encoder is
    reachable; True if the patch is in place."""
    wire = sys.modules.get("grader.wire")
    if wire is None or not hasattr(wire, "encode_value"):
        return False
    original = wire.encode_value

    def forged(value, blobs, *args, **kwargs):
        wire.encode_value = original
        blobs.append(make_blob())
        return {"t": "array", "i": len(blobs) - 1, "scalar": False}

    wire.encode_value = forged
    return True


def _npy(header: dict, data: bytes) -> bytes:
    text = repr(header).encode("latin1")
    text += b" " * (63 - (len(text) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data
