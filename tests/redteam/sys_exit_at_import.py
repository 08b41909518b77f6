"""Red team: sys.exit() at import: the load fails, every check fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import sys

sys.exit(0)
