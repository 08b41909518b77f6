"""What one student (or one odd download) can do to an export costs only that student, and what
is read is exactly what the platform wrote (issue 24 items 2, 3, 4 and 7, the Canvas note;
issue 25 item 9; issue 27's Classroom download).

Every case is graded through the CLI with ``--jobs 1`` and ``--jobs 2``: the rest of the class
keeps its exact scores, the student it concerns gets a not-gradable report saying why, and the
instructor's terminal names what was not graded.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import exports
import pytest
from conftest import ROOT, SOLUTIONS, run_cli

from grader.grading.results import safe_text
from grader.loading import archive, layouts
from grader.loading.layouts import detect, discover_all

JOBS = pytest.mark.parametrize("jobs", ["1", "2"])


def grade(jobs: str, *args):
    return run_cli("-a", "one_hidden_layer", "--solutions", SOLUTIONS, "--no-plots",
                   "-j", jobs, *args)


def models(out: Path) -> dict:
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grader.json")}


def outcome(out: Path) -> dict:
    """student -> score, or "not gradable" """
    return {student: data["score"] if data["status"] == "graded" else "not gradable"
            for student, data in models(out).items()}


# ---------------------------------------------------------------- Moodle: file names


def moodle_flat(root: Path, extra: dict[str, str]) -> Path:
    """Moodle's download without folders: the prefix on each file."""
    folder = root / "ML101-Backprop-flat"
    folder.mkdir(parents=True)
    for name, participant, text in (("Ada Lovelace", 101, exports.CORRECT),
                                    ("Grace Hopper", 102, exports.KEEPDIMS)):
        (folder / f"{name}_{participant}_assignsubmission_file_backprop.py").write_text(text)
    for name, text in extra.items():
        (folder / name).write_text(text)
    return folder


@JOBS
def test_a_file_named_like_another_participants_is_refused_not_reassigned(tmp_path, jobs):
    """Participant 202 uploads ``x_101_assignsubmission_file_backprop-9.py``: Moodle files it
    as 202's; it used to be read as participant 101's latest re-upload (101 graded on the
    stub). Now 101 keeps 100, 202 is not gradable saying why, and the terminal names it."""
    attack = "Mal Ory_202_assignsubmission_file_x_101_assignsubmission_file_backprop-9.py"
    folder = moodle_flat(tmp_path, {attack: exports.STUB})
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, folder)
    assert result.exit_code == 0, result.output
    assert outcome(out) == {"101": 100, "102": 96, "202": "not gradable"}
    assert models(out)["101"]["origin"]["files"] == [
        str(folder / "Ada Lovelace_101_assignsubmission_file_backprop.py")]
    reason = models(out)["202"]["reason"]
    assert "could be participant 202's or 101's" in reason and "backprop-9.py" in reason
    assert "refused: its name could belong to participant 202 or 101" in result.output
    for page in ("summary.md", "index.html"):  # the class pages name it too
        assert "its name could belong to participant 202 or 101" in (out / page).read_text()


def test_moodle_names_follow_the_whole_pattern(tmp_path):
    """Moodle writes a name's underscores as spaces: a name part with ``_`` is not Moodle's;
    in a folder where every entry is Moodle's it is named, not graded for anyone."""
    folder = moodle_flat(tmp_path, {"Ada Lovelace_101_assignsubmission_onlinetext_onlinetext.html":
                                    "<p>see my file</p>"})
    assert detect(folder) == "moodle"  # another plugin's entry (online text) is Moodle's too
    (folder / "Eve_Evil_103_assignsubmission_file_backprop.py").write_text(exports.STUB)
    assert detect(folder) == "flat"  # not every entry is Moodle's: plain files, with a note
    with discover_all([folder]) as found:
        assert any("named like a Moodle export's, not all" in note for note in found.notes)
    with discover_all([folder], layout="moodle") as found:
        assert {s.student for s in found.submissions} == {"101", "102"}
        assert any("Eve_Evil_103" in note and "not graded" in note for note in found.notes)


