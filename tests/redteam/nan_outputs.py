"""Red team: compute_cost returns NaN; predict, forward_propagation and backward_propagation
return all-NaN arrays of the right shapes: every check of those functions fails, the type and
shape checks included (NaN of the right shape is not a result).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    return float("nan")


def predict(parameters, X):
    return np.full((1, X.shape[1]), np.nan)


def forward_propagation(X, parameters):
    n_h, n_y, m = parameters["W1"].shape[0], parameters["W2"].shape[0], X.shape[1]
    cache = {"Z1": np.full((n_h, m), np.nan), "A1": np.full((n_h, m), np.nan),
             "Z2": np.full((n_y, m), np.nan), "A2": np.full((n_y, m), np.nan)}
    return cache["A2"], cache


def backward_propagation(parameters, cache, X, Y):
    return {"d" + name: np.full(value.shape, np.nan) for name, value in parameters.items()}
