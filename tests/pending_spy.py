"""A spy submission for any assignment: the reference's own code, every function wrapped so
that, whenever a new request arrives, it looks for the reference's answers to calls it has
not answered yet everywhere student code can look in its process: up the stack of every
thread, in every container the garbage collector tracks, and in its heap's bytes (freed
ones included) through /proc/self/mem where that is readable (it first makes itself
dumpable). It prints ``SPY LEAK <call>`` for each one found.

Answers are looked for as 8-byte float64 values (``needles``): values of the reference's
answers that no hidden input holds. The spy knows them only multiplied by an odd mask (mod
2**64), so the values never sit in its memory unless they were sent (nor in any array its
own scanning leaves behind): each byte source is read as uint64 at all 8 offsets,
multiplied, and compared. A value the spy itself computed (in any call, inner ones
included) is its own and no longer counts.
"""

from __future__ import annotations

import secrets

import numpy as np

from grader.grading.plan import ReferenceStand, leaf_digests, run_test
from grader.isolation.session import StudentCallError

SPY = '''

# ---- the spy (tests/pending_spy.py) ----
import ctypes as _ctypes
import functools as _functools
import gc as _gc
import sys as _sys

import numpy as _np

_MASK = _np.uint64(__MASK__)  # odd: needles are value * mask (mod 2**64)
_NEEDLES = _np.array(__NEEDLES__, dtype=_np.uint64)  # masked, sorted
_CALLS = __CALLS__  # the planned call each needle answers
_PRODUCED = set()
_REPORTED = set()
_SEEN_REQUESTS = set()
_HEAP_SCANNED = set()  # once per function: reading the heap takes time
_HEAP = __HEAP__  # whether to read the heap at all
# requests scanned per function: the planned stages come first, then the tests' own calls
# one request each (nn_model's training steps judged one by one make hundreds of those)
_SCANS, _SCANS_PER_FUNCTION = {}, __SCANS__
_DEPTH = [0, 0]  # how deep in spied calls; inner answers marked in this top-level call


def _spy_hits(blob):
    raw = _np.frombuffer(blob, dtype=_np.uint8)
    hits = set()
    for offset in range(8):
        count = (raw.size - offset) // 8
        if count <= 0:
            break
        words = raw[offset:offset + 8 * count].view(_np.uint64) * _MASK
        found = _spy_known(words)
        if found.any():
            hits.update(int(word) for word in set(words[found].tolist()))
    return hits


def _spy_known(words):
    at = _np.minimum(_np.searchsorted(_NEEDLES, words), _NEEDLES.size - 1)
    return _NEEDLES[at] == words


def _spy_blobs(value, out, depth=0):
    if depth > 6 or len(out) > 20000:
        return
    if isinstance(value, (bytes, bytearray)):
        out.append(bytes(value))
    elif isinstance(value, memoryview):
        try:
            out.append(value.tobytes())
        except Exception:
            pass
    elif isinstance(value, _np.ndarray):
        if value.dtype.kind in "fiu" and value.size:
            out.append(_np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (float, _np.floating)):
        out.append(_np.float64(value).tobytes())
    elif isinstance(value, dict):
        for item in list(value.values()):
            _spy_blobs(item, out, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in list(value):
            _spy_blobs(item, out, depth + 1)


def _spy_heap():
    """Bytes of the heap and small anonymous mappings, freed memory included, where the
    process may read its own /proc/self/mem."""
    try:
        libc = _ctypes.CDLL(None)
        libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE: a uid switch made us non-dumpable
        with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
            budget = 16 << 20
            for line in maps:
                parts = line.split()
                start, end = (int(x, 16) for x in parts[0].split("-"))
                named = parts[5] if len(parts) > 5 else ""
                if not parts[1].startswith("rw") or named not in ("", "[heap]"):
                    continue
                if end - start > (16 << 20) or budget <= 0:
                    continue
                try:
                    mem.seek(start)
                    chunk = mem.read(end - start)
                except (OSError, ValueError, OverflowError):
                    continue
                budget -= len(chunk)
                yield chunk
    except OSError:
        return


def _spy_scan(name):
    if _SCANS.get(name, 0) >= _SCANS_PER_FUNCTION:
        return
    request = None
    frames = list(_sys._current_frames().values())
    blobs = []
    for frame in frames:
        while frame is not None:
            if request is None and "header" in frame.f_locals and \\
                    isinstance(frame.f_locals["header"], dict):
                request = frame.f_locals["header"]
            for value in list(frame.f_locals.values()):
                _spy_blobs(value, blobs)
            frame = frame.f_back
    if id(request) in _SEEN_REQUESTS:
        return
    _SEEN_REQUESTS.add(id(request))
    _SCANS[name] = _SCANS.get(name, 0) + 1
    for obj in _gc.get_objects():
        if type(obj) in (list, tuple, dict):
            items = obj.values() if type(obj) is dict else obj
            try:
                for item in list(items)[:10000]:
                    if isinstance(item, (bytes, bytearray, memoryview, _np.ndarray)):
                        _spy_blobs(item, blobs)
            except Exception:
                pass
    hits = _spy_hits(b"".join(blob for blob in blobs if len(blob) >= 8))
    for chunk in (_spy_heap() if _HEAP and name not in _HEAP_SCANNED else ()):
        hits |= _spy_hits(chunk)
    _HEAP_SCANNED.add(name)
    for word in hits - _PRODUCED:
        call = _CALLS[int(_np.searchsorted(_NEEDLES, _np.uint64(word)))]
        if call not in _REPORTED:
            _REPORTED.add(call)
            print("SPY LEAK", call, "seen by", name)
    if len(_SEEN_REQUESTS) == 1:
        print("SPY SCANNED", len(blobs))


def _spy_mark(value):
    blobs = []
    _spy_blobs(value, blobs)
    for blob in blobs:
        raw = _np.frombuffer(blob, dtype=_np.uint8)
        if raw.size % 8 == 0:
            words = raw.view(_np.uint64) * _MASK
            _PRODUCED.update(int(word) for word in words[_spy_known(words)])


def _spy_wrap(name, function):
    @_functools.wraps(function)
    def spied(*args, **kwargs):
        if _DEPTH[0] == 0:
            _spy_scan(name)
            _DEPTH[1] = 0
        _DEPTH[0] += 1
        try:
            out = function(*args, **kwargs)
        finally:
            _DEPTH[0] -= 1
        if _DEPTH[0] == 0 or _DEPTH[1] < 64:  # (a training loop's steps answer nothing planned)
            _DEPTH[1] += 1
            _spy_mark(out)
        return out
    return spied


for _name in __FUNCTIONS__:
    if _name in globals():
        globals()[_name] = _spy_wrap(_name, globals()[_name])
'''


