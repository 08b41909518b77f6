"""Red team: Walks up from its working folder looking for solutions/: the cost is right only if it
read a reference or hidden test.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import glob
import os

_here = os.path.abspath(os.getcwd())
while True:
    for _path in glob.glob(os.path.join(_here, "*", "*", "reference.py")) + \
            glob.glob(os.path.join(_here, "*", "*", "tests.py")):
        FOUND = FOUND or hidden(read(_path))
    if os.path.dirname(_here) == _here:
        break
    _here = os.path.dirname(_here)


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
