"""Red team: Walks up from its working folder looking for solutions/: the cost is right only if it
read a reference or hidden test.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

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


# __INCLUDE__ found_scores_cost
