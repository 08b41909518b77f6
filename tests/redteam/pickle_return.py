"""Red team: Returns objects whose __reduce__ would run code in whoever unpickles them: their
checks fail and the code never runs in the grader.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


# __INCLUDE__ pickle_payload


def compute_cost(A2, Y):
    return _Payload()


def predict(parameters, X):
    return np.array([_Payload()] * X.shape[1], dtype=object).reshape(1, -1)