# ---------------------------------------------------------------- one upload, one student


def canvas_zip_with(root: Path, members: list[tuple[str, bytes]]) -> Path:
    path = root / "submissions.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in exports.CANVAS_FILES.items():
            out.writestr(name, text)
        for name, data in members:
            out.writestr(name, data)
    return path


@JOBS
def test_duplicates_and_an_oversized_file_cost_only_their_student(tmp_path, jobs):
    """Canvas's zip: Kurt uploaded ``Backprop.py`` and ``backprop.py``; Emmy one file past the
    per-file cap (zeros: a small zip). The class is graded; each of them is not gradable,
    saying why; the terminal names the members left in the archive."""
    big = b"#" * (archive.MAX_MEMBER_BYTES + 1)
    path = canvas_zip_with(tmp_path, [
        ("goedelkurt_56789_987005_Backprop.py", exports.CORRECT.encode()),
        ("goedelkurt_56789_987005_backprop.py", exports.STUB.encode()),
        ("noetheremmy_45678_987004_backprop.py", big)])
    assert path.stat().st_size < 1_000_000
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, path)
    assert result.exit_code == 0, result.output
    assert outcome(out) == {"12345": 100, "23456": 96, "34567": 78,
                            "56789": "not gradable", "45678": "not gradable"}
    kurt, emmy = models(out)["56789"]["reason"], models(out)["45678"]["reason"]
    assert "2 files named like it" in kurt and "ambiguous" in kurt
    assert f"over the cap of {archive.MAX_MEMBER_BYTES} per file" in emmy
    assert "submissions.zip: goedelkurt_56789_987005_Backprop.py not extracted" in result.output
    assert "noetheremmy_45678_987004_backprop.py not extracted" in result.output


@JOBS
def test_too_many_files_cost_only_their_student(tmp_path, jobs):
    export = exports.moodle_export(tmp_path / "e")
    mallory = export / "Mal Ory_202_assignsubmission_file_"
    mallory.mkdir()
    for number in range(layouts.MAX_FILES_PER_STUDENT + 1):
        (mallory / f"part{number:03d}.py").write_text("x = 1\n")
    path = exports.zip_folder(export, tmp_path / "moodle.zip")
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, path)
    assert result.exit_code == 0, result.output
    assert outcome(out) == {"101": 100, "102": 96, "103": 78, "202": "not gradable"}
    assert f"over the cap of {layouts.MAX_FILES_PER_STUDENT}" in models(out)["202"]["reason"]


