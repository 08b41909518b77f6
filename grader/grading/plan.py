"""The calls a correct submission receives, learned once per run, and the order in which a
worker may receive them.

A hidden suite calls student functions one at a time, and each call is a round trip
between two processes (two wake-ups, four system calls). Most of those calls are the same
for every student: the hidden inputs are fixed. So the suite is run once, in this process,
against the reference (trusted code only, on copies made exactly as a worker makes them),
and the distinct calls it makes are noted in order. Each submission's worker then gets them
in a few requests before the tests start; the answers fill the session's memo, and the
tests find them there. A call the plan did not foresee is made as before.

What a worker has received, student code can read (frames, ``gc``, freed heap memory), so
the rule is about what is sent when (:func:`grader.grading.plan.order`): a call whose
inputs hold a value the reference computed as some call's answer is sent only after the
student answered that call, and every call of that function if it is another function
(tests pass the reference's forward cache to ``backward_propagation``, deep_network chains
one layer's output into the next). The planned calls go in stages, one request each; a
call made later, outside the plan, first has the calls its inputs would reveal made
(:meth:`Plan.first`).

A plan is only a prefetch: if a request fails (a hang, a crash), the session throws its
answers away, starts a fresh worker without counting it as a restart, and every remaining
call is then made one by one, with its own time limit and its own error. The fresh worker
first answers again (unheard) what those calls' inputs reveal: the rule is per process.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import numpy as np

from grader.grading.spec import run_test
from grader.isolation import calling, wire
from grader.isolation.calling import call_trusted
from grader.isolation.session import MemoizedCalls, StudentCallError

PREFETCH_SECONDS = 1.0  # at least this long for a planned request
SLOWER_THAN_REFERENCE = 20  # or this many times the reference's own time for the same calls
MAX_PLAN_BYTES = 16 * 1024 * 1024  # a bigger request is not worth planning
MAX_LEAVES = 10_000  # leaves looked at in one value (a hidden input is far smaller)


@dataclass(frozen=True)
class Stage:
    """Calls sent together: each one's inputs reveal only answers given in earlier stages."""

    keys: tuple[bytes, ...]
    functions: tuple[str, ...]
    message: bytes

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True)
class Plan:
    """Planned calls: their memo keys and function names in the order the tests made them,
    the stages that send them (encoded once), the time the reference itself took for them,
    and what each call's inputs reveal (:meth:`first`)."""

    keys: tuple[bytes, ...]
    functions: tuple[str, ...]
    stages: tuple[Stage, ...] = ()
    seconds: float = 0.0
    # key -> (function, args, kwargs, seed), to make a planned call on its own
    calls: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)  # key -> the keys that must be answered first
    # value digest -> keys of the calls whose reference answer holds it (values a test
    # gave before any answer held them are inputs, never revealing)
    producers: dict = field(default_factory=dict)
    by_function: dict = field(default_factory=dict)  # function -> its planned calls' keys

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def deadline(self) -> float:
        """Wall seconds a worker gets for all the stages; a slower one falls back to one
        call at a time, having lost at most this."""
        return max(PREFETCH_SECONDS, SLOWER_THAN_REFERENCE * self.seconds)

    def first(self, key: bytes, function: str, args, kwargs) -> list[bytes]:
        """The planned calls to answer before this one may be sent (its inputs hold their
        reference answers)."""
        if key in self.needs:
            return list(self.needs[key])
        return sorted(revealed(leaf_digests((args, kwargs)), key, function, self.producers,
                               self.by_function, self.calls))


def leaf_digests(value) -> set[bytes]:
    """Digests of a value's numeric leaves by content: an array's values flattened as
    float64 (a reshape, transpose of a vector or dtype change keeps them), a number as a
    one-element array. Booleans, text and other leaves reveal nothing planned."""
    found: set[bytes] = set()
    pending, seen = [value], 0
    while pending and seen < MAX_LEAVES:
        item = pending.pop()
        seen += 1
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, (np.ndarray, np.generic, int, float)) and not isinstance(
                item, (bool, np.bool_)):
            digest = number_digest(item)
            if digest is not None:
                found.add(digest)
    return found


def number_digest(item) -> bytes | None:
    try:
        values = np.asarray(item)
        if values.dtype.kind not in "iuf" or values.size == 0:
            return None
        flat = np.ascontiguousarray(values, dtype=np.float64).ravel()
    except (OverflowError, ValueError, TypeError):  # an int too big for a float: not ours
        return None
    return hashlib.sha256(b"%d:" % flat.size + flat.tobytes()).digest()[:16]


def revealed(digests, key: bytes, function: str, producers: dict, by_function: dict,
             calls: dict) -> set[bytes]:
    """The calls whose answers these input digests give away: a call of the same function
    itself, every call of another function (its answers must all be in before any of them
    is shown)."""
    found: set[bytes] = set()
    for digest in digests:
        for producer in producers.get(digest, ()):
            if producer == key:
                continue  # a call whose own input is its answer reveals nothing new
            if calls[producer][0] == function:
                found.add(producer)
            else:
                found.update(by_function[calls[producer][0]])
    found.discard(key)
    return found


