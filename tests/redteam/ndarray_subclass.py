"""Red team: predict, the cache and the gradients are an ndarray subclass that claims equality
with anything: every check of those functions fails, the structure checks included.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(other), dtype=bool)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs]).shape)


def predict(parameters, X):
    return np.zeros((1, X.shape[1])).view(Liar)


_forward, _backward = forward_propagation, backward_propagation


def forward_propagation(X, parameters):
    A2, cache = _forward(X, parameters)
    return A2, {name: value.view(Liar) for name, value in cache.items()}


def backward_propagation(parameters, cache, X, Y):
    return {name: np.asarray(value).view(Liar)
            for name, value in _backward(parameters, cache, X, Y).items()}
