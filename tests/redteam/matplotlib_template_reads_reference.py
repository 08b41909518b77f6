"""Red team: imports matplotlib.pyplot, so its worker comes from the template that holds
matplotlib, then opens the hidden solutions by absolute path and looks for them through
matplotlib's own folders (its config and cache folders, which that template chose).

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

import matplotlib
import matplotlib.pyplot as plt  # noqa: F401

for _solutions in ("__SOLUTIONS_DIR__", "__REPO_SOLUTIONS__"):
    for _name in ("reference.py", "tests.py"):
        FOUND = FOUND or hidden(read(os.path.join(_solutions, "one_hidden_layer", _name)))
for _folder in (matplotlib.get_configdir(), matplotlib.get_cachedir()):
    for _up in (_folder, os.path.dirname(_folder), os.path.dirname(os.path.dirname(_folder))):
        try:
            for _entry in os.listdir(_up):
                FOUND = FOUND or hidden(read(os.path.join(_up, _entry)))
        except OSError:
            pass


# __INCLUDE__ found_scores_cost
