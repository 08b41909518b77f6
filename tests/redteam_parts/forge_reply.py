"""Patch the worker's encoder so the next returned value is a forged tree or .npy blob."""

import struct
import sys


def _forge_next_value(make_tree):
    """Make the worker send ``make_tree(blobs)`` (an encoded tree, which may append blobs)
    as the next returned value, if its encoder is reachable; True if the patch is in place."""
    wire = sys.modules.get("grader.isolation.wire")
    if wire is None or not hasattr(wire, "encode_value"):
        return False
    original = wire.encode_value

    def forged(value, blobs, *args, **kwargs):
        wire.encode_value = original
        return make_tree(blobs)

    wire.encode_value = forged
    return True


def _forge_next_reply(make_blob):
    """Make the worker send ``make_blob()`` as the next returned array (see above)."""
    def one_array(blobs):
        blobs.append(make_blob())
        return {"t": "array", "i": len(blobs) - 1, "scalar": False}

    return _forge_next_value(one_array)


def _npy(header: dict, data: bytes) -> bytes:
    """A .npy blob whose header is laid out exactly as numpy writes it."""
    text = ("{" + "".join(f"{key!r}: {value!r}, " for key, value in header.items()) + "}"
            ).encode("latin1")
    text += b" " * (63 - (len(text) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + data
