"""`grade similarity`: copied code is found (renamed variables do not hide it), code only kept
from the released stub is not, and the pages it writes are the instructor's only."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from conftest import EXAMPLES, ROOT, SOLUTIONS, run_cli

pytest.importorskip("copydetect", reason="grade similarity needs the similarity extra")

STUB = ROOT / "assignments" / "one_hidden_layer" / "backprop.py"

# an independent solution: loops and helper functions where correct.py uses numpy one-liners
OWN_WORK = '''
import numpy as np
import math


def initialize_parameters(n_x, n_h, n_y):
    params = {}
    for layer, (rows, cols) in enumerate(((n_h, n_x), (n_y, n_h)), start=1):
        params["W%d" % layer] = 0.01 * np.random.randn(rows, cols)
        params["b%d" % layer] = np.zeros(shape=(rows, 1))
    return params


def _act(kind, values):
    if kind == "tanh":
        return np.tanh(values)
    out = np.empty_like(values)
    for index, value in np.ndenumerate(values):
        out[index] = 1.0 / (1.0 + math.exp(-value))
    return out
'''


def renamed(text: str) -> str:
    """correct.py with every local name changed, as a copier hides a copy."""
    for old, new in (("A1", "hidden_out"), ("A2", "prob"), ("Z1", "pre1"), ("Z2", "pre2"),
                     ("dZ2", "err_out"), ("dZ1", "err_hidden"), ("logprobs", "terms"),
                     ("parameters", "p"), ("cache", "memo")):
        text = re.sub(rf"\b{old}\b", new, text)
    return text


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    root = tmp_path_factory.mktemp("similarity")
    subs = root / "subs"
    subs.mkdir()
    correct = (EXAMPLES / "correct.py").read_text()
    (subs / "ada.py").write_text(correct)
    (subs / "bob.py").write_text(renamed(correct))
    (subs / "cyd.py").write_text(OWN_WORK)
    shutil.copy(STUB, subs / "dan.py")  # handed in the stub untouched
    shutil.copy(STUB, subs / "eve.py")  # so did she
    out = root / "out"
    result = run_cli("similarity", "-a", "one_hidden_layer", "--solutions", SOLUTIONS,
                     "--stub", STUB, "--format", "json", "-o", out, subs)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), out, subs


def test_a_copy_with_renamed_variables_is_found(found):
    pairs, _, _ = found
    assert pairs and (pairs[0]["a"], pairs[0]["b"]) == ("ada", "bob")
    assert pairs[0]["similarity"] > 0.9


def test_the_stubs_code_and_independent_work_are_not_alike(found):
    pairs, _, _ = found
    flagged = {frozenset((p["a"], p["b"])) for p in pairs}
    assert frozenset(("dan", "eve")) not in flagged  # only the released stub's code
    assert not any("cyd" in pair for pair in flagged)


def test_without_the_stub_its_code_would_count(found, tmp_path):
    _, _, subs = found
    result = run_cli("similarity", "-a", "one_hidden_layer", "--solutions", SOLUTIONS,
                     "--stub", tmp_path / "none.py", "-o", tmp_path / "o", subs)
    assert result.exit_code == 2 and "no stub at" in result.output
    empty = tmp_path / "empty.py"
    empty.write_text("\n")
    result = run_cli("similarity", "-a", "one_hidden_layer", "--solutions", SOLUTIONS,
                     "--stub", empty, "--format", "json", "-o", tmp_path / "o", subs)
    flagged = {frozenset((p["a"], p["b"])) for p in json.loads(result.stdout)}
    assert frozenset(("dan", "eve")) in flagged


def test_csv_and_side_by_side_page(found):
    _, out, _ = found
    rows = list(csv.DictReader((out / "similarity.csv").open(newline="")))
    assert rows[0]["student_a"] == "ada" and rows[0]["student_b"] == "bob"
    assert float(rows[0]["similarity"]) > 0.9
    page = (out / "similarity.html").read_text()
    assert "instructor only" in page.lower() and page.count("<mark>") >= 2
    assert "hidden_out" in page and "A1" in page  # both files, side by side
    assert not list(out.glob("*/report.html"))  # nothing written for students


def test_student_code_cannot_inject_markup(tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    hostile = (EXAMPLES / "correct.py").read_text() + '\n# <script>alert(1)</script>\n'
    (subs / "a.py").write_text(hostile)
    (subs / "b.py").write_text(hostile)
    result = run_cli("similarity", "-a", "one_hidden_layer", "--solutions", SOLUTIONS,
                     "--stub", STUB, "-o", tmp_path / "out", subs)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "similarity.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