def test_an_uploaded_virtual_environment_is_not_their_code(tmp_path):
    """A Gradescope student who uploaded their whole project: files in hidden folders, caches
    and a virtual environment are neither candidates nor counted against the cap."""
    export = exports.gradescope_export(tmp_path)
    project = export / "submission_1001"
    for name in ("venv/pyvenv.cfg", "venv/lib/python3.12/site-packages/numpy/core.py",
                 "env/lib/site-packages/x.py", ".ipynb_checkpoints/backprop-checkpoint.ipynb",
                 "__pycache__/backprop.py", "src/helpers.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("x = 1\n")
    with discover_all([export]) as found:
        ada = next(s for s in found.submissions if s.student == "S001")
    assert [p.relative_to(project).as_posix() for p in ada.candidates] == [
        "backprop.py", "src/helpers.py"]


def test_refused_members_leave_an_empty_placeholder(tmp_path):
    """Without ``refused`` the archive is refused as before; with it, only the member is:
    an empty placeholder stands where the layout will look for it."""
    path = tmp_path / "one.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("big.py", b"\0" * (archive.MAX_MEMBER_BYTES + 2))
        out.writestr("a/x.py", b"1")
        out.writestr("a/X.py", b"2")
        out.writestr("ok.py", b"x = 1\n")
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(archive.UnsafeArchive, match="big.py"):
        archive.extract(path, dest)
    dest = tmp_path / "dest2"
    dest.mkdir()
    refused: dict = {}
    archive.extract(path, dest, refused)
    assert sorted(refused) == [dest / "a" / "X.py", dest / "a" / "x.py", dest / "big.py"]
    assert all(p.stat().st_size == 0 for p in refused)
    assert (dest / "ok.py").read_text() == "x = 1\n"


# ---------------------------------------------------------------- Gradescope: the alias bomb

# 0.6 KB: nine levels of ten aliases, a billion strings when expanded
BOMB = "".join([
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n',
    *(f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n"
      for a, b in zip("abcdefgh", "bcdefghi", strict=True)),
    "submission_1001:\n  :submitters:\n  - :name: *i\n    :sid: *i\n    :email: *i\n",
    "submission_1002:\n  :submitters:\n  - :name: *i\n    :sid: *i\n",
    "submission_1003:\n  :submitters:\n  - :sid: *i\n  :created_at: *i\n",
])


def bomb_export(root: Path) -> Path:
    export = exports.gradescope_export(root)
    (export / "submission_metadata.yml").write_text(BOMB)
    return export


def test_the_alias_bomb_is_refused_at_once_in_bounded_memory(tmp_path):
    """In a process limited to 1 GiB of address space and 20 s of CPU (the bomb took 2.2 GiB
    and 37 s), discovery names the metadata file and finds every submission folder."""
    assert len(BOMB.encode()) < 1300
    export = bomb_export(tmp_path)
    script = ("import resource, sys\n"
              "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
              "resource.setrlimit(resource.RLIMIT_CPU, (20, 20))\n"
              "from grader.loading.layouts import discover_all\n"
              "with discover_all([sys.argv[1]]) as found:\n"
              "    print(sorted(s.student for s in found.submissions))\n"
              "    print(found.notes)\n")
    done = subprocess.run([sys.executable, "-c", script, str(export)], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "['submission_1001', 'submission_1002', 'submission_1003']" in done.stdout
    assert "submission_metadata.yml is not readable YAML" in done.stdout
    assert "alias" in done.stdout


@JOBS
def test_a_bad_metadata_file_is_named_and_the_class_still_graded(tmp_path, jobs):
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, bomb_export(tmp_path))
    assert result.exit_code == 0, result.output
    assert outcome(out) == {"submission_1001": 100, "submission_1002": 96,
                            "submission_1003": 78}
    assert "submission_metadata.yml is not readable YAML" in result.output
    assert "graded under its own name" in result.output


def test_metadata_has_a_size_cap(tmp_path, monkeypatch):
    export = exports.gradescope_export(tmp_path)
    monkeypatch.setattr(layouts, "MAX_METADATA_BYTES", 100)
    with discover_all([export]) as found:
        assert any("over the cap of 100 bytes" in note for note in found.notes)
        assert len(found.submissions) == 3


# ---------------------------------------------------------------- bidi and zero-width


def test_every_format_character_is_made_visible():
    """Each code point of Unicode categories Cf, Zl and Zp (this Python's database) comes out
    as a visible escape; ordinary letters, emoji and CJK stay."""
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Zl", "Zp"):
            shown = safe_text(f"a{char}b")
            assert char not in shown and "\\" in shown, hex(code)
    assert safe_text("\u202eevil\u200b") == "\\u202eevil\\u200b"
    assert safe_text("\U000e0041") == "\\U000e0041"
    assert safe_text("Grâce 😀 李") == "Grâce 😀 李"


HIDDEN = "\u202e\u2066\u200b\u200d\ufeff\u2028"


def bidi_submission() -> str:
    """The correct solution whose compute_cost raises a message full of format characters."""
    return exports.CORRECT + (
        "\n\ndef compute_cost(A2, Y):\n"
        f"    raise ValueError('cost {HIDDEN} gpj.exe')\n")


def format_characters_in(text: str) -> list[str]:
    return sorted({hex(ord(c)) for c in text if unicodedata.category(c) in ("Cf", "Zl", "Zp")})


@JOBS
def test_names_and_messages_render_as_they_are(tmp_path, jobs):
    """A Moodle name and a message with bidi controls and zero-width characters, and a roster
    name: no report file and no console line holds them raw; they show as escapes."""
    export = tmp_path / "moodle"
    export.mkdir()
    student = export / f"Ada{HIDDEN}Lovelace_101_assignsubmission_file_"
    student.mkdir()
    (student / "backprop.py").write_text(bidi_submission())
    roster = tmp_path / "roster.csv"
    roster.write_text(f"id,name,email\n101,Ada{HIDDEN},ada@uni.example\n"
                      f"102,Emmy{HIDDEN}Noether,emmy@uni.example\n", encoding="utf-8")
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, "--roster", roster, export)
    assert result.exit_code == 0, result.output
    assert format_characters_in(result.output) == []
    for name in ("summary.csv", "summary.md", "index.html", "canvas.csv", "junit.xml",
                 "101/report.html", "101/grader.json", "101/results.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert format_characters_in(text) == [], name
    assert "\\u202e" in (out / "summary.csv").read_text()  # the name, shown
    assert "\\u202e" in (out / "101" / "report.html").read_text()  # the message
    assert "Emmy\\u202e" in (out / "index.html").read_text()  # the roster's missing student
    assert "\\u202e" in (out / "junit.xml").read_text()
    rows = list(csv.reader((out / "canvas.csv").open(newline="", encoding="utf-8")))
    assert any("Emmy\\u202e" in cell for row in rows for cell in row)


# ---------------------------------------------------------------- Canvas detection


def test_a_folder_of_name_number_files_is_not_canvas(tmp_path):
    """``name_05_rest.py`` files used to be taken for Canvas's (ids ``05``): Canvas's whole
    pattern has a user id and a submission id, neither starting with 0."""
    for name in ("lab_05_ada.py", "lab_07_grace.py"):
        (tmp_path / name).write_text(exports.CORRECT)
    assert detect(tmp_path) == "flat"
    with discover_all([tmp_path]) as found:
        assert {s.student for s in found.submissions} == {"lab_05_ada", "lab_07_grace"}
        (note,) = found.notes
    assert "graded as plain files" in note and "--layout canvas" in note


@JOBS
def test_an_ambiguous_folder_is_graded_flat_with_a_note(tmp_path, jobs):
    folder = exports.canvas_folder(tmp_path)
    (folder / "extra_credit.py").write_text(exports.CORRECT)
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, folder)
    assert result.exit_code == 0, result.output
    assert "extra_credit" in models(out) and "lovelaceada_12345_987001_backprop" in models(out)
    assert "look like a Canvas export's, but not every one" in result.output
    assert "look like a Canvas export's, but not every one" in (out / "summary.md").read_text()