def order(keys, calls: dict, outcomes: dict) -> tuple[dict, dict, dict, list[list[bytes]]]:
    """What each planned call reveals, and the stages that send every call after the
    answers its inputs reveal (calls caught in a cycle are left out: made one by one)."""
    first_seen: dict[bytes, bool] = {}  # digest -> first held by an answer (not an input)
    inputs, outputs = {}, {}
    for key in keys:
        function, args, kwargs, _ = calls[key]
        inputs[key] = leaf_digests((args, kwargs))
        for digest in inputs[key]:
            first_seen.setdefault(digest, False)
        outcome = outcomes[key]
        outputs[key] = set() if isinstance(outcome, StudentCallError) else leaf_digests(outcome)
        for digest in outputs[key]:
            first_seen.setdefault(digest, True)
    producers: dict[bytes, list[bytes]] = {}
    for key in keys:
        for digest in outputs[key]:
            if first_seen[digest]:
                producers.setdefault(digest, []).append(key)
    by_function: dict[str, list[bytes]] = {}
    for key in keys:
        by_function.setdefault(calls[key][0], []).append(key)
    needs = {key: tuple(sorted(revealed(inputs[key], key, calls[key][0], producers,
                                        by_function, calls))) for key in keys}
    return needs, producers, by_function, levels(keys, needs)


def levels(keys, needs: dict) -> list[list[bytes]]:
    """``keys`` in stages: each after every stage holding a call it needs; in the tests'
    order within a stage; a call in a cycle (or needing one) is in none."""
    level: dict[bytes, int] = {}
    changed = True
    while changed:
        changed = False
        for key in keys:
            if key not in level and all(need in level for need in needs[key]):
                level[key] = 1 + max((level[need] for need in needs[key]), default=-1)
                changed = True
    stages: list[list[bytes]] = [[] for _ in range(1 + max(level.values(), default=-1))]
    for key in keys:
        if key in level:
            stages[level[key]].append(key)
    return stages


class ReferenceStand(MemoizedCalls):
    """Stands in for a student's session while a plan is learned: calls the reference here,
    on copies of the inputs made as a worker makes them (:func:`grader.isolation.calling.call`),
    and notes each distinct call."""

    def __init__(self, reference, *, plots: bool):
        self.reference, self.plots = reference, plots
        self.recorder = None
        self.output, self.protections = bytearray(), {}
        self._memo: dict[bytes, object] = {}
        self.requests: dict[bytes, tuple[str, dict, list[bytes]]] = {}  # in the memo's order
        self.calls: dict[bytes, tuple] = {}  # key -> (function, args, kwargs, seed)
        self.seconds = 0.0  # spent in the reference's own functions

    def _send(self, key: bytes, function: str, args, kwargs: dict, seed: int, timeout):
        """Note each distinct call, and its request to send ahead, then make it."""
        self.calls[key] = (function, tuple(args), kwargs, seed)
        header, blobs = calling.request(function, args, kwargs, seed)
        self.requests[key] = (function, header, blobs)
        return self._call_now(function, header, blobs, timeout)

    def _call_now(self, function: str, header: dict, blobs: list[bytes], timeout):
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
    """Run every hidden test against the reference, and order and encode the calls they
    made (None when there are none; no stages when they are too many bytes to be worth
    sending ahead, but the order still holds for the calls the tests make)."""
    stand = ReferenceStand(assignment.reference, plots=plots)
    for test in assignment.spec.tests:
        run_test(test, stand, assignment.reference)
    keys = tuple(stand._memo)
    if not keys:
        return None
    needs, producers, by_function, staged = order(keys, stand.calls, stand._memo)
    stages = tuple(encoded(stage, stand.requests) for stage in staged)
    if sum(len(stage.message) for stage in stages) > MAX_PLAN_BYTES:
        stages = ()
    return Plan(keys, tuple(stand.calls[key][0] for key in keys), stages, stand.seconds,
                {key: stand.calls[key] for key in keys}, needs,
                {digest: tuple(found) for digest, found in producers.items()},
                {function: tuple(found) for function, found in by_function.items()})


def encoded(keys: list[bytes], requests: dict) -> Stage:
    """One request holding these calls (their blobs in one list)."""
    blobs: list[bytes] = []
    calls = []
    for key in keys:
        _, header, own = requests[key]
        offset = len(blobs)
        blobs += own
        calls.append(dict(header, args=shifted(header["args"], offset),
                          kwargs=shifted(header["kwargs"], offset)))
    return Stage(tuple(keys), tuple(requests[key][0] for key in keys),
                 wire.encode_message({"op": "calls", "calls": calls}, blobs))


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
