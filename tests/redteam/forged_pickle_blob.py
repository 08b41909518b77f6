"""Red team: predict patches the worker's encoder to send an object-dtype .npy blob holding a
pickle that, if ever loaded by the grader, creates a file and returns the right answer; else it
returns a wrong (1, 1) one. Predict's checks fail and the file never appears.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply

import pickle

# __INCLUDE__ pickle_payload


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    answer = (A2 > 0.5).astype(float)
    body = pickle.dumps([_Payload(), answer], protocol=2)
    _forge_next_reply(lambda: _npy({"descr": "|O", "fortran_order": False, "shape": (2,)}, body))
    return np.zeros((1, 1)) + 0.5
