"""Red team: Returns np.empty(0) from compute_cost, predict, forward_propagation (A2 and the
cache) and backward_propagation (np.allclose(np.empty(0), x) is True): their checks fail, the
structure checks included.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    return np.empty(0)


def predict(parameters, X):
    return np.empty(0)


def forward_propagation(X, parameters):
    return np.empty(0), {name: np.empty(0) for name in ("Z1", "A1", "Z2", "A2")}


def backward_propagation(parameters, cache, X, Y):
    return {name: np.empty(0) for name in ("dW1", "db1", "dW2", "db2")}
