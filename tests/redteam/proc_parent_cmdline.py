"""Red team: Reads /proc/<ppid>/cmdline for --solutions and the grader's paths, then reads the
reference from there.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

_args = read(f"/proc/{os.getppid()}/cmdline").split(b"\0")
for _i, _arg in enumerate(_args):
    _arg = _arg.decode("utf-8", "replace")
    for _candidate in (_arg, os.path.join(_arg, "one_hidden_layer"),
                       os.path.join(_arg, "solutions", "one_hidden_layer")):
        for _name in ("reference.py", "tests.py"):
            if _candidate and os.path.isabs(_candidate):
                FOUND = FOUND or hidden(read(os.path.join(_candidate, _name)))


# __INCLUDE__ found_scores_cost
