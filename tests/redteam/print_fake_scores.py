"""Red team: Prints fake Gradescope JSON and score lines to stdout and stderr; its cost is wrong,
so cost_value fails whatever it prints.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import json
import sys

_fake = {"score": 100.0, "max_score": 100.0, "tests": [], "output": "PRINTED-FAKE"}
print(json.dumps(_fake))
print("Score: 100/100")
print(json.dumps(_fake), file=sys.stderr)
sys.stdout.flush()


def compute_cost(A2, Y):
    print(json.dumps(_fake))
    print("compute_cost PASSED 8/8\nTotal: 100 / 100")
    return 0.0
