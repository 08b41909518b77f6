"""The wire format: round trips, and hostile bytes from a worker are refused, not trusted."""

from __future__ import annotations

import hashlib
import io
import json
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading import checks
from grader.isolation import wire


def roundtrip(value):
    blobs: list[bytes] = []
    tree = wire.encode_value(value, blobs)
    header, blobs_back = wire.parse_message(wire.encode_message({"v": tree}, blobs)[12:])
    return wire.decode_value(header["v"], blobs_back)


def test_plain_values_round_trip():
    value = {"W1": np.arange(6.0).reshape(2, 3), "n": 3, "x": 1.5, "ok": True, "none": None,
             "t": (1, [2, "s"]), "nan": float("nan"), "scalar": np.float64(2.5),
             "zero_d": np.array(4.0), "ints": np.arange(3, dtype=np.int32),
             "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3))}
    back = roundtrip(value)
    assert np.array_equal(back["W1"], value["W1"]) and back["W1"].dtype == np.float64
    assert back["n"] == 3 and back["x"] == 1.5 and back["ok"] is True and back["none"] is None
    assert back["t"] == (1, [2, "s"]) and np.isnan(back["nan"])
    assert isinstance(back["scalar"], np.float64) and back["scalar"] == 2.5
    assert isinstance(back["zero_d"], np.ndarray) and back["zero_d"].shape == ()
    assert back["ints"].dtype == np.int32
    assert np.array_equal(back["fortran"], value["fortran"])


class Weird:
    pass


class SubArray(np.ndarray):
    def __eq__(self, other):
        return True


def test_objects_become_opaque_markers():
    back = roundtrip([Weird(), np.arange(3).view(SubArray), np.array([object()], dtype=object)])
    assert all(isinstance(item, wire.Opaque) for item in back)
    assert "ndarray subclass" in back[1].type_name


def npy(dtype="<f8", shape=(2,), data=b"\0" * 16, fortran=False):
    shape_text = shape if isinstance(shape, str) else repr(shape)
    header = (f"{{'descr': {dtype!r}, 'fortran_order': {fortran}, 'shape': {shape_text}, }}"
              ).encode()
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header + data


@pytest.mark.parametrize("blob, message", [
    (npy(dtype="|O"), "only plain numeric"),
    (npy(dtype=[("a", "<f8")], data=b"\0" * 16), "only plain numeric"),
    (npy(shape=(10**6, 10**6)), "elements"),
    (npy(shape=(4,)), "promises"),
    (npy(shape=(-1,)), "bad array"),
    (npy(dtype="<c16", data=b"\0" * 32), "only plain numeric"),
    (npy(dtype="<U3"), "only plain numeric"),
    (npy(dtype="<f8", shape="__import__('os')"), "only plain numeric"),
    (b"garbage", "bad array header"),
    (npy(shape=(2,)).replace(b"\x01\x00", b"\x03\x00", 1), "bad array header"),
])
def test_forged_arrays_are_refused_before_allocation(blob, message):
    with pytest.raises(wire.WireError, match=message):
        wire.decode_array(blob)


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.zeros((0, 4)), np.array(3.5),
                                   np.arange(5, dtype=np.uint8), np.ones((2, 1, 3), dtype=bool),
                                   np.arange(6.0).reshape(2, 3).T])
def test_our_npy_bytes_are_real_npy_files(array):
    blob = wire.npy_bytes(array)
    assert np.array_equal(np.load(io.BytesIO(blob), allow_pickle=False), array)
    back = wire.decode_array(blob)
    assert back.dtype == array.dtype and np.array_equal(back, array)


def test_numpys_own_files_decode():
    buffer = io.BytesIO()
    np.save(buffer, np.arange(12, dtype=np.int64).reshape(3, 4), allow_pickle=False)
    assert wire.decode_array(buffer.getvalue()).shape == (3, 4)


