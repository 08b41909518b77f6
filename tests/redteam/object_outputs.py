"""Red team: Returns object arrays and Decimals (also in the cache and the gradients): every
check of those functions fails, the structure checks included.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

from decimal import Decimal


def compute_cost(A2, Y):
    return Decimal("0.5")


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.array((A2 > 0.5).astype(int).tolist(), dtype=object)


_forward = forward_propagation


def forward_propagation(X, parameters):
    A2, cache = _forward(X, parameters)
    return A2, {name: np.array(value.tolist(), dtype=object) for name, value in cache.items()}


def backward_propagation(parameters, cache, X, Y):
    return {name: Decimal("0.1") for name in ("dW1", "db1", "dW2", "db2")}
