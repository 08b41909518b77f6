"""Red team: Reads the instructor's canary file and the other submissions of the batch.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import glob
import os

for _path in [os.path.join("__CANARY_DIR__", "secret.txt")] + glob.glob("__CORPUS_DIR__/*.py"):
    _data = read(_path)
    FOUND = FOUND or hidden(_data) or b"a_victim" in _data


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
