"""Benchmark: real-style notebooks per second, in the default mode (plots on, isolation on).

    python bench/real_notebooks.py [--n 200] [--jobs 2]

Each notebook is what a course's students hand in (tests/notebooks.py's messy_notebook around
one of the correct styles): `%matplotlib inline`, `import matplotlib.pyplot as plt`, helper
modules (planar_utils, testCases_v2: absent here, as on a grading machine without them),
sklearn, top-level cells that load data, plot, train for 10000 iterations or loop forever.
Graded three ways, one after another: as they are (their workers come from the template
that holds matplotlib), the same without that template (every worker imports matplotlib
itself, as before it existed), and the same notebooks without their matplotlib import.
Prints notebooks per second for each. Not a test: it asserts only that every notebook gets
full marks, and prints.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from notebooks import messy_notebook, write  # noqa: E402
from variants import CORRECT_STYLES  # noqa: E402

from grader.batch import grade  # noqa: E402
from grader.isolation import launcher  # noqa: E402

NO_MATPLOTLIB = "import matplotlib.pyplot as plt\n"


def make_class(folder: Path, n: int, *, matplotlib: bool = True) -> None:
    styles = list(CORRECT_STYLES.values())
    folder.mkdir()
    for i in range(n):
        notebook = messy_notebook(styles[i % len(styles)])
        if not matplotlib:
            for cell in notebook.cells:
                cell.source = cell.source.replace(NO_MATPLOTLIB, "")
        write(notebook, folder / f"student{i:04d}.ipynb")


def timed(folder: Path, out: Path, jobs: int) -> float:
    started = time.perf_counter()
    rows = grade(assignment="one_hidden_layer", paths=[folder], out=out,
                 solutions=ROOT / "solutions", jobs=jobs)
    elapsed = time.perf_counter() - started
    assert all(row.score == row.max_score for row in rows), [r.student for r in rows
                                                              if r.score != r.max_score]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bpg-real-notebooks-"))
    try:
        make_class(work / "real", args.n)
        make_class(work / "no-plt", args.n, matplotlib=False)
        runs = [("real-style notebooks", work / "real", None),
                ("the same without the template holding matplotlib", work / "real",
                 re.compile(r"(?!)")),  # matches nothing: every worker imports it itself
                ("the same without `import matplotlib.pyplot`", work / "no-plt", None)]
        for number, (label, folder, pattern) in enumerate(runs):
            saved = launcher.TOP_IMPORT
            launcher.TOP_IMPORT = pattern or saved
            try:
                elapsed = timed(folder, work / f"out{number}", args.jobs)
            finally:
                launcher.TOP_IMPORT = saved
            print(f"{label}: {args.n} in {elapsed:.2f} s = {args.n / elapsed:.1f} "
                  f"notebooks/s, {1000 * elapsed / args.n:.1f} ms each (jobs={args.jobs})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
