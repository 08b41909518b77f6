"""Red team: Looks for the reference and the hidden tests in sys.modules.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import sys

for _name, _module in list(sys.modules.items()):
    if "_bpg_" in _name or ("reference" in _name.lower()
                            and hasattr(_module, "backward_propagation")):
        FOUND = True  # the grader's module names for the reference and the hidden tests
    elif getattr(getattr(_module, "spec", None), "tests", None):
        FOUND = True  # a hidden test specification, whatever its module is called


# __INCLUDE__ found_scores_cost
