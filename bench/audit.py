"""How long `grade audit` takes on the flagship, by --jobs; prints numbers, asserts nothing.

    python bench/audit.py [JOBS ...]      # default: 1 2 4
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.course.audit import audit  # noqa: E402


def main(jobs_list: list[int]) -> None:
    for jobs in jobs_list:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        report = audit(assignment="one_hidden_layer", solutions=ROOT / "solutions", jobs=jobs)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        graded = len(report.mutants) + len(report.mistakes)
        print(f"jobs={jobs}: {graded} submissions in {wall:.1f} s wall "
              f"({1000 * wall / graded:.0f} ms each), workers' CPU {workers:.1f} s, "
              f"mutation score {100 * report.score:.1f}%")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1, 2, 4])
