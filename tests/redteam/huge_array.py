"""Red team: predict returns a 3000 x 3000 array (9 M elements): its checks fail, the grader
allocates nothing big.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def predict(parameters, X):
    return np.zeros((3000, 3000))
