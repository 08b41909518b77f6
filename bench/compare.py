"""Benchmark: this checkout against an earlier commit, back to back, on the same class.

    python bench/compare.py REV [--n 400] [--rounds 2] [--jobs 2] [--plots]

This machine's speed drifts over an hour, so numbers taken at different times do not
compare; this runs both versions alternately in the same minutes. REV is checked out into
a temporary git worktree; each run imports its own copy of the grader in a fresh
interpreter. Prints, for each run, submissions per second and the CPU time per submission
of every process (the grader's, the templates' and the workers'), which drifts less than
the rate. --no-plots batches unless --plots (the default mode). Not a test: it only prints.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_RUN = """
import resource, sys, tempfile, time
from pathlib import Path
root, n, jobs = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
plots = sys.argv[4] == "plots"
sys.path[:0] = [str(root), str(root / "tests")]
from variants import CORRECT_STYLES, FAULTY
from grader.batch import grade
work = Path(tempfile.mkdtemp(prefix="bpg-compare-"))
(work / "s").mkdir()
sources = list(CORRECT_STYLES.values()) + list(FAULTY.values())
for i in range(n):
    (work / "s" / f"student{i:05d}.py").write_text(sources[i % len(sources)])
def cpu():
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
started, used = time.perf_counter(), cpu()
grade(assignment="one_hidden_layer", paths=[work / "s"], out=work / "out",
      solutions=root / "solutions", jobs=jobs, plots=plots)
print(f"{n / (time.perf_counter() - started):.1f} submissions/s, "
      f"{1000 * (cpu() - used) / n:.1f} ms of CPU each (every process)")
"""


def rate(root: Path, n: int, jobs: int, plots: bool) -> str:
    done = subprocess.run([sys.executable, "-c", ONE_RUN, str(root), str(n), str(jobs),
                           "plots" if plots else "no-plots"],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev")
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--plots", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bpg-rev-") as folder:
        old = Path(folder) / "old"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old),
                        args.rev], check=True)
        try:
            for _ in range(args.rounds):
                print(f"{args.rev}: {rate(old, args.n, args.jobs, args.plots)}", flush=True)
                print(f"this checkout: {rate(ROOT, args.n, args.jobs, args.plots)}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           check=False)


if __name__ == "__main__":
    main()
