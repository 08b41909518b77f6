"""Red team: compute_cost patches the worker's encoder to send a float tag whose text float()
rejects; if it cannot, it returns a wrong string. Either way compute_cost's checks fail, the
submission stays graded.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ forge_reply


def compute_cost(A2, Y):
    _forge_next_value(lambda blobs: {"t": "float", "v": "0.69 nats"})
    return "not a cost"
