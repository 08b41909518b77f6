"""Red team: Looks for the reference and the hidden tests in sys.modules.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import sys

for _name, _module in list(sys.modules.items()):
    if "_bpg_" in _name or ("reference" in _name.lower()
                            and hasattr(_module, "backward_propagation")):
        FOUND = True  # the grader's module names for the reference and the hidden tests
    elif getattr(getattr(_module, "spec", None), "tests", None):
        FOUND = True  # a hidden test specification, whatever its module is called


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
