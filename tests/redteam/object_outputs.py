"""Red team: Returns object arrays and a Decimal: every check of those functions fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

from decimal import Decimal


def compute_cost(A2, Y):
    return Decimal("0.5")


def predict(parameters, X):
    A2, _ = forward_propagation(X, parameters)
    return np.array((A2 > 0.5).astype(int).tolist(), dtype=object)
