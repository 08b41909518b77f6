"""What writing the reports costs per submission, next to what grading it costs.

    python bench/report_cost.py [--repeat N]

Grades each bundled example once, then times write_reports (grader.json, results.json,
report.html with its plots) per student, and the class-level files for the batch.
Prints seconds; nothing is asserted (speed targets live here, not in unit tests).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's grader, not an installed one


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--class-size", type=int, default=200,
                        help="students in the class-level timing (copies of the examples)")
    args = parser.parse_args()

    started = time.perf_counter()
    from grader.batch import write_reports
    from grader.grading.runner import grade_submission
    from grader.loading.assignment import load_assignment
    from grader.loading.submission import Submission
    from grader.reports.classwide import write_class_reports

    assignment = load_assignment("one_hidden_layer", solutions=ROOT / "solutions")
    examples = sorted((ROOT / "examples").glob("*.py"))
    results = {}
    for path in examples:
        t = time.perf_counter()
        results[path.stem] = grade_submission(assignment, Submission(path.stem, path))
        print(f"grade {path.stem:<18} {time.perf_counter() - t:7.3f} s")

    t = time.perf_counter()
    import matplotlib.figure  # noqa: F401
    print(f"import matplotlib (once per batch)   {time.perf_counter() - t:7.3f} s "
          f"(process start to here {time.perf_counter() - started:.2f} s)")

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for result in results.values():  # warm-up: fonts, templates
            write_reports(result, out, title=assignment.spec.title)
        for name, result in results.items():
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                write_reports(result, out, title=assignment.spec.title)
                times.append(time.perf_counter() - t)
            plotted = "with plots" if "training" in result.checks[-1].data else "no plots"
            print(f"write_reports {name:<18} median {statistics.median(times):.3f} s "
                  f"min {min(times):.3f} s ({plotted})")

        names = list(results)
        students = [f"{names[i % len(names)]}_{i}" for i in range(args.class_size)]
        for student in students:  # copy the per-student files under new names
            source = out / student.rsplit("_", 1)[0]
            (out / student).mkdir(exist_ok=True)
            (out / student / "grader.json").write_bytes((source / "grader.json").read_bytes())
        t = time.perf_counter()
        write_class_reports(out, students=students, assignment=assignment.name,
                            title=assignment.spec.title,
                            check_names=[test.name for test in assignment.spec.tests],
                            max_score=assignment.spec.max_score)
        elapsed = time.perf_counter() - t
        print(f"class-level files for {len(students)} students   {elapsed:7.3f} s "
              f"({1000 * elapsed / len(students):.1f} ms per student)")


if __name__ == "__main__":
    main()
