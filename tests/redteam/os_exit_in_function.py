"""Red team: os._exit() inside predict: only predict's checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os


def predict(parameters, X):
    os._exit(3)
