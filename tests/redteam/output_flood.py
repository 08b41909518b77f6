"""Red team: predict floods stdout and stderr with 64 MiB each before answering correctly: full
marks, and the report keeps only a bounded tail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os

_predict = predict


def predict(parameters, X):
    block = b"flood " * 10922 + b"\n"
    for _ in range(1024):
        os.write(1, block)
        os.write(2, block)
    return _predict(parameters, X)
