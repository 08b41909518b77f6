"""Red team: Searches the home folder (environment, passwd entry, and the instructor's real home,
passed in by the test) for references, keys and secrets.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os
import pwd

_homes = {os.environ.get("HOME", ""), os.path.expanduser("~"), "__HOME_DIR__"}
try:
    _homes.add(pwd.getpwuid(os.getuid()).pw_dir)
except KeyError:
    pass
_seen = 0
for _home in sorted(h for h in _homes if h and h != "/"):
    for _root, _dirs, _files in os.walk(_home):
        _dirs[:] = [d for d in _dirs if _root.count(os.sep) - _home.count(os.sep) < 4]
        for _name in _files:
            _seen += 1
            if _seen > 5000:
                break
            FOUND = FOUND or hidden(read(os.path.join(_root, _name), 1 << 16))


# __INCLUDE__ found_scores_cost
