"""Red team: An endless loop at import: the load times out, every check fails.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__


while True:
    pass
