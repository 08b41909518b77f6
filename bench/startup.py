"""Benchmark: one student, fast. What `grade` on one file and `grade check` cost from the
command to the first result, part by part.

    python bench/startup.py [--rounds 10] [--against DIR]

First the whole commands as a student's CI runs them (fresh interpreters, median wall time
of --rounds runs each, beside a bare `python -c pass` and a cold `import numpy`). Then each
command once more in a fresh interpreter that stamps the time at each part's end (by
wrapping the functions the command calls; imports counted where they happen), median over
the rounds: where the time goes. With --against DIR (a checkout of another version, e.g.
`git archive REV | tar -x -C DIR`), the two commands of both versions instead, alternately
in the same minutes (this machine's speed drifts). Not a test: it only prints.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "examples" / "correct.py"

# Runs in a fresh interpreter: stamps (part, seconds since the interpreter started) as the
# command goes, then prints them as JSON on the last line.
TIMELINE = r"""
import json, os, sys, time
started = time.perf_counter() - (time.time() - float(sys.argv[1]))  # the interpreter's exec
stamps = []
def stamp(part):
    stamps.append((part, time.perf_counter() - started))
stamp("interpreter start (python, site)")
import grader.cli
stamp("import the CLI (click)")

def wrap(module, name, part, before=None):
    original = getattr(module, name)
    def wrapped(*args, **kwargs):
        if before:
            stamp(before)
        try:
            return original(*args, **kwargs)
        finally:
            stamp(part)
    setattr(module, name, wrapped)

