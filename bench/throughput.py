"""Benchmark: how fast `grade` is on this machine, and what isolation costs.

    python bench/throughput.py [--n 1000] [--jobs 2] [--cold-samples 50] [--copies 300]

Prints submissions per second and milliseconds per submission for N flagship .py
submissions (a mix of correct and faulty ones) in the default mode (plots on) and with
--no-plots, the grader's peak RSS, the time of N cold
`python -c "import numpy"` starts (extrapolated from --cold-samples starts unless
--cold-samples equals N) and the ratio, the CPU per submission on each side of a worker's
pipes (grader; template and workers), and the per-submission cost of each isolation layer.
Then the issue's yardstick: --copies copies of a correct submission, default mode, in one
run, against 20 cold numpy starts (extrapolated to --copies) and the number of full marks.
Not a test: it asserts nothing and only prints.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from variants import CORRECT_STYLES, FAULTY  # noqa: E402

from grader.batch import grade  # noqa: E402
from grader.isolation.launcher import Launcher  # noqa: E402
from grader.isolation.session import StudentSession  # noqa: E402


def make_class(folder: Path, n: int) -> None:
    """n submissions cycling through the correct styles and the faulty variants."""
    sources = list(CORRECT_STYLES.values()) + list(FAULTY.values())
    for i in range(n):
        (folder / f"student{i:05d}.py").write_text(sources[i % len(sources)])


def time_grading(folder: Path, out: Path, jobs: int, plots: bool) -> float:
    return timed_rows(folder, out, jobs, plots)[0]


def timed_rows(folder: Path, out: Path, jobs: int, plots: bool) -> tuple[float, list]:
    started = time.perf_counter()
    rows = grade(assignment="one_hidden_layer", paths=[folder], out=out,
                 solutions=ROOT / "solutions", jobs=jobs, plots=plots)
    return time.perf_counter() - started, rows


def copies_against_cold(work: Path, copies: int, jobs: int) -> None:
    """``copies`` correct submissions in the default mode against 20 cold numpy starts."""
    folder = work / "copies"
    folder.mkdir()
    source = (ROOT / "examples" / "correct.py").read_text()
    for i in range(copies):
        (folder / f"student{i:05d}.py").write_text(source)
    elapsed, rows = timed_rows(folder, work / "reports-copies", jobs, plots=True)
    per_start = time_cold_numpy(20)
    full = sum(1 for row in rows if row.score == row.max_score)
    print(f"{copies} copies of a correct submission, default mode (plots on): {elapsed:.2f} s "
          f"= {copies / elapsed:.1f}/s, {full}/{copies} full marks; {copies} cold numpy starts "
          f"(from 20, {per_start * 1000:.0f} ms each): {per_start * copies:.1f} s; ratio "
          f"{elapsed / (per_start * copies):.3f} (target <= 0.05)")


def time_cold_numpy(samples: int) -> float:
    started = time.perf_counter()
    for _ in range(samples):
        subprocess.run([sys.executable, "-c", "import numpy"], check=True)
    return (time.perf_counter() - started) / samples


def isolation_costs(rounds: int = 40) -> dict[str, float]:
    """Milliseconds per submission to start, sandbox, load and end a worker, by layer."""
    source = (ROOT / "examples" / "correct.py").read_text()
    costs = {}
    for label, off in [("all layers", ""), ("without Landlock", "landlock"),
                       ("without seccomp (netns instead)", "seccomp"),
                       ("without any layer but rlimits", "landlock,seccomp,netns")]:
        os.environ["BACKPROP_GRADER_DISABLE"] = off
        with Launcher() as launcher:
            StudentSession(source, "backprop.py", launcher=launcher).close()
            started = time.perf_counter()
            for _ in range(rounds):
                with StudentSession(source, "backprop.py", launcher=launcher) as student:
                    student.loads()
            costs[label] = (time.perf_counter() - started) / rounds * 1000
    os.environ.pop("BACKPROP_GRADER_DISABLE", None)
    return costs


def cpu_split(folder: Path, out: Path, n: int = 200) -> tuple[float, float]:
    """Milliseconds of CPU per submission in a one-process batch: the grader's own (this
    process and its report thread), and its template's and workers' (reaped children)."""
    def used(who):
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    part = folder.parent / "split"
    part.mkdir()
    for path in sorted(folder.iterdir())[:n]:
        shutil.copy(path, part / path.name)
    grader, children = used(resource.RUSAGE_SELF), used(resource.RUSAGE_CHILDREN)
    grade(assignment="one_hidden_layer", paths=[part], out=out, solutions=ROOT / "solutions",
          jobs=1, plots=True)
    count = len(list(part.iterdir()))
    return (1000 * (used(resource.RUSAGE_SELF) - grader) / count,
            1000 * (used(resource.RUSAGE_CHILDREN) - children) / count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--cold-samples", type=int, default=50)
    parser.add_argument("--copies", type=int, default=300)
    args = parser.parse_args()

    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, jobs={args.jobs}")
    work = Path(tempfile.mkdtemp(prefix="bpg-bench-"))
    try:
        folder = work / "submissions"
        folder.mkdir()
        make_class(folder, args.n)
        elapsed = time_grading(folder, work / "reports", args.jobs, plots=True)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"grade (default: SVG plots in every report.html): {args.n} submissions in "
              f"{elapsed:.2f} s = {args.n / elapsed:.1f} submissions/s, "
              f"{1000 * elapsed / args.n:.1f} ms each")
        print(f"grader peak RSS: batch process {rss_mb:.0f} MB, largest grading process or "
              f"template {child_mb:.0f} MB (mostly pages shared with the batch process)")
        no_plots = time_grading(folder, work / "reports-no-plots", args.jobs, plots=False)
        print(f"grade --no-plots: {no_plots:.2f} s = {args.n / no_plots:.1f} submissions/s")

        per_start = time_cold_numpy(args.cold_samples)
        cold = per_start * args.n
        how = "measured" if args.cold_samples == args.n else \
            f"extrapolated from {args.cold_samples} starts"
        print(f"{args.n} cold `python -c 'import numpy'` starts: {cold:.1f} s ({how}, "
              f"{per_start * 1000:.0f} ms each)")
        print(f"grading time / cold numpy starts: {elapsed / cold:.3f} (target <= 0.05)")

        grader_ms, workers_ms = cpu_split(folder, work / "reports-split")
        print(f"CPU per submission (--jobs 1, default mode): grader {grader_ms:.1f} ms, "
              f"template and workers {workers_ms:.1f} ms")
        copies_against_cold(work, args.copies, args.jobs)

        for label, ms in isolation_costs().items():
            print(f"worker start + sandbox + load + end, {label}: {ms:.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
