"""Red team: Reads the instructor's canary file and the other submissions of the batch.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import glob
import os

for _path in [os.path.join("__CANARY_DIR__", "secret.txt")] + glob.glob("__CORPUS_DIR__/*.py"):
    _data = read(_path)
    FOUND = FOUND or hidden(_data) or b"a_victim" in _data


# __INCLUDE__ found_scores_cost
