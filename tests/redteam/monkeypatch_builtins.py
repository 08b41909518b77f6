"""Red team: Patches builtins and math so every difference looks like zero, then returns a wrong
cost: cost_value fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import builtins
import math

builtins.abs = lambda value: 0
builtins.round = lambda value, *args: 0
math.isclose = lambda *args, **kwargs: True
math.isfinite = lambda value: True


def compute_cost(A2, Y):
    """Wrong on purpose: only the attack could make it pass."""
    return 0.0
