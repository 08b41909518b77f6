"""Red team: Returns objects whose __reduce__ would run code in whoever unpickles them (also in
the cache and the gradients): their checks fail, the structure checks included, and the code
never runs in the grader.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


# __INCLUDE__ pickle_payload


def compute_cost(A2, Y):
    return _Payload()


def predict(parameters, X):
    return np.array([_Payload()] * X.shape[1], dtype=object).reshape(1, -1)


_forward = forward_propagation


def forward_propagation(X, parameters):
    A2, cache = _forward(X, parameters)
    return A2, {name: _Payload() for name in cache}


def backward_propagation(parameters, cache, X, Y):
    return {name: _Payload() for name in ("dW1", "db1", "dW2", "db2")}
