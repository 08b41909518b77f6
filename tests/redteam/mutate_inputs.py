"""Red team: update_parameters zeroes the gradients it was given in place and returns the
parameters unchanged: if the grader shared those objects, its expected values would be computed
from the zeroed gradients and agree. It does not: the update checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def update_parameters(parameters, grads, learning_rate=1.2):
    for value in grads.values():
        value[...] = 0
    return {name: np.array(parameters[name]) for name in ("W1", "b1", "W2", "b2")}