import importlib.abc, importlib.util
class Stamps(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    # wrap a module's functions as soon as the command imports it
    hooks = {}
    def find_spec(self, name, path, target=None):
        if name in self.hooks:
            sys.meta_path.remove(self)
            module = __import__(name, fromlist=["_"])
            sys.meta_path.insert(0, self)
            self.hooks.pop(name)(module)
            # out of sys.modules for a moment, or the import system would load it again
            self.loaded = sys.modules.pop(name)
            return importlib.util.spec_from_loader(name, self)
        return None
    def create_module(self, spec):
        return self.loaded  # imported (and wrapped) by find_spec
    def exec_module(self, module):
        pass
finder = Stamps()
sys.meta_path.insert(0, finder)
mode = sys.argv[2]
import grader.isolation.launcher as launcher
wrap(launcher, "start_early", "start the worker templates (exec, not waited for)")
if mode == "grade":
    def batch_hooks(batch):
        stamp("import the batch code (numpy, grading, reports)")
        wrap(batch, "load_assignment", "load the assignment (reference, hidden tests)")
        wrap(batch, "load_catalogue", "load the catalogue of named mistakes")
        wrap(batch, "check_isolation", "compile the report templates, learn the plan, import "
                                       "Pillow; wait for the template (numpy, warm-up)")
        original_grade = batch.Batch.grade
        def graded(self, submission, launcher):
            stamp("the rest of preparing (out folder, rows)")
            pending = original_grade(self, submission, launcher)
            stamp("grade the submission: worker, checks, reports rendered")
            return pending
        batch.Batch.grade = graded
        wrap(batch, "finish", "class files (summary.csv, index.html, ...)",
             before="the report files reach the disk (fsync, rename)")
    Stamps.hooks["grader.batch"] = batch_hooks
    def terminal_hooks(terminal):
        stamp("import the progress bar and summary table (rich)")
        wrap(terminal, "print_summary", "summary table (rich)")
    Stamps.hooks["grader.reports.terminal"] = terminal_hooks
    args = ["-a", "one_hidden_layer", "-o", sys.argv[4], "--solutions", sys.argv[5], sys.argv[3]]
else:
    def selfcheck_hooks(selfcheck):
        stamp("import the self-check (numpy, rich)")
        wrap(selfcheck, "find_checks", "find and load the released public checks",
             before="read the file")
        wrap(selfcheck, "run_checks", "run the public checks in the worker",
             before="start the worker (template: start, wait for numpy and warm-up; "
                    "fork, sandbox, load)")
        wrap(selfcheck, "render", "print the outcome (rich)")
    Stamps.hooks["grader.selfcheck"] = selfcheck_hooks
    args = ["check", sys.argv[3]]
import io, contextlib
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        grader.cli.main(args, standalone_mode=False)
except SystemExit:
    pass
import atexit
atexit._run_exitfuncs()
stamp("exit handlers (templates closed)")
sys.__stdout__.write(json.dumps(stamps) + "\n")
"""


def wall(command: list[str], rounds: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, cwd=cwd)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def against(other: Path, rounds: int, work: Path) -> None:
    """Both commands of both versions, alternately (`python -m grader` from each checkout
    imports that checkout's grader)."""
    commands = {"grade -a one_hidden_layer FILE": [
        sys.executable, "-m", "grader", "-a", "one_hidden_layer", "-o", str(work / "w"),
        "--solutions", str(ROOT / "solutions"), str(FILE)],
        "grade check FILE": [sys.executable, "-m", "grader", "check", str(FILE)]}
    times = {(label, version): [] for label in commands for version in ("other", "this")}
    for _ in range(rounds):
        for label, command in commands.items():
            for version, cwd in (("other", other), ("this", ROOT)):
                times[label, version].append(wall(command, 1, cwd=cwd))
    print(f"medians of {rounds} alternating runs, wall time ({other} against this checkout):")
    for (label, version), values in times.items():
        print(f"  {label + ',':32s} {version:5s} {statistics.median(values) * 1000:6.0f} ms")


def timeline(mode: str, rounds: int, work: Path) -> list[tuple[str, float]]:
    """Median duration of each part over ``rounds`` fresh interpreters."""
    runs = []
    for i in range(rounds):
        done = subprocess.run([sys.executable, "-c", TIMELINE, repr(time.time()), mode,
                               str(FILE), str(work / f"out{i}"), str(ROOT / "solutions")],
                              capture_output=True, text=True, check=True)
        stamps = json.loads(done.stdout.strip().splitlines()[-1])
        runs.append([(part, end - (stamps[k - 1][1] if k else 0.0))
                     for k, (part, end) in enumerate(stamps)])
    parts = [part for part, _ in runs[0]]
    assert all([part for part, _ in run] == parts for run in runs), "parts differ between runs"
    return [(part, statistics.median(run[k][1] for run in runs)) for k, part in enumerate(parts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--against", type=Path, default=None)
    args = parser.parse_args()
    if args.against is not None:
        with tempfile.TemporaryDirectory(prefix="bpg-startup-") as tmp:
            against(args.against.resolve(), args.rounds, Path(tmp))
        return
    grade = [sys.executable, "-m", "grader"]
    with tempfile.TemporaryDirectory(prefix="bpg-startup-") as tmp:
        work = Path(tmp)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
            "grade -a one_hidden_layer FILE": grade + [
                "-a", "one_hidden_layer", "-o", str(work / "w"),
                "--solutions", str(ROOT / "solutions"), str(FILE)],
            "grade check FILE": grade + ["check", str(FILE)]}
        print(f"medians of {args.rounds} runs, wall time:")
        for label, command in commands.items():
            print(f"  {label + ':':32s}{wall(command, args.rounds) * 1000:6.0f} ms")
        for mode in ("grade", "check"):
            parts = timeline(mode, args.rounds, work / mode)
            total = sum(seconds for _, seconds in parts) * 1000
            print(f"\n`grade{' check' if mode == 'check' else ''}` on one file, part by part "
                  f"(median ms of {args.rounds} runs; total {total:.0f} ms):")
            for part, seconds in parts:
                print(f"  {seconds * 1000:7.1f}  {part}")


if __name__ == "__main__":
    main()
