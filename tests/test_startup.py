"""One student, fast: `grade` on one file and `grade check` start the worker template before
they import the rest of the grader, and import report code only when it is needed (or while
they wait for the template anyway). bench/startup.py measures what each part costs."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES, ROOT

LATER = ("jinja2", "grader.reports.html", "grader.reports.classwide", "PIL", "matplotlib")


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_importing_the_batch_imports_no_report_rendering():
    loaded = run(f"import sys, grader.batch; print([m for m in {LATER!r} if m in sys.modules])")
    assert loaded == "[]"


def test_grade_check_starts_its_template_before_importing_the_self_check():
    script = f"""
import sys
import grader.isolation.launcher as launcher
calls = []
original = launcher.start_early
def start_early(*args, **kwargs):
    calls.append("grader.selfcheck" in sys.modules or "numpy" in sys.modules)
    return original(*args, **kwargs)
launcher.start_early = start_early
from grader.cli import main
try:
    main(["check", {str(EXAMPLES / "correct.py")!r}], standalone_mode=False)
except SystemExit:
    pass
print(calls)
"""
    assert run(script) == "[False]"  # called once, before numpy and the self-check
