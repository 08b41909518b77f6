"""How long grading takes for messy student notebooks compared with the same code as .py.

    python bench/notebook_grading.py [COUNT]

Prints seconds per submission for each kind; the notebooks contain a 10000-iteration
training cell, an endless loop and magics, none of which may cost grading time. Their
`import matplotlib.pyplot` is kept (imports are), and costs what it costs in a .py file:
"ipynb-noplt" is the same notebook without it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from notebooks import messy_notebook, write  # noqa: E402
from variants import CORRECT  # noqa: E402

from grader.batch import grade  # noqa: E402


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("py", "ipynb", "ipynb-noplt"):
            folder = Path(tmp) / kind
            folder.mkdir()
            for i in range(count):
                if kind == "py":
                    (folder / f"s{i}.py").write_text(CORRECT)
                else:
                    notebook = messy_notebook(CORRECT)
                    if kind == "ipynb-noplt":
                        for cell in notebook.cells:
                            cell.source = cell.source.replace("import matplotlib.pyplot as plt\n",
                                                              "")
                    write(notebook, folder / f"s{i}.ipynb")
            started = time.perf_counter()
            rows = grade(assignment="one_hidden_layer", paths=[folder], out=Path(tmp) / "out",
                         solutions=ROOT / "solutions", jobs=1)
            elapsed = time.perf_counter() - started
            assert all(row.score == 100 for row in rows)
            print(f"{kind:11s} {count} submissions: {elapsed:.2f} s, "
                  f"{elapsed / count:.3f} s per submission")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