def test_a_pickle_payload_is_never_unpickled():
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.array([Weird()], dtype=object), allow_pickle=True)
    with pytest.raises(wire.WireError, match="only plain numeric"):
        wire.decode_array(buffer.getvalue())


@pytest.mark.parametrize("tree", [
    {"t": "array", "i": 5}, {"t": "int", "v": "9" * 400}, {"t": "eval", "v": "1"}, [1, 2],
    {"t": "dict", "v": [[{"t": "str", "v": "k"}]]},
])
def test_malformed_trees_are_refused(tree):
    with pytest.raises(wire.WireError):
        wire.decode_value(tree, [])


def test_deep_nesting_is_refused():
    tree = {"t": "none"}
    for _ in range(100):
        tree = {"t": "list", "v": [tree]}
    with pytest.raises(wire.WireError):
        wire.decode_value(tree, [])


def test_forged_frames_are_refused():
    with pytest.raises(wire.WireError, match="marker"):
        wire.frame_length(b"XXXX" + b"\0" * 8)
    with pytest.raises(wire.WireError, match="cap"):
        wire.frame_length(wire.MAGIC + struct.pack(">Q", 2**40))
    good = wire.encode_message({"a": 1}, [b"xyz"])[12:]
    for broken in (good[:-1], good + b"!", struct.pack(">I", 2**31) + good[4:]):
        with pytest.raises(wire.WireError):
            wire.parse_message(broken)


def test_functions_reach_only_a_worker():
    blobs: list[bytes] = []
    tree = wire.encode_value((wire.Function("lambda x: np.sqrt(x) + math.pi"),), blobs)
    assert tree["v"][0] == {"t": "function", "v": "lambda x: np.sqrt(x) + math.pi"}
    (slope,) = wire.decode_value(tree, blobs, functions=True)  # what the worker does
    assert slope(4.0) == 2.0 + np.pi
    with pytest.raises(wire.WireError, match="function"):  # what the grader does
        wire.decode_value(tree, blobs)


def test_a_function_may_be_a_def():
    f = wire.Function("def f(x):\n    return 3 * x\n").build()
    assert f(2) == 6
    with pytest.raises(ValueError, match="exactly one"):
        wire.Function("def f(x): return x\ndef g(x): return x").build()
    with pytest.raises(SyntaxError):  # when the hidden tests are loaded, not in a worker
        wire.Function("lambda x: x +")


def key_of(value) -> bytes:
    digest = hashlib.sha256()
    wire.fingerprint(value, digest.update)
    return digest.digest()


def test_fingerprints_tell_apart_values_that_print_alike():
    values = [np.zeros((2, 3)), np.zeros((3, 2)), np.zeros((2, 3), np.float32), np.zeros(6),
              [np.zeros(1)], (np.zeros(1),), {"a": 1}, {"a": 1.0}, {"a": "1"}, "1", 1, 1.0,
              ["ab", "c"], ["a", "bc"], np.float64(0.0), np.array(0.0)]
    assert len({key_of(value) for value in values}) == len(values)


def test_a_changed_array_never_keeps_its_old_fingerprint():
    writeable = np.arange(6.0)
    before = key_of({"W": writeable})
    writeable[0] = 9.0
    assert key_of({"W": writeable}) != before
    base = np.arange(6.0)
    view = base[:3]
    view.flags.writeable = False  # read-only, but its base is not: it can still change
    before = key_of(view)
    base[0] = 9.0
    assert key_of(view) != before


