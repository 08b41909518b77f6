"""Red team: predict patches the worker's encoder to send one 32 MiB array blob referenced 48
times in one reply (a grader that decodes each reference keeps 1.5 GiB per call); if it cannot,
it returns a wrong (1, 1) answer. Either way predict's checks fail, the grader stays small.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply


def _one_blob_many_times(blobs):
    count = 4 * 1024 * 1024  # the most elements one array may have: 32 MiB of float64
    blobs.append(_npy({"descr": "<f8", "fortran_order": False, "shape": (count,)},
                      bytes(8 * count)))
    return {"t": "list", "v": [{"t": "array", "i": len(blobs) - 1, "scalar": False}] * 48}


def predict(parameters, X):
    _forge_next_value(_one_blob_many_times)
    return np.zeros((1, 1)) + 0.5