# ---------------------------------------------------------------- nbgrader without timestamps


def nbgrader_by_hand(root: Path) -> Path:
    course = exports.nbgrader_course(root)
    for stamp in (course / "submitted").glob("*/*/timestamp.txt"):
        stamp.unlink()
    return course


@pytest.mark.parametrize("given", ["course", "submitted"])
def test_nbgrader_folders_placed_by_hand_are_recognised(tmp_path, given):
    course = nbgrader_by_hand(tmp_path)
    path = course if given == "course" else course / "submitted"
    assert detect(path) == "nbgrader"
    with discover_all([path], assignment="one_hidden_layer") as found:
        subs = {s.student: s for s in found.submissions}
    assert set(subs) == {"ada", "grace", "alan"}
    assert "submitted_at" not in subs["ada"].origin and subs["ada"].origin["platform"] == \
        "nbgrader"


def test_a_broken_timestamp_costs_only_its_student(tmp_path, monkeypatch):
    """``nbgrader submit`` writes timestamp.txt on the student's side: one that cannot be read
    (here: over the metadata cap) makes that student not gradable, not the class."""
    course = exports.nbgrader_course(tmp_path)
    (course / "submitted" / "grace" / "one_hidden_layer" / "timestamp.txt").write_text(
        "2025-03-03 08:00:00 UTC" + " " * 200)
    monkeypatch.setattr(layouts, "MAX_METADATA_BYTES", 100)
    with discover_all([course], assignment="one_hidden_layer") as found:
        subs = {s.student: s for s in found.submissions}
    assert subs["grace"].problem.startswith("its timestamp.txt was not read")
    assert not subs["ada"].problem and subs["ada"].origin["submitted_at"].startswith("2025")