def test_read_only_arrays_are_hashed_once_and_recognised_by_identity(monkeypatch):
    hashed = []
    real = hashlib.sha256

    def counting(*args):
        hashed.append(args)
        return real(*args)

    def key_of(value) -> bytes:  # the outer digest is not counted
        digest = real()
        wire.fingerprint(value, digest.update)
        return digest.digest()

    frozen_input = checks.frozen({"X": np.arange(6.0).reshape(2, 3), "ws": [np.ones(2)]})
    decoded = roundtrip(np.arange(4.0))  # what a worker sent: read-only bytes underneath
    assert not frozen_input["X"].flags.writeable and not frozen_input["ws"][0].flags.writeable
    first = key_of((frozen_input, decoded))
    monkeypatch.setattr(wire.hashlib, "sha256", counting)
    assert key_of((frozen_input, decoded)) == first and hashed == []
    key_of(np.arange(3.0))  # a writeable array is hashed every time
    key_of(np.arange(3.0))
    assert len(hashed) == 2
    owner = frozen_input["X"].base
    owner.flags.writeable = True  # set back and changed: never the remembered digest
    owner[0] = 99.0
    assert key_of((frozen_input, decoded)) != first


# --------------------------------------------------------------------------- hostile replies
# Whatever a worker sends, decoding gives plain data or a WireError, never another exception
# (which would make the whole submission "not gradable" instead of failing one call), and
# never one of the safety net's "unforeseen" ones: every way in is checked on purpose.


def frame_body(header: dict, blobs=()) -> bytes:
    return wire.encode_message(header, list(blobs))[12:]


def decode_reply(body, limit=float("inf")):
    """What the grader does with a reply's body: parse it, decode its value."""
    header, blobs = wire.parse_message(body)
    return wire.decode_value(header.get("value"), wire.Blobs(blobs, limit=limit))


def refused(body, match: str | None = None) -> wire.WireError:
    with pytest.raises(wire.WireError, match=match) as info:
        decode_reply(body)
    assert "unforeseen" not in str(info.value), info.value
    return info.value


def test_a_blob_is_decoded_at_most_once():
    blob = wire.npy_bytes(np.zeros(1000))
    twice = {"t": "list", "v": [{"t": "array", "i": 0}, {"t": "array", "i": 0}]}
    refused(frame_body({"value": twice}, [blob]), "more than once")
    shared = wire.Blobs([blob])  # the replies of one planned request share their blobs
    assert wire.decode_value({"t": "array", "i": 0}, shared).shape == (1000,)
    with pytest.raises(wire.WireError, match="more than once"):
        wire.decode_value({"t": "array", "i": 0}, shared)


def test_what_a_reply_builds_is_counted_and_capped():
    blobs = [wire.npy_bytes(np.zeros(1000)), wire.npy_bytes(np.zeros(1000))]
    taken = wire.Blobs(blobs, limit=10_000)
    wire.decode_value({"t": "array", "i": 0}, taken)
    assert 8000 < taken.decoded < 8000 + 1024  # the blob, and a node
    with pytest.raises(wire.TooMuchData):
        wire.decode_value({"t": "tuple", "v": [{"t": "str", "v": "x"},
                                               {"t": "array", "i": 1}]}, taken)
    assert 8000 < taken.decoded < 8000 + 1024  # a value that failed is not counted
    many = {"t": "list", "v": [{"t": "none"}] * 50_000}  # no blob, still memory
    with pytest.raises(wire.TooMuchData):
        wire.decode_value(many, wire.Blobs([], limit=1 << 20))


@pytest.mark.parametrize("tree, match", [
    ({"t": "int", "v": "12abc"}, "malformed value of tag 'int'"),
    ({"t": "int", "v": "1" * 301}, "malformed value of tag 'int'"),  # over what we encode
    ({"t": "int", "v": "١٢"}, "malformed value of tag 'int'"),  # digits int() would take
    ({"t": "int", "v": 12}, "malformed value of tag 'int'"),
    ({"t": "float", "v": "0.69 nats"}, "not a float"),
    ({"t": "float", "v": 0.5}, "malformed value of tag 'float'"),
    ({"t": "bool", "v": "yes"}, "malformed value of tag 'bool'"),
    ({"t": 3}, "malformed value"),
    ({"t": "array", "i": True}, "refers to no blob"),
    ({"t": "array", "i": -1}, "refers to no blob"),
    ({"t": "array", "i": 0.0}, "refers to no blob"),
    ({"t": "opaque", "type": ["x"]}, "malformed value of tag 'opaque'"),
    ({"t": "dict", "v": [[{"t": "str", "v": "k"}, {"t": "none"}, 3]]}, "dict entry"),
])
def test_wrong_types_and_texts_in_tags_are_refused(tree, match):
    refused(frame_body({"value": tree}), match)