def reference_calls(assignment, *, plots: bool = False):
    """The distinct calls the hidden tests make, in order: (function, inputs, outcome)."""
    stand = ReferenceStand(assignment.reference, plots=plots)
    for test in assignment.spec.tests:
        run_test(test, stand, assignment.reference)
    return [(stand.calls[key][0], stand.calls[key][1:3], stand._memo[key]) for key in stand._memo]


def float_values(value) -> list[float]:
    values = []
    for leaf in leaves(value):
        array = np.asarray(leaf)
        if array.dtype.kind == "f":
            values += list(np.ravel(array).astype(np.float64))
    return values


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from leaves(item)
    elif isinstance(value, (np.ndarray, np.generic, float)):
        yield value


def needles(assignment, *, per_call: int = 3) -> dict[int, int]:
    """float64 bit patterns of the reference's answers -> the index of the call they answer:
    only values that no hidden input holds and that look like nothing else (not whole)."""
    calls = reference_calls(assignment)
    given: set[int] = set()  # values of leaves a test gave before any answer held them
    answered: set[bytes] = set()
    for _, inputs, outcome in calls:
        for leaf in leaves(inputs):
            if not leaf_digests(leaf) & answered:
                given.update(np.float64(v).view(np.uint64).item() for v in float_values(leaf))
        if not isinstance(outcome, StudentCallError):
            answered |= leaf_digests(outcome)
    found: dict[int, int] = {}
    for index, (_, _, outcome) in enumerate(calls):
        if isinstance(outcome, StudentCallError):
            continue
        taken = 0
        for value in float_values(outcome):
            word = np.float64(value).view(np.uint64).item()
            if not np.isfinite(value) or value == round(value) or word in given or word in found:
                continue
            found[word] = index
            taken += 1
            if taken == per_call:
                break
    return found


def spy_source(assignment, *, heap: bool = True, scans: int = 12) -> str:
    """The reference's text with the spy around every function the tests call; ``heap``:
    also read its own heap (slow: on a loaded machine the plan's stages can pass their time
    budget, and the calls are then made one by one, each within its own time limit);
    ``scans``: how many requests per function it reads through."""
    mask = secrets.randbits(64) | 1
    words = needles(assignment)
    masked = sorted((word * mask % 2**64, call) for word, call in words.items())
    functions = sorted({function for function, _, _ in reference_calls(assignment)})
    text = (assignment.directory / "reference.py").read_text()
    return text + SPY.replace("__MASK__", str(mask)) \
        .replace("__NEEDLES__", repr([m for m, _ in masked])) \
        .replace("__CALLS__", repr([c for _, c in masked])) \
        .replace("__FUNCTIONS__", repr(functions)).replace("__HEAP__", repr(heap)) \
        .replace("__SCANS__", repr(scans))
