"""Time grading one submission of each curriculum assignment (prints numbers, asserts nothing).

    python bench/grade_curriculum.py [REPEATS]

CPU is the grader's own plus its finished workers' (user + system), per submission.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.grading.runner import grade_submission  # noqa: E402
from grader.loading.assignment import load_assignment  # noqa: E402
from grader.loading.submission import Submission  # noqa: E402

ASSIGNMENTS = ("chain_rule", "scalar_chain", "gradient_descent")


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(repeats: int) -> None:
    print(f"{'assignment':<18} {'submission':<10} {'wall s':>8} {'cpu s':>8} {'score':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for name in ASSIGNMENTS:
            assignment = load_assignment(name, solutions=ROOT / "solutions")
            sources = {"correct": ROOT / "examples" / name / "correct.py",
                       "stub": ROOT / "assignments" / name / assignment.spec.student_file}
            for label, source in sources.items():
                path = Path(folder) / f"{label}.py"
                path.write_text(source.read_text())
                wall0, cpu0 = time.perf_counter(), cpu()
                for _ in range(repeats):
                    result = grade_submission(assignment, Submission(label, path))
                wall = (time.perf_counter() - wall0) / repeats
                used = (cpu() - cpu0) / repeats
                print(f"{name:<18} {label:<10} {wall:8.3f} {used:8.3f} {result.score:6g}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