def test_a_folder_of_folders_not_named_submitted_stays_flat(tmp_path):
    """Without timestamps, only nbgrader's own folder name says it is nbgrader's."""
    (tmp_path / "ada" / "one_hidden_layer").mkdir(parents=True)
    (tmp_path / "ada" / "one_hidden_layer" / "backprop.py").write_text("x = 1\n")
    assert detect(tmp_path) == "flat"


@JOBS
def test_nbgrader_by_hand_graded(tmp_path, jobs):
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, nbgrader_by_hand(tmp_path))
    assert result.exit_code == 0, result.output
    assert outcome(out) == {"ada": 100, "grace": 96, "alan": 78}
    assert models(out)["ada"]["origin"]["platform"] == "nbgrader"


# ---------------------------------------------------------------- GitHub Classroom


def test_the_classroom_download_is_recognised(tmp_path):
    folder = exports.classroom_download(tmp_path)
    assert detect(folder) == "classroom"
    assert (folder / f"{exports.CLASSROOM_SLUG}-aturing" / ".git").is_dir()
    # the same clones under another folder name: two or more git clones with a common prefix
    moved = tmp_path / "downloads"
    os.rename(folder, moved)
    assert detect(moved) == "classroom"
    with discover_all([moved]) as found:
        assert {s.student for s in found.submissions} == {
            *exports.CLASSROOM_IDS.values(), "emmy-n"}


@JOBS
def test_grading_a_classroom_download_under_the_logins(tmp_path, jobs):
    roster = tmp_path / "classroom_roster.csv"
    roster.write_text(exports.CLASSROOM_ROSTER)
    out = tmp_path / "out"
    result = grade(jobs, "-o", out, "--roster", roster, exports.classroom_download(tmp_path))
    assert result.exit_code == 0, result.output
    expected = {exports.CLASSROOM_IDS[name]: score for name, score in exports.SCORES.items()}
    assert outcome(out) == {**expected, "emmy-n": "not gradable"}
    data = models(out)
    assert data["aturing"]["source_file"].endswith(
        f"{exports.CLASSROOM_SLUG}-aturing/src/backprop.py")
    assert data["GraceHopper"]["source_file"].endswith("-GraceHopper/backprop.py")
    assert "graded" in data["GraceHopper"]["origin"]["chosen"]
    assert data["ada-lovelace"]["origin"]["platform"] == "classroom"
    assert "has no backprop.py" in data["emmy-n"]["reason"]
    assert "notes.py" in data["emmy-n"]["reason"]
    assert "No submission from 1 student(s) on the roster: Kurt Goedel" in result.output
    rows = {row[0]: row for row in csv.reader((out / "canvas.csv").open(newline=""))}
    assert rows["Kurt Goedel"][3] == "kurt@uni.example"


def test_a_classroom_download_as_a_zip_and_forced(tmp_path):
    folder = exports.classroom_download(tmp_path / "build")
    path = exports.zip_folder(folder, tmp_path / "download.zip",
                              prefix=f"{exports.CLASSROOM_SLUG}-submissions/")
    with discover_all([path]) as found:
        assert found.layouts == ["classroom"]
        assert "ada-lovelace" in {s.student for s in found.submissions}
    single = tmp_path / "one"
    single.mkdir()
    os.rename(folder / f"{exports.CLASSROOM_SLUG}-aturing", single / "my-repo")
    assert detect(single) == "flat"  # one folder, no -submissions name: not recognised
    with discover_all([single], layout="classroom") as found:
        (one,) = found.submissions
        assert one.student == "my-repo"
        assert any("not named <assignment>-<login>" in note for note in found.notes)
