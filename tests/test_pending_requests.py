"""No value the reference computed reaches a student's process before the student answered
every call whose answer it reveals (issue 24, item 1).

Tests pass the reference's own answers on (the forward cache to ``backward_propagation``,
one layer's output to the next in deep_network), and a worker's memory is open to the
student's code (frames, ``gc``, freed heap). So the plan sends its calls in stages: a call
whose inputs hold an answer goes only after that call, and every call of that function if
it is another one, was answered (:func:`grader.grading.plan.order`); a call made outside
the plan first has those calls made. Pinned two ways, for every assignment: the plan's
stages are checked against the answers themselves, and a spy submission
(tests/pending_spy.py: the reference, every function looking through its process for
answers it has not given yet) is graded through real workers, planned and unplanned, under
every filesystem layer the machine offers, with ``--jobs 1`` and ``--jobs 2``; a plan sent
in one request (as before) makes the spy report leaks, so the spy can see them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SOLUTIONS
from pending_spy import reference_calls, spy_source

from grader.grading import plan as plan_module
from grader.grading.plan import Plan, leaf_digests, learn
from grader.grading.runner import grade_submission
from grader.isolation.session import StudentCallError
from grader.loading.assignment import load_assignment
from grader.loading.submission import Submission

ASSIGNMENTS = sorted(path.name for path in SOLUTIONS.iterdir() if (path / "tests.py").exists())
# assignments known to pass reference answers on (a lower bound: a new exercise may too, and
# needs no entry here)
CHAINED = ("deep_network", "gradient_descent", "one_hidden_layer")


def revealing(calls) -> list[tuple[int, set[int]]]:
    """For each call, the calls whose reference answers its inputs hold (answers a test
    held before: values first seen as an input are the test's own, not the reference's)."""
    answered_by: dict[bytes, set[int]] = {}
    given: set[bytes] = set()
    for _, inputs, outcome in calls:
        given |= leaf_digests(inputs) - set(answered_by)
        if not isinstance(outcome, StudentCallError):
            for digest in leaf_digests(outcome):
                answered_by.setdefault(digest, set())
    answered_by.clear()
    for index, (_, _, outcome) in enumerate(calls):
        if not isinstance(outcome, StudentCallError):
            for digest in leaf_digests(outcome) - given:
                answered_by.setdefault(digest, set()).add(index)
    return [(index, set().union(*(answered_by.get(d, set()) for d in leaf_digests(inputs)))
             - {index}) for index, (_, inputs, _) in enumerate(calls)]


@pytest.mark.parametrize("plots", [False, True])
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_each_stage_reveals_only_answers_already_given(name, plots):
    assignment = load_assignment(name, solutions=SOLUTIONS)
    plan = learn(assignment, plots=plots)
    calls = reference_calls(assignment, plots=plots)
    assert [function for function, _, _ in calls] == list(plan.functions)
    stage_of = {key: number for number, stage in enumerate(plan.stages) for key in stage.keys}
    assert len(stage_of) == len(plan)  # every call planned, none twice
    functions = {}
    for key, function in zip(plan.keys, plan.functions, strict=True):
        functions.setdefault(function, []).append(stage_of[key])
    reveals = 0
    for index, answers in revealing(calls):
        key, function = plan.keys[index], plan.functions[index]
        for answer in answers:
            reveals += 1
            other = plan.functions[answer]
            # its own function: that call first; another: every call of it first
            latest = stage_of[plan.keys[answer]] if other == function else max(functions[other])
            assert latest < stage_of[key], (name, function, other)
    if name in CHAINED:  # the check above had answers to look at
        assert reveals > 0, name


def test_a_call_made_outside_the_plan_first_has_the_calls_it_reveals_made(flagship):
    """backward_propagation on the reference's cache, asked before anything else: every
    forward_propagation call is made first (the tests' order does not matter)."""
    plan = learn(flagship, plots=False)
    calls = reference_calls(flagship)
    backward = next(index for index, (function, _, _) in enumerate(calls)
                    if function == "backward_propagation")
    _, (args, kwargs), _ = calls[backward]
    needed = plan.first(b"not planned", "backward_propagation", args, kwargs)
    forward = {key for key, function in zip(plan.keys, plan.functions, strict=True)
               if function == "forward_propagation"}
    assert forward <= set(needed)
    assert set(needed) == set(plan.needs[plan.keys[backward]])


def roomy(assignment, monkeypatch) -> None:
    """60 s for each call: the spy reads its whole process on each request it is sent, which
    on a loaded machine can take a call past the usual 5 s."""
    monkeypatch.setattr(assignment.spec, "default_timeout", 60.0)


def grade_spy(name: str, tmp_path, monkeypatch, *, prefetch: bool = True, launcher=None):
    assignment = load_assignment(name, solutions=SOLUTIONS)
    roomy(assignment, monkeypatch)
    path = tmp_path / name / assignment.spec.student_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(spy_source(assignment))
    return grade_submission(assignment, Submission("spy", path), plots=False,
                            prefetch=prefetch, launcher=launcher)


def leaks(result) -> list[str]:
    lines = result.output.splitlines()
    assert any(line.startswith("SPY SCANNED") for line in lines), result.output[-2000:]
    return [line for line in lines if line.startswith("SPY LEAK")]


@pytest.mark.slow
@pytest.mark.parametrize("prefetch", [True, False])
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_spy_finds_no_answer_before_it_gives_it(name, prefetch, tmp_path, monkeypatch):
    # the spy looks through its whole process once per request: room for that, so that
    # the plan's stages (not the one-by-one fallback) are what is tested
    monkeypatch.setattr(plan_module, "PREFETCH_SECONDS", 60.0)
    result = grade_spy(name, tmp_path, monkeypatch, prefetch=prefetch)
    assert result.score == result.max_score, [c.message for c in result.failed]
    assert leaks(result) == []


# backward_propagation kills its process for one case (every worker has a folder of its
# own: nothing marks "once"): a fresh worker makes the calls left, one by one
CRASH_ONE_CASE = """

import os as _os
_spied_backward = backward_propagation


def backward_propagation(parameters, cache, X, Y):
    if X.shape == (3, 7):
        _os._exit(7)
    return _spied_backward(parameters, cache, X, Y)
"""


@pytest.mark.parametrize("prefetch", [True, False])
def test_a_fresh_worker_answers_again_before_it_sees_what_its_answers_reveal(
        tmp_path, monkeypatch, prefetch):
    """The answers the first worker gave are kept, but the fresh one (after a crash or a
    failed stage) is another process: it answers again what backward's inputs reveal
    before it is sent them, so no process holds a reference answer it has not given."""
    monkeypatch.setattr(plan_module, "PREFETCH_SECONDS", 60.0)
    assignment = load_assignment("one_hidden_layer", solutions=SOLUTIONS)
    roomy(assignment, monkeypatch)
    path = tmp_path / assignment.spec.student_file
    path.write_text(spy_source(assignment, heap=False) + CRASH_ONE_CASE)
    result = grade_submission(assignment, Submission("spy", path), plots=False,
                              prefetch=prefetch)
    assert leaks(result) == []
    crashed = [c for c in result.failed if "exited with code 7" in c.message]
    assert crashed and {c.function for c in result.failed} == {"backward_propagation"}, \
        [c.message for c in result.failed]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gradient_descent", "one_hidden_layer"])  # quick ones
def test_the_spy_sees_answers_sent_in_one_request(name, tmp_path, monkeypatch):
    """The plan as it was (every call in one request, no order for unplanned calls): the
    spy reads the answers of calls it has not been asked yet."""
    monkeypatch.setattr(plan_module, "PREFETCH_SECONDS", 60.0)
    monkeypatch.setattr(plan_module, "levels", lambda keys, needs: [list(keys)])
    monkeypatch.setattr(Plan, "first", lambda self, *call: [])
    assignment = load_assignment(name, solutions=SOLUTIONS)
    assignment.plans.clear()
    assert leaks(grade_spy(name, tmp_path, monkeypatch)) != []


# ------------------------------------------------ every layer, --jobs 1 and --jobs 2


def grade_spies_cli(tmp_path, name: str, layer: str, jobs: int) -> dict:
    """The spy and a copy of it graded by the CLI under ``layer``; results.json by student."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_layers import ROOT_USER, grade_in_container  # noqa: PLC0415

    assignment = load_assignment(name, solutions=SOLUTIONS)
    private = tmp_path / "private"
    submissions, out = private / "submissions", private / "out"
    submissions.mkdir(parents=True)
    for student in ("spy1", "spy2"):
        # frames and gc only: the heap is read in-process above, with the plan's time
        # budget raised (a heap scan per function can take a loaded machine past it)
        # and 4 requests per function: the stages, then the first calls made one by one
        # (when a loaded machine takes the plan past its 1 s, which the CLI cannot change)
        (submissions / f"{student}.py").write_text(spy_source(assignment, heap=False, scans=4))
    arguments = ["--out", str(out), "--jobs", str(jobs), "--no-plots", str(submissions)]
    if layer == "uid" and not ROOT_USER:
        pytest.skip("the uid layer exists only for a grader run as root")
    # the spy reads its whole process on each request it is sent: on a loaded machine that
    # can take a call past the usual 5 s, so its calls get 60 s (a copy of the solutions)
    solutions = private / "solutions"
    shutil.copytree(SOLUTIONS, solutions, ignore=shutil.ignore_patterns("__pycache__"))
    with (solutions / name / "tests.py").open("a") as tests:
        tests.write("\nspec.default_timeout = 60.0\n")
    if layer == "uid":
        private.chmod(0o700)
        code, console = grade_in_container(tmp_path, *arguments, solutions=solutions,
                                           assignment=name)
    else:
        env = dict(os.environ, BACKPROP_GRADER_DISABLE={"landlock": "", "view": "landlock"}[layer])
        done = subprocess.run([sys.executable, "-m", "grader", "--assignment", name,
                               "--solutions", str(solutions), *arguments], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        code, console = done.returncode, done.stdout + done.stderr
    assert code == 0, console
    return {student: json.loads((out / student / "results.json").read_text())
            for student in ("spy1", "spy2")}


# the flagship under every layer with 1 and 2 jobs (deep_network's chained layers, whose
# CLI batches take over a minute, are spied on in-process above)
LAYER_RUNS = [("one_hidden_layer", layer, jobs) for layer in ("landlock", "view", "uid")
              for jobs in (1, 2)]


@pytest.mark.slow
@pytest.mark.parametrize("name, layer, jobs", LAYER_RUNS)
def test_no_layer_and_no_jobs_count_lets_a_spy_see_an_answer_early(tmp_path, name, layer, jobs):
    for student, report in grade_spies_cli(tmp_path, name, layer, jobs).items():
        protections = report["extra_data"]["protections"]
        assert protections["filesystem"] == layer, (student, protections)
        output = report.get("output", "")
        assert "SPY SCANNED" in output, (student, output[-2000:])
        assert "SPY LEAK" not in output, (student, output[-2000:])
        assert report["score"] == 100, (student, [t.get("output", "")[:300] for t in
                                                  report["tests"] if t["score"] < t["max_score"]])
