"""Benchmark: what one flagship submission costs at the least, part by part, on this machine.

    python bench/floor.py [--rounds 30]

The target is 100 submissions/s on two cores: 20 ms of CPU per submission in every
process together. This prints where a correct submission's CPU goes and which parts no
grader change can remove: the student's own calls (the hidden suite's inputs, 100
training iterations included) timed warm in one process, the same calls in a fresh forked
worker, a bare fork and exit of the template, and a worker's start up to a loaded
submission. Worker times are read from /proc (Linux). Not a test: it only prints.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as in the template: no BLAS threads

import numpy as np  # noqa: E402

from grader.grading.plan import ReferenceStand, plan_for  # noqa: E402
from grader.isolation import wire  # noqa: E402
from grader.isolation.launcher import Launcher  # noqa: E402
from grader.isolation.session import StudentSession  # noqa: E402
from grader.loading.assignment import load_assignment  # noqa: E402

REFERENCE = ROOT / "solutions" / "one_hidden_layer" / "reference.py"


def cpu_ns(pid: int) -> int:
    """Nanoseconds ``pid`` has run on a CPU so far (its own threads, not its children)."""
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def reference_calls(assignment) -> list[tuple]:
    """The calls a correct submission receives, as (reference function, seed, args, kwargs)."""
    from grader.grading.runner import run_test

    stand = ReferenceStand(assignment.reference, plots=False)
    for test in assignment.spec.tests:
        run_test(test, stand, assignment.reference)
    return [(getattr(assignment.reference, function), header["seed"],
             wire.decode_value(header["args"], blobs, writeable=True, functions=True),
             wire.decode_value(header["kwargs"], blobs, writeable=True, functions=True))
            for function, header, blobs in stand.requests.values()]


def warm_round_ns(calls: list[tuple]) -> int:
    """One round of the calls on the reference in this warm process: the student's work."""
    inputs = copy.deepcopy(calls)  # some functions update their inputs in place
    started = time.process_time_ns()
    for function, seed, args, kwargs in inputs:
        np.random.seed(seed)
        function(*args, **kwargs)
    return time.process_time_ns() - started


WARM = "the same calls made warm in one process (the student's own work)"
STARTED = "worker: fork to loaded (sandbox, load)"
CALLS = "worker: the planned calls"
TEMPLATE = "template: fork, reap, sweep"
OUTSIDE_THE_GRADER = (STARTED, CALLS, TEMPLATE)


def parts_ms(calls: list[tuple], plan, rounds: int) -> dict[str, float]:
    """Medians over ``rounds``, taken in turns: the calls warm here, and a fresh worker's CPU
    loading the reference as a submission and answering the same calls as one request."""
    source = REFERENCE.read_text()
    samples: dict[str, list[int]] = {WARM: [], STARTED: [], CALLS: [], TEMPLATE: []}
    with Launcher() as launcher:
        template = launcher._process.pid
        StudentSession(source, "backprop.py", launcher=launcher).close()  # first-use costs
        for _ in range(rounds):
            samples[WARM].append(warm_round_ns(calls))
            before = cpu_ns(template)
            with StudentSession(source, "backprop.py", launcher=launcher) as student:
                student.loads()
                pid = student.worker.process.pid
                loaded = cpu_ns(pid)
                student.prefetch(plan)
                samples[CALLS].append(cpu_ns(pid) - loaded)
                samples[STARTED].append(loaded)
            samples[TEMPLATE].append(cpu_ns(template) - before)
    return {part: statistics.median(ns) / 1e6 for part, ns in samples.items()}


def fork_exit_ms(rounds: int) -> float:
    """A bare fork and exit of a process holding numpy, both sides: what any fresh process
    per submission costs here at the least."""
    import numpy  # noqa: F401

    started = time.process_time()
    children = 0.0
    for _ in range(rounds):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        _, _, usage = os.wait4(pid, 0)
        children += usage.ru_utime + usage.ru_stime
    return 1000 * (time.process_time() - started + children) / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    assignment = load_assignment("one_hidden_layer", solutions=ROOT / "solutions")
    plan = plan_for(assignment, plots=False)
    calls = reference_calls(assignment)
    print(f"{len(calls)} calls reach a correct submission (nn_model's 100 training iterations "
          f"among them); medians of {args.rounds} rounds:")
    parts = parts_ms(calls, plan, args.rounds)
    for part, ms in parts.items():
        print(f"  {part}: {ms:.1f} ms")
    bare = fork_exit_ms(args.rounds * 4)
    print(f"  a bare fork and exit of a process holding numpy: {bare:.1f} ms")
    outside = sum(parts[part] for part in OUTSIDE_THE_GRADER)
    print(f"outside the grader, per correct submission: {outside:.1f} ms; at 20 ms of CPU per "
          f"submission (100/s on 2 cores) that leaves {20 - outside:.1f} ms for the grader's "
          f"checks, memo and reports")


if __name__ == "__main__":
    main()