@pytest.mark.parametrize("shape", ["(0, 9999999999, 9999999999)", "(0, 4194305)",
                                   "(0,) + (99999,) * 31", "(-3,)", "(1.5,)", "(nan,)",
                                   "(2, 2, 2) * 11", "()"])
def test_absurd_dimensions_are_refused_even_with_no_data(shape):
    text = repr(eval(shape)) if "nan" not in shape else shape
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {text}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b""
    body = frame_body({"value": {"t": "array", "i": 0}}, [blob])
    if shape == "()":  # one element promised, none sent
        refused(body, "promises")
    else:
        refused(body)


def test_every_dtype_the_header_pattern_admits_decodes_or_is_refused():
    for order in ("", "<", ">", "|", "="):
        for kind in "biuf":
            for size in range(1, 100):
                descr = f"{order}{kind}{size}"
                header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': (0,), }}\n"
                blob = (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
                try:
                    assert wire.decode_array(blob).size == 0
                except wire.WireError:
                    pass


def test_a_number_past_pythons_digit_limit_is_a_malformed_message():
    value = b'{"ok": true, "value": {"t": "int", "v": ' + b"7" * 5000 + b'}, "blobs": 0}'
    body = struct.pack(">I", len(value)) + value
    assert "digits" in str(refused(body, "malformed message"))


@pytest.mark.parametrize("header", [
    b'{"blobs": 0, "value": {"t": "list", "v": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    b'{"blobs": 0, "value": {"t": "str", "v": "\xff\xfe"}}',  # not UTF-8
    b"[1, 2]", b'{"blobs": 1.0}', b'{"blobs": -1}',
    b'{"blobs": NaN}', b"",
])
def test_unreadable_headers_are_malformed_messages(header):
    refused(struct.pack(">I", len(header)) + header, "malformed message|header|blob count")


def test_text_from_a_worker_never_holds_a_lone_surrogate():
    tree = {"t": "dict", "v": [[{"t": "str", "v": "k\ud800"}, {"t": "str", "v": "v\udfff"}],
                               [{"t": "str", "v": "ok"}, {"t": "opaque", "type": "T\ud83d"}]]}
    back = decode_reply(frame_body({"value": tree}))  # json.dumps escapes them: "\ud800"
    assert json.dumps(back, default=repr, ensure_ascii=False).encode("utf-8")
    assert back == {"k?": "v?", "ok": wire.Opaque("T?")}
    assert wire.clean_text("😀 pair ok") == "😀 pair ok"


def test_unhashable_keys_are_named_not_trusted():
    tree = {"t": "dict", "v": [[{"t": "list", "v": [{"t": "int", "v": "1"}]}, {"t": "none"}],
                               [{"t": "array", "i": 0}, {"t": "none"}]]}
    back = decode_reply(frame_body({"value": tree}, [wire.npy_bytes(np.arange(10**5))]))
    assert list(back)[0] == "[1]" and all(type(key) is str and len(key) <= 200 for key in back)


# ------------------------------------------------------------------- fuzzing (hypothesis)

JSON_LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
               | st.text(max_size=20))
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)
TAGS = ["none", "bool", "int", "float", "str", "array", "list", "tuple", "dict", "function",
        "opaque", "eval"]
