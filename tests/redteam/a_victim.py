"""Red team: Not an attack: a correct submission other attacks try to rewrite or forge reports for.
Full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

