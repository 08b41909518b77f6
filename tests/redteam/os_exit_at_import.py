"""Red team: os._exit() at import: the worker vanishes, every check fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os

os._exit(0)
