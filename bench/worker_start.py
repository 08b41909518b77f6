"""Benchmark: what one sandbox layer adds to a worker's start and end, measured in turns.

    python bench/worker_start.py [--rounds 300] [--layer quota]

Two templates, one of them started with ``BACKPROP_GRADER_DISABLE=<layer>``; each round
takes one worker from each, in turns (so load on the machine hits both alike), and loads
a one-line submission in it. Per worker: the wall time from the spawn request to the
loaded submission, the worker's CPU until then (from /proc: Linux), the wall time of its
end (kill, reap, sweep; a namespace's teardown happens before the reap, so it is in
there) and the template's CPU for the whole. Medians. Not a test: it only prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.isolation.launcher import Launcher  # noqa: E402
from grader.isolation.session import StudentSession  # noqa: E402

PARTS = ("spawn to loaded, wall", "worker CPU to loaded", "end, wall", "template CPU")


def cpu_ns(pid: int) -> int:
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def launcher_without(layer: str | None) -> Launcher:
    """A launcher whose template (and so its workers) runs with ``layer`` turned off."""
    saved = os.environ.get("BACKPROP_GRADER_DISABLE")
    os.environ["BACKPROP_GRADER_DISABLE"] = layer or ""
    try:
        return Launcher()
    finally:
        if saved is None:
            del os.environ["BACKPROP_GRADER_DISABLE"]
        else:
            os.environ["BACKPROP_GRADER_DISABLE"] = saved


def one_worker(launcher: Launcher) -> tuple[int, int, int, int]:
    template = launcher._process.pid
    before = cpu_ns(template)
    started = time.perf_counter_ns()
    student = StudentSession("x = 1\n", "backprop.py", launcher=launcher)
    assert student.loads() is None
    loaded = time.perf_counter_ns()
    worker_cpu = cpu_ns(student.worker.process.pid)
    student.close()
    ended = time.perf_counter_ns()
    return loaded - started, worker_cpu, ended - loaded, cpu_ns(template) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--layer", default="quota")
    args = parser.parse_args()
    samples = {"with": [], "without": []}
    with Launcher() as on, launcher_without(args.layer) as off:
        for launcher in (on, off):  # first-use costs
            one_worker(launcher)
        for n in range(args.rounds):
            order = (("with", on), ("without", off)) if n % 2 else (("without", off), ("with", on))
            for name, launcher in order:
                samples[name].append(one_worker(launcher))
        layers = {name: active(launcher, args.layer) for name, launcher in
                  (("with", on), ("without", off))}
    print(f"{args.rounds} workers each, medians in ms ({args.layer} active: "
          f"{layers['with']} with, {layers['without']} without)")
    for k, part in enumerate(PARTS):
        with_, without = (statistics.median(s[k] for s in samples[name]) / 1e6
                          for name in ("with", "without"))
        print(f"  {part:24} with {with_:7.3f}  without {without:7.3f}  "
              f"difference {with_ - without:+7.3f}")


def active(launcher: Launcher, layer: str) -> bool | None:
    with StudentSession("x = 1\n", "backprop.py", launcher=launcher) as student:
        student.loads()
        return student.protections.get(layer)


if __name__ == "__main__":
    main()
