"""Red team: compute_cost raises an exception with a 20 MB message, predict one whose __str__
itself raises: their checks fail with short messages.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


class Nasty(Exception):
    def __str__(self):
        raise RuntimeError("no message for you" * 100000)


def compute_cost(A2, Y):
    raise ValueError("A" * 20_000_000)


def predict(parameters, X):
    raise Nasty()
