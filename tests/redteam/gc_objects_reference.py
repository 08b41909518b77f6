"""Red team: Looks for the reference's functions and the hidden test cases in gc.get_objects().

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

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


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
