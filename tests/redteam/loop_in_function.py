"""Red team: An endless loop in predict: only predict's checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def predict(parameters, X):
    while True:
        pass
