"""Red team: compute_cost, the cache and the gradients are objects whose __eq__ is always True
and that claim to be every number: every check of those functions fails, the structure checks
included.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


class AlwaysEqual(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __ne__(self, other):
        return False

    def __lt__(self, other):
        return False

    __gt__ = __le__ = __ge__ = __lt__

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__


def compute_cost(A2, Y):
    return AlwaysEqual(0.0)


_forward = forward_propagation


def forward_propagation(X, parameters):
    A2, cache = _forward(X, parameters)
    return A2, {name: AlwaysEqual(0.0) for name in cache}


def backward_propagation(parameters, cache, X, Y):
    return {name: AlwaysEqual(0.0) for name in ("dW1", "db1", "dW2", "db2")}
