"""Name the mistake behind a failed check, only when the evidence fits.

While a check runs, the session records every call it made to the student's code (inputs,
seed, outcome). When the check fails, each catalogued mistake that could explain it is
applied to the reference and called here, in the grader's process, on exactly those inputs
with the same seed. Every output is cut into aspects (per leaf of the returned structure: its
shape, and its values once size-1 axes are dropped; or the exception raised). The mistake
fits when, on every aspect where the mistaken reference differs from the reference, the
student matches the mistake (or the reference: a mistake made in one place only), and it
matches the mistake on at least one of them that it actually has (a reply the grader cannot
read has none). Nothing else is ever named, so a correct answer,
or a wrong one no catalogued mistake produces, keeps its plain message.
"""

from __future__ import annotations

import random
import threading
import weakref
from collections import OrderedDict
from types import ModuleType

import numpy as np

from grader.grading.mistakes import Catalogue, Mistake, load_catalogue
from grader.isolation import calling
from grader.isolation.session import Call, StudentCallError

# far above the rounding differences of equivalent code, and tight enough to see a mistake
# whose effect is tiny (a forward difference at h = 1e-5 is off by ~1e-5 relative)
RTOL, ATOL = 1e-7, 1e-10
_seed_lock = threading.Lock()  # the global RNG is shared by the grader's threads


def run_trusted(module: ModuleType, function: str, args: tuple, kwargs: dict, seed: int):
    """Call a reference (or mistaken reference) function as the worker calls the student's
    (:func:`grader.isolation.calling.call`), leaving the grader's generators as they were."""
    header, blobs = calling.request(function, args, kwargs, seed)
    target = getattr(module, function, None)
    if not callable(target):
        return StudentCallError("missing", f"the reference has no function `{function}`")
    with _seed_lock:
        state, py_state = np.random.get_state(), random.getstate()
        try:
            return calling.call_trusted(target, function, header, blobs)
        finally:
            np.random.set_state(state)
            random.setstate(py_state)


_memo: weakref.WeakKeyDictionary[ModuleType, OrderedDict] = weakref.WeakKeyDictionary()
_memo_lock = threading.Lock()
MEMO_SIZE = 1024  # outcomes remembered per (mistaken) reference module


def remembered(module: ModuleType, key, compute):
    """``compute()``, remembered per ``module`` under ``key`` for every later submission."""
    with _memo_lock:
        memo = _memo.setdefault(module, OrderedDict())
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    found = compute()
    with _memo_lock:
        memo[key] = found
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return found


def trusted_aspects(module: ModuleType, call: Call) -> dict:
    """:func:`aspects` of :func:`run_trusted`, remembered: nn_model is worth not re-training."""
    return remembered(module, ("aspects", call.key), lambda: aspects(run_trusted(
        module, call.function, call.args, call.kwargs, call.seed)))


def leaves(value, path=()):
    if isinstance(value, dict):
        for key in value:
            yield from leaves(value[key], (*path, str(key)))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def aspects(outcome) -> dict:
    """What can be compared of one call's outcome: {(path, kind): value}."""
    if isinstance(outcome, StudentCallError):
        return {((), "raised"): str(outcome)}
    found = {}
    for path, value in leaves(outcome):
        try:
            array = np.asarray(value)
        except Exception:
            array = None
        if array is None or array.dtype.kind not in "biuf":
            found[(path, "type")] = type(value).__name__
            continue
        found[(path, "shape")] = array.shape
        found[(path, "values")] = np.squeeze(array.astype(np.float64))
    return found


def close(a: np.ndarray, b: np.ndarray) -> bool:
    """np.allclose(a, b, equal_nan=True) with the same tolerances, without its overhead."""
    if a.shape != b.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        ok = (a == b) | (np.abs(a - b) <= ATOL + RTOL * np.abs(b))
    return bool(ok.all()) or bool((ok | (np.isnan(a) & np.isnan(b))).all())


def same(kind: str, a, b) -> bool:
    if a is None or b is None:
        return a is b
    if kind == "values":
        return close(a, b)
    if kind == "raised":  # the student's text goes on with the line of their file
        return a == b or a.startswith(b + " (") or b.startswith(a + " (")
    return a == b


def differences(reference: dict, mistaken: dict) -> tuple:
    """(aspect, expected, wrong) wherever the mistaken outcome differs from the reference's."""
    return tuple((key, reference.get(key), mistaken.get(key))
                 for key in reference.keys() | mistaken.keys()
                 if not same(key[1], reference.get(key), mistaken.get(key)))


def judge(student: dict, shown: tuple) -> tuple[bool, bool]:
    """(consistent, evidenced): the student never contradicts the mistake where it shows,
    and matches it somewhere the reference differs.

    Only something the student's outcome has can be evidence: where the mistaken reference
    has no value (it raised, say) and the student has none either (a reply the grader cannot
    read, a missing key), nothing was matched."""
    evidenced = False
    for key, expected, wrong in shown:
        got = student.get(key)
        if same(key[1], got, wrong):
            evidenced = evidenced or got is not None
        elif not same(key[1], got, expected):
            return False, False
    return True, evidenced


def fits(student: dict, reference: dict, mistaken: dict) -> tuple[bool, bool]:
    """:func:`judge` the student's aspects against where ``mistaken`` differs from ``reference``."""
    return judge(student, differences(reference, mistaken))


def diagnose(catalogue: Catalogue, check_id: str, calls: list[Call]) -> list[Mistake]:
    """Every catalogued mistake that fits all the calls a failed check made."""
    if not calls or any(isinstance(call.outcome, StudentCallError)
                        and call.outcome.kind != "exception" for call in calls):
        return []  # a hang, a crash or a missing function says nothing about the maths
    calls = list({call.key: call for call in calls}.values())  # a check may repeat a call
    reference = catalogue.assignment.reference
    student = [aspects(call.outcome) for call in calls]
    found = []
    for mistake in catalogue.for_check(check_id):
        for module in catalogue.mistaken_references(mistake):
            if shows(reference, module, calls, student):
                found.append(mistake)
                break
    return found


def shows(reference: ModuleType, module: ModuleType, calls: list[Call],
          student: list[dict]) -> bool:
    evidenced = False
    for call, got in zip(calls, student, strict=True):
        shown = remembered(module, ("differences", call.key), lambda call=call: differences(
            trusted_aspects(reference, call), trusted_aspects(module, call)))
        consistent, evidence = judge(got, shown)
        if not consistent:
            return False
        evidenced = evidenced or evidence
    return evidenced


def diagnose_check(assignment, check_id: str, calls: list) -> list[Mistake]:
    """:func:`diagnose` with the assignment's catalogue; empty when it has none."""
    catalogue = load_catalogue(assignment)
    return [] if catalogue is None else diagnose(catalogue, check_id, calls)


def name_mistakes(checks: list, candidates: dict[int, list[Mistake]]) -> None:
    """Fill ``check.mistake`` where the evidence singles out one mistake.

    ``candidates`` maps a check's index to the mistakes that fit it. When several fit (the
    trained parameters of "update with +" and "dZ2 = Y - A2" are the same), the one already
    named alone on another check of the submission is taken; otherwise none is named.
    """
    alone = {fitting[0].id for fitting in candidates.values() if len(fitting) == 1}
    for index, fitting in candidates.items():
        chosen = fitting if len(fitting) == 1 else [m for m in fitting if m.id in alone]
        if len(chosen) == 1:
            checks[index].mistake = chosen[0].feedback()
