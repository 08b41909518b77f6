"""Benchmark: nbgrader autograde against `grade` on the same notebook submissions.

    python bench/nbgrader_vs_grade.py [--n 20]

Installs nbgrader (and this grader) into the benchmark's own virtual environment
(bench/.venv-nbgrader, made once), builds a real nbgrader course with `grade course`,
releases it with `nbgrader generate_assignment`, hands in N filled-in notebooks (correct
and faulty ones), then times `nbgrader autograde` and `grade` on exactly those notebooks.
Prints seconds for each and the ratio. Not a test: it only prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv-nbgrader"
NAME = "one_hidden_layer"


def venv_python() -> Path:
    """The benchmark's own environment with nbgrader and this grader, made on first use."""
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"installing nbgrader into {VENV} (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "nbgrader>=0.9",
                        "ipykernel>=6", "-e", str(ROOT)], check=True)
    return python


def hand_in(python: Path, course: Path, n: int) -> list[str]:
    """N submitted notebooks, filled in from the correct and faulty example variants."""
    script = f"""
import sys
sys.path[:0] = [{str(ROOT / "tests")!r}]
import nbformat
from notebooks import fill_in
from variants import CORRECT_STYLES, FAULTY
sources = list(CORRECT_STYLES.values()) + list(FAULTY.values())
released = nbformat.read({str(course / "release" / NAME / "backprop.ipynb")!r}, as_version=4)
from pathlib import Path
for i in range({n}):
    folder = Path({str(course)!r}) / "submitted" / f"student{{i:03d}}" / {NAME!r}
    folder.mkdir(parents=True)
    nbformat.write(fill_in(released, sources[i % len(sources)]), str(folder / "backprop.ipynb"))
"""
    subprocess.run([str(python), "-c", script], check=True)
    return sorted(p.name for p in (course / "submitted").iterdir())


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    python = venv_python()
    work = Path(tempfile.mkdtemp(prefix="bpg-nbgrader-bench-"))
    try:
        course = work / "course"
        # nbgrader runs some tools as commands (`alembic` for its gradebook): the
        # benchmark's venv goes first on PATH, as if it were activated
        env = {**os.environ, "PYTHONPATH": str(ROOT),
               "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        subprocess.run([str(python), "-m", "grader", "course", "-a", NAME, "--solutions",
                        str(ROOT / "solutions"), str(course)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "nbgrader", "generate_assignment", NAME, "--force"],
                       cwd=course, env=env, check=True, capture_output=True)
        students = hand_in(python, course, args.n)
        flat = work / "notebooks"
        flat.mkdir()
        for student in students:
            shutil.copy(course / "submitted" / student / NAME / "backprop.ipynb",
                        flat / f"{student}.ipynb")

        nbgrader_s = timed([str(python), "-m", "nbgrader", "autograde", NAME, "--force"],
                           cwd=course, env=env)
        grade_cmd = [str(python), "-m", "grader", "-a", NAME, "--solutions",
                     str(ROOT / "solutions"), str(flat)]
        grade_s = timed(grade_cmd + ["-o", str(work / "out")])
        grade_noplots_s = timed(grade_cmd + ["-o", str(work / "out2"), "--no-plots"])
        n = len(students)
        print(f"{n} notebook submissions of {NAME}, {os.cpu_count()} cores")
        print(f"nbgrader autograde: {nbgrader_s:.1f} s ({nbgrader_s / n:.2f} s each)")
        print(f"grade:              {grade_s:.1f} s ({grade_s / n:.3f} s each, with plots)")
        print(f"grade --no-plots:   {grade_noplots_s:.1f} s ({grade_noplots_s / n:.3f} s each)")
        print(f"speed-up: {nbgrader_s / grade_s:.0f}x with plots, "
              f"{nbgrader_s / grade_noplots_s:.0f}x without (target >= 100x); both include "
              "each tool's start-up")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
