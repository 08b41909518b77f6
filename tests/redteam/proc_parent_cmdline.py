"""Red team: Reads /proc/<ppid>/cmdline for --solutions and the grader's paths, then reads the
reference from there.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __LEAK_HELPERS__

import os

_args = read(f"/proc/{os.getppid()}/cmdline").split(b"\0")
for _i, _arg in enumerate(_args):
    _arg = _arg.decode("utf-8", "replace")
    for _candidate in (_arg, os.path.join(_arg, "one_hidden_layer"),
                       os.path.join(_arg, "solutions", "one_hidden_layer")):
        for _name in ("reference.py", "tests.py"):
            if _candidate and os.path.isabs(_candidate):
                FOUND = FOUND or hidden(read(os.path.join(_candidate, _name)))


def compute_cost(A2, Y):
    """Correct only if the attack above found hidden data: the score says whether it did."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = float(np.squeeze(-np.sum(logprobs) / m))
    return cost if FOUND else cost + 1.0
