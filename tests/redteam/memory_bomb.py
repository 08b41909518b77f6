"""Red team: compute_cost allocates memory until it fails: only the cost checks fail.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


def compute_cost(A2, Y):
    hoard = []
    while True:
        hoard.append(np.ones(1 << 25))
