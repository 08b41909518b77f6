"""Red team: predict patches the worker's encoder to send an array with no elements and absurd
dimensions (0 x 10^10 x 10^10: no data, but numpy cannot even describe its shape); if it
cannot, it returns a wrong (1, 1) answer. Either way predict's checks fail, the submission
stays graded.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply


def predict(parameters, X):
    _forge_next_reply(lambda: _npy({"descr": "<f8", "fortran_order": False,
                                    "shape": (0, 9999999999, 9999999999)}, b""))
    return np.zeros((1, 1)) + 0.5
