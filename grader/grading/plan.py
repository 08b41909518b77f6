"""The calls a correct submission receives, learned once per run and sent to each worker in
one request.

A hidden suite calls student functions one at a time, and each call is a round trip
between two processes (two wake-ups, four system calls). Most of those calls are the same
for every student: the hidden inputs are fixed. So the suite is run once, in this process,
against the reference (trusted code only, on copies made exactly as a worker makes them),
and the distinct calls it makes are noted in order. Each submission's worker then gets them
all in one request before the tests start; the answers fill the session's memo, and the
tests find them there. A call the plan did not foresee is made as before.

A plan is only a prefetch: if its request fails (a hang, a crash), the session throws the
answers away, starts a fresh worker without counting it as a restart, and every call is
then made one by one, with its own time limit and its own error.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from grader.grading.spec import run_test
from grader.isolation import wire
from grader.isolation.calling import call_trusted
from grader.isolation.session import MemoizedCalls, StudentCallError

PREFETCH_SECONDS = 1.0  # at least this long for a planned request
SLOWER_THAN_REFERENCE = 20  # or this many times the reference's own time for the same calls
MAX_PLAN_BYTES = 16 * 1024 * 1024  # a bigger request is not worth planning


@dataclass(frozen=True)
class Plan:
    """Planned calls: their memo keys and function names, the request (encoded once), and
    the time the reference itself took for them."""

    keys: tuple[bytes, ...]
    functions: tuple[str, ...]
    message: bytes
    seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def deadline(self) -> float:
        """Wall seconds a worker gets for the whole request; a slower one falls back to
        one call at a time, having lost at most this."""
        return max(PREFETCH_SECONDS, SLOWER_THAN_REFERENCE * self.seconds)


class ReferenceStand(MemoizedCalls):
    """Stands in for a student's session while a plan is learned: calls the reference here,
    on copies of the inputs made as a worker makes them (:func:`grader.isolation.calling.call`),
    and notes each distinct call."""

    def __init__(self, reference, *, plots: bool):
        self.reference, self.plots = reference, plots
        self.recorder = None
        self.output, self.protections = bytearray(), {}
        self._memo: dict[bytes, object] = {}
        self.requests: list[tuple[str, dict, list[bytes]]] = []  # in the order of the memo
        self.seconds = 0.0  # spent in the reference's own functions

    def _call_now(self, function: str, header: dict, blobs: list[bytes], timeout):
        self.requests.append((function, header, blobs))
        target = getattr(self.reference, function, None)
        if not callable(target):
            return StudentCallError("missing", f"the reference has no function `{function}`")
        started = time.perf_counter()
        try:
            value = call_trusted(target, function, header, blobs)
        finally:
            self.seconds += time.perf_counter() - started
        if isinstance(value, StudentCallError):
            return value
        out: list[bytes] = []
        return wire.decode_value(wire.encode_value(value, out), out)


def learn(assignment, *, plots: bool) -> Plan | None:
    """Run every hidden test against the reference and encode the calls they made (None
    when there are none, or too many bytes of them to be worth one request)."""
    stand = ReferenceStand(assignment.reference, plots=plots)
    for test in assignment.spec.tests:
        run_test(test, stand, assignment.reference)
    keys = tuple(stand._memo)  # one request per remembered call, in the same order
    blobs: list[bytes] = []
    requests = []
    for _, header, own in stand.requests:
        offset = len(blobs)
        blobs += own
        requests.append(dict(header, args=shifted(header["args"], offset),
                             kwargs=shifted(header["kwargs"], offset)))
    message = wire.encode_message({"op": "calls", "calls": requests}, blobs)
    if not keys or len(message) > MAX_PLAN_BYTES:
        return None
    return Plan(keys, tuple(function for function, _, _ in stand.requests), message,
                stand.seconds)


def shifted(tree, offset: int):
    """An encoded value whose blob indices moved by ``offset`` (blobs of several calls share
    one request)."""
    if isinstance(tree, dict):
        if tree.get("t") == "array":
            return dict(tree, i=tree["i"] + offset)
        return {k: shifted(v, offset) for k, v in tree.items()}
    if isinstance(tree, list):
        return [shifted(item, offset) for item in tree]
    return tree


def plan_for(assignment, *, plots: bool) -> Plan | None:
    """The assignment's plan, learned on first use in this process; None if learning failed
    (then every call is simply made one by one)."""
    plans = assignment.plans
    if plots not in plans:
        try:
            plans[plots] = learn(assignment, plots=plots)
        except Exception:  # a plan only saves time; grading never depends on it
            plans[plots] = None
    return plans[plots]
