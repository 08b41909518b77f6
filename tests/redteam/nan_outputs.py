"""Red team: compute_cost returns NaN and predict an all-NaN (1, m) array: the value checks fail,
the type and shape checks pass.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    return float("nan")


def predict(parameters, X):
    return np.full((1, X.shape[1]), np.nan)
