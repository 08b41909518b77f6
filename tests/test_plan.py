"""Planned calls (grader.grading.plan): one request instead of one per call, and never a different
verdict, a lost error or a lost restart."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, failed_ids
from variants import CORRECT_STYLES, FAULTY

from grader.grading import plan as plan_module
from grader.grading.plan import Plan, learn, plan_for
from grader.grading.runner import grade_submission
from grader.isolation import session as session_module
from grader.isolation.session import StudentCallError, StudentSession
from grader.loading.submission import Submission

CORRECT = (EXAMPLES / "correct.py").read_text()
UNSEEDED = {"default_rng_and_prints"}  # draws from an unseeded generator: differs every run


@pytest.fixture
def requests(monkeypatch):
    """How many requests the grader sent to workers."""
    sent = []
    real = session_module.Worker.request_raw

    def counting(self, message, timeout):
        sent.append(len(message))
        return real(self, message, timeout)

    monkeypatch.setattr(session_module.Worker, "request_raw", counting)
    return sent


def comparable(result) -> dict:
    data = result.to_dict()
    data.pop("execution_time")
    return data


def test_the_plan_holds_the_distinct_calls_of_a_correct_submission(flagship):
    plan = learn(flagship, plots=False)
    assert len(set(plan.keys)) == len(plan) > 10
    assert set(plan.functions) <= set(dir(flagship.reference))
    with_plots = learn(flagship, plots=True)
    assert len(with_plots) > len(plan)  # the training curve's nn_model runs
    assert plan_for(flagship, plots=False) is plan_for(flagship, plots=False)


def test_a_planned_submission_needs_three_requests_and_gets_the_same_report(
        flagship, tmp_path, requests):
    path = tmp_path / "student.py"
    path.write_text(CORRECT)
    one_by_one = grade_submission(flagship, Submission("student", path), plots=False,
                                  prefetch=False)
    calls = len(requests)
    requests.clear()
    planned = grade_submission(flagship, Submission("student", path), plots=False)
    stages = plan_for(flagship, plots=False).stages
    assert len(stages) == 2  # the forward pass's answers before the calls given its cache
    assert len(requests) == 2 + len(stages) < calls  # hello, load, the plan's stages
    assert comparable(planned) == comparable(one_by_one) and planned.score == planned.max_score


@pytest.mark.parametrize("name", sorted(set(CORRECT_STYLES) | set(FAULTY)))
def test_every_variant_gets_the_same_report_with_or_without_a_plan(flagship, tmp_path, name):
    path = tmp_path / f"{name}.py"
    path.write_text({**CORRECT_STYLES, **FAULTY}[name])
    results = [grade_submission(flagship, Submission(name, path), prefetch=prefetch)
               for prefetch in (False, True)]
    if name in UNSEEDED:
        assert results[0].score == results[1].score
    else:
        assert comparable(results[0]) == comparable(results[1])


def broken(function: str, body: str) -> str:
    """CORRECT with ``function`` replaced by one whose body is ``body``."""
    start = CORRECT.index(f"def {function}(")
    end = CORRECT.find("\ndef ", start + 1)
    end = len(CORRECT) if end < 0 else end
    signature = CORRECT[start:CORRECT.index("\n", start)]
    return CORRECT[:start] + f"{signature}\n    import os, time\n    {body}\n" + CORRECT[end:]


@pytest.mark.parametrize("body, kind, text", [
    ("while True: pass", "timeout", "did not return within 1 s"),
    ("os._exit(4)", "crashed", "exited with code 4"),
])
def test_a_plan_that_fails_costs_no_restart_and_the_error_stays_with_its_function(
        flagship, monkeypatch, body, kind, text):
    monkeypatch.setattr(plan_module, "PREFETCH_SECONDS", 0.5)
    plan = plan_for(flagship, plots=False)
    source = broken("predict", body)  # a function of the first stage
    with StudentSession(source, "backprop.py", default_timeout=1.0, max_restarts=1) as student:
        assert student.prefetch(plan) == 0
        assert student.restarts == -1 and student.remembered == {}
        params = student.call("initialize_parameters", (2, 4, 1), seed=1)  # a fresh worker
        assert set(params) == {"W1", "b1", "W2", "b2"} and student.restarts == 0
        with pytest.raises(StudentCallError) as failure:
            student.call("predict", (params, params["b2"]))
        assert failure.value.kind == kind and text in str(failure.value)
        assert "`predict`" in str(failure.value)
        again = student.call("initialize_parameters", (3, 4, 1), seed=2)  # the one restart
        assert again["W1"].shape == (4, 3)


def test_planned_calls_keep_their_errors_and_missing_functions(flagship):
    plan = plan_for(flagship, plots=False)
    source = broken("predict", "raise ValueError('not today')").replace(
        "def compute_cost(", "def compute_the_cost(")
    with StudentSession(source, "backprop.py") as student:
        assert student.prefetch(plan) == len(plan) and len(student.remembered) == len(plan)
        outcomes = [student.remembered[key] for key in plan.keys]
        by_function = dict(zip(plan.functions, outcomes, strict=False))
        assert by_function["predict"].kind == "exception"
        assert "ValueError: not today" in str(by_function["predict"])
        assert by_function["compute_cost"].kind == "missing"
        assert "has no function `compute_cost`" in str(by_function["compute_cost"])
        assert not isinstance(by_function["forward_propagation"], StudentCallError)


def test_a_plan_gets_more_time_when_the_reference_itself_needs_it(flagship):
    plan = learn(flagship, plots=False)
    assert 0 < plan.seconds < 0.5  # the reference's own time, measured while learning
    slow = Plan(plan.keys, plan.functions, plan.stages, seconds=0.2)
    assert slow.deadline == 0.2 * plan_module.SLOWER_THAN_REFERENCE


# predict makes the worker's encoder answer with an array that refers to blob 0: in a planned
# request that blob is another call's answer (initialize_parameters' W1), alone it is nothing
STEALS_A_BLOB = CORRECT + '''

def predict(parameters, X):
    import sys
    wire = sys.modules["grader.isolation.wire"]
    real = wire.encode_value

    def forged(value, blobs, *args, **kwargs):
        wire.encode_value = real
        return {"t": "array", "i": 0, "scalar": False}
    wire.encode_value = forged
    return None
'''

# forward_propagation's cache carries 600 kB more than it should: the second call (forward
# values are graded on the two n_y = 1 cases) is past what the submission may keep (1 MiB
# below), planned or not
PADDED_FORWARD = CORRECT.replace(
    '    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}',
    '    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, "pad": np.zeros(75_000)}')


def test_a_planned_answer_cannot_take_another_answers_blob(flagship, tmp_path):
    path = tmp_path / "student.py"
    path.write_text(STEALS_A_BLOB)
    for prefetch in (True, False):
        result = grade_submission(flagship, Submission("student", path), plots=False,
                                  prefetch=prefetch)
        assert failed_ids(flagship, result) == {"predict_shape", "predict_values",
                                                "predict_any_n_y"}, prefetch
        for check in result.failed:
            assert "`predict` returned data the grader cannot read" in check.message, prefetch


def test_planned_answers_count_against_what_a_submission_may_keep(flagship, tmp_path):
    assert PADDED_FORWARD != CORRECT
    path = tmp_path / "student.py"
    path.write_text(PADDED_FORWARD)
    results = [grade_submission(flagship, Submission("student", path), plots=False,
                                prefetch=prefetch, keep_bytes=2**20)
               for prefetch in (False, True)]
    assert comparable(results[0]) == comparable(results[1])
    forward = {test.id for test in flagship.spec.tests
               if test.function == "forward_propagation"}
    assert failed_ids(flagship, results[1]) == forward
    for check in results[1].failed:
        assert "`forward_propagation` returned more data than the grader keeps for one " \
               "submission (1 MiB)" in check.message
