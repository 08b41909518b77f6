"""No file name refuses a batch: every file gets its own student id, the same in every shard
and on --resume, never an option, ``.``/``..``, a class file's name, or a case-only twin of
another; grader.json and summary.csv say which file each id stands for."""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, SOLUTIONS, run_cli

from grader.loading.submission import MAX_ID_LENGTH, RESERVED_IDS, assign_ids, discover, printable

# file names that broke or would break a batch, beside ordinary ones
NAMES = ["é.py", "ü.py", "a b.py", "a_b.py", "a_b-2.py", "-rf.py", "--.py", "..py", "-.ipynb",
         ".hidden.py", "index.html.py", "Summary.CSV.py", "Ada.py", "ada.ipynb", "ADA.py",
         "bell\x07\x1b[2J\u202e.py", "tab\there.py", "x" * 250 + ".py", "x" * 240 + "y.py"]
NOT_UTF8 = b"\xff\xfe.py"


def make_class(folder: Path) -> list[Path]:
    """Every name in NAMES (and one that is not UTF-8) as a stub submission."""
    folder.mkdir(parents=True)
    stub = (EXAMPLES / "stub.py").read_text()
    for name in NAMES:
        (folder / name).write_text(stub)
    with open(os.path.join(os.fsencode(folder), NOT_UTF8), "w") as handle:
        handle.write(stub)
    return sorted(folder.iterdir())


def grade(*args) -> object:
    return run_cli("-a", "one_hidden_layer", "--solutions", SOLUTIONS, "--no-plots", *args)


def mapping(out: Path) -> dict[str, str]:
    """Student id -> source_file, from every grader.json under ``out``."""
    return {model.parent.name: json.loads(model.read_text())["source_file"]
            for model in out.glob("*/grader.json")}


def test_ids_are_safe_distinct_and_independent_of_order(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "ada.py").write_text("")  # a case-only twin of Ada.py, from another folder
    paths = make_class(tmp_path / "class") + [other / "ada.py"]
    ids = {s.path: s.student for s in assign_ids(paths)}
    assert len(ids) == len(paths)
    folded = [student.lower() for student in ids.values()]
    assert len(set(folded)) == len(folded), "two ids differ only by case"
    for student in ids.values():
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", student), student  # no -x, no .x
        assert len(student) <= MAX_ID_LENGTH + 3 and student.lower() not in RESERVED_IDS
    by_name = {path.name: student for path, student in ids.items()
               if path.parent.name == "class"}
    assert by_name["a_b.py"] == "a_b" and by_name["a b.py"] == "a_b-3"  # a_b-2.py is taken
    # five names clean to "_": "--" and "-" and "." are stripped to nothing, é and ü replaced
    assert [by_name[name] for name in ("--.py", "-.ipynb", "..py", "é.py", "ü.py")] == [
        "_", "_-2", "_-3", "_-4", "_-5"]
    assert by_name["x" * 250 + ".py"] == "x" * MAX_ID_LENGTH
    assert by_name["x" * 240 + "y.py"] == "x" * MAX_ID_LENGTH + "-2"
    assert by_name["-rf.py"] == "rf" and by_name["index.html.py"] == "index.html-2"
    assert (by_name["ADA.py"], by_name["Ada.py"], by_name["ada.ipynb"]) == (
        "ADA", "Ada-2", "ada-3")
    assert ids[other / "ada.py"] == "ada-4"
    for _ in range(20):  # any listing order, any subset order: the same ids
        shuffled = random.sample(paths, len(paths))
        assert {s.path: s.student for s in assign_ids(shuffled)} == ids


def test_a_file_named_twice_is_one_submission(tmp_path):
    make_class(tmp_path / "class")
    twice = discover([tmp_path / "class", tmp_path / "class" / "a_b.py"])
    assert sum(s.path.name == "a_b.py" for s in twice) == 1


def test_every_name_is_graded_mapped_and_stable_across_shards_and_resume(tmp_path):
    paths = make_class(tmp_path / "class")
    out = tmp_path / "out"
    result = grade("-o", out, "--jobs", "2", tmp_path / "class")
    assert result.exit_code == 0, result.output
    everyone = mapping(out)
    assert sorted(everyone.values()) == sorted(printable(path) for path in paths)
    assert not any(ch in text for text in everyone.values() for ch in "\x07\x1b\t\u202e")
    with open(out / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student"]: row["source_file"] for row in csv.DictReader(handle)}
    assert rows == everyone
    for student in everyone:
        assert json.loads((out / student / "grader.json").read_text())["score"] == 0
    # every shard names every file as the whole batch does
    for k in (1, 2, 3):
        shard = tmp_path / f"shard{k}"
        result = grade("-o", shard, "--jobs", "1", "--shard", f"{k}/3", tmp_path / "class")
        assert result.exit_code == 0, result.output
        assert mapping(shard).items() <= everyone.items()
    merged = run_cli("merge", "-o", tmp_path / "merged",
                     *(tmp_path / f"shard{k}" for k in (1, 2, 3)))
    assert merged.exit_code == 0, merged.output
    assert mapping(tmp_path / "merged") == everyone
    # --resume, with the files listed in another order: every report found, none regraded
    before = {model: model.read_bytes() for model in out.glob("*/grader.json")}
    result = grade("-o", out, "--jobs", "1", "--resume", *reversed(paths))
    assert result.exit_code == 0, result.output
    assert {model: model.read_bytes() for model in out.glob("*/grader.json")} == before


def test_resume_never_reuses_the_report_of_a_file_that_lost_its_id(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(EXAMPLES / "correct.py", folder / "a b.py")
    out = tmp_path / "out"
    assert grade("-o", out, "--jobs", "1", folder).exit_code == 0
    assert mapping(out) == {"a_b": f"{folder}/a b.py"}
    shutil.copy(EXAMPLES / "stub.py", folder / "a_b.py")  # a late file: it takes the id a_b
    result = grade("-o", out, "--jobs", "1", "--resume", folder)
    assert result.exit_code == 0, result.output
    assert mapping(out) == {"a_b": f"{folder}/a_b.py", "a_b-2": f"{folder}/a b.py"}
    scores = {student: json.loads((out / student / "grader.json").read_text())["score"]
              for student in ("a_b", "a_b-2")}
    assert scores == {"a_b": 0, "a_b-2": 100}


@pytest.mark.parametrize("first, second", list(itertools.permutations(["é.py", "ü.py"])))
def test_colliding_names_given_as_files_in_any_order(tmp_path, first, second):
    for name in (first, second):
        shutil.copy(EXAMPLES / "stub.py", tmp_path / name)
    out = tmp_path / "out"
    result = grade("-o", out, "--jobs", "1", tmp_path / first, tmp_path / second)
    assert result.exit_code == 0, result.output  # before: exit 2, nothing graded
    assert mapping(out) == {"_": str(tmp_path / "é.py"), "_-2": str(tmp_path / "ü.py")}
