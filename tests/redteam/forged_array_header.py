"""Red team: predict patches the worker's encoder (sys.modules['grader.isolation.wire']) to
send an array whose header promises 10^12 elements with a few bytes of data; if it cannot,
it returns a wrong (1, 1) answer. Either way predict's checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply


def predict(parameters, X):
    _forge_next_reply(lambda: _npy({"descr": "<f8", "fortran_order": False,
                                    "shape": (1000000, 1000000)}, b"\0" * 64))
    return np.zeros((1, 1)) + 0.5
