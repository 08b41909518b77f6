"""Red team: Looks for the reference's functions and the hidden test cases in gc.get_objects().

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import gc

for _obj in gc.get_objects():
    try:
        if callable(_obj) and getattr(_obj, "__name__", "") == "backward_propagation" \
                and getattr(_obj, "__module__", "") != __name__:
            FOUND = True
        elif isinstance(_obj, dict) and {"grads", "cache", "params"} <= set(_obj):
            FOUND = True
    except Exception:
        pass


# __INCLUDE__ found_scores_cost
