"""Red team: Starts threads until it cannot (at most 4000), each sleeping forever. Otherwise
correct: full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import threading
import time

for _ in range(4000):
    try:
        threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
    except (RuntimeError, MemoryError):
        break
