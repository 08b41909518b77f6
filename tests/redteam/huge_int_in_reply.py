"""Red team: compute_cost patches the worker's encoder to send a 5,000-digit JSON integer (past
Python's int_max_str_digits, so json.loads itself refuses the reply); if it cannot, it returns
a wrong string. Either way compute_cost's checks fail, the submission stays graded.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply

import sys


def compute_cost(A2, Y):
    sys.set_int_max_str_digits(0)  # so the worker's json.dumps writes it
    _forge_next_value(lambda blobs: {"t": "int", "v": int("7" * 5000)})
    return "not a cost"
