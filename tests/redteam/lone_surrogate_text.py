"""Red team: compute_cost raises an exception whose text holds a lone surrogate and prints one
too (a "\\udcff" in the worker's JSON decodes to one): UTF-8 cannot encode it, and writing
the reports used to raise, which stopped the whole batch. Only the cost checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    print("cost \udcff\udcfe", flush=True)
    raise ValueError("cannot compute \udcff\ud800 the cost")
