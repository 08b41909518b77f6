"""Red team: Returns np.empty(0) from compute_cost and predict (np.allclose(np.empty(0), x) is
True): their checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    return np.empty(0)


def predict(parameters, X):
    return np.empty(0)