TREES = st.recursive(
    st.builds(lambda t, v, i, s: {"t": t, "v": v, "i": i, "scalar": s, "type": v},
              st.sampled_from(TAGS), JSON_LEAVES, st.integers(-2, 4), st.booleans()),
    lambda inner: st.builds(lambda t, v: {"t": t, "v": v}, st.sampled_from(
        ["list", "tuple", "dict"]), st.lists(inner | st.lists(inner, max_size=3), max_size=4)),
    max_leaves=25)
ARRAYS = st.sampled_from([np.zeros((2, 3)), np.arange(7, dtype=np.int32), np.array(2.5),
                          np.ones((1, 0, 2), dtype=bool), np.float32(1.5),
                          np.asfortranarray(np.arange(6.0).reshape(2, 3))])
REPLIES = st.recursive(ARRAYS | JSON_LEAVES, lambda inner: st.lists(inner, max_size=4)
                       | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner,
                                                                   max_size=3), max_leaves=12)
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


def real_frame(value) -> bytes:
    """What an honest worker sends: the reply to a call that returned ``value``."""
    blobs: list[bytes] = []
    return frame_body({"ok": True, "value": wire.encode_value(value, blobs)}, blobs)


def only_wire_errors(body) -> None:
    """Decoding ``body`` (as bytes and as the view the session hands on) returns or refuses."""
    for form in (bytes(body), memoryview(bytearray(body))):
        try:
            decode_reply(form, limit=1 << 20)
        except wire.WireError as exc:
            assert "unforeseen" not in str(exc), exc


@FUZZ
@given(REPLIES, st.data())
def test_fuzz_mutated_header_values(value, data):
    header, blobs = wire.parse_message(real_frame(value))
    nodes = []  # (container, key) of every JSON value in the header

    def walk(node):
        if isinstance(node, (dict, list)):
            for key in (node if isinstance(node, dict) else range(len(node))):
                nodes.append((node, key))
                walk(node[key])
    walk(header)
    for _ in range(data.draw(st.integers(1, 3))):
        container, key = data.draw(st.sampled_from(nodes))
        container[key] = data.draw(JSON | TREES)
    only_wire_errors(_reframe(header, blobs))


def _reframe(header: dict, blobs: list) -> bytes:
    """``header`` (its blob count as mutated, or the real one) and ``blobs``, framed."""
    head = json.dumps(header).encode()
    return struct.pack(">I", len(head)) + head + b"".join(
        struct.pack(">Q", len(blob)) + bytes(blob) for blob in blobs)


@FUZZ
@given(REPLIES, st.data())
def test_fuzz_mutated_bytes(value, data):
    body = bytearray(real_frame(value))
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(body)))
        action = data.draw(st.sampled_from(["set", "insert", "delete"]))
        byte = data.draw(st.integers(0, 255))
        if action == "set" and position < len(body):
            body[position] = byte
        elif action == "insert":
            body[position:position] = bytes([byte]) * data.draw(st.integers(1, 9))
        else:
            del body[position:position + data.draw(st.integers(1, 9))]
    only_wire_errors(body)


@FUZZ
@given(st.lists(st.integers(-(2**40), 2**40) | st.sampled_from([0, 1, 9999999999]),
                max_size=40),
       st.sampled_from(["<f8", "|b1", ">i4", "<u2", "f3", "<c16", "|O", "<f8'", "u"]),
       st.booleans(), st.binary(max_size=64), TREES)
def test_fuzz_forged_array_headers(shape, descr, fortran, data, tree):
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {tuple(shape)!r}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data
    only_wire_errors(_reframe({"value": {"t": "array", "i": 0, "scalar": fortran},
                               "blobs": 1}, [blob]))
    only_wire_errors(_reframe({"value": tree, "blobs": 1}, [blob]))


@FUZZ
@given(JSON | TREES)
def test_fuzz_arbitrary_json(tree):
    only_wire_errors(_reframe({"ok": True, "value": tree, "blobs": 0}, []))
    only_wire_errors(_reframe(tree if isinstance(tree, dict) else {"x": tree}, []))
