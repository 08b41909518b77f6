"""Red team: predict returns a (1, 1) array where (1, m) is expected, and backward returns a (1, 1)
db2 that broadcasts: those checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

_backward = backward_propagation


def backward_propagation(parameters, cache, X, Y):
    grads = _backward(parameters, cache, X, Y)
    grads["db2"] = np.full((1, 1), float(np.mean(grads["db2"])))
    return grads


def predict(parameters, X):
    return np.ones((1, 1))
