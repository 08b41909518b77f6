"""Platforms' exports graded with no layout flag: each student under the platform's id with the
right score, the export's name and lateness kept, one file chosen per student by a stated
rule; and the archives they come in extracted safely or refused clearly."""

from __future__ import annotations

import csv
import json
import os
import stat
import zipfile
from pathlib import Path

import exports
import pytest
from conftest import SOLUTIONS, run_cli

from grader.errors import UsageError
from grader.loading import archive
from grader.loading.layouts import choose, detect, discover_all


def grade(*args):
    return run_cli("-a", "one_hidden_layer", "--solutions", SOLUTIONS, "--no-plots", "-j", "1",
                   *args)


def models(out: Path) -> dict:
    return {p.parent.name: json.loads(p.read_text()) for p in out.glob("*/grader.json")}


def scores(out: Path) -> dict:
    return {student: data["score"] for student, data in models(out).items()}


def by_name(ids: dict) -> dict:
    return {ids[name]: score for name, score in exports.SCORES.items()}


# ---------------------------------------------------------------- recognising the layouts


@pytest.mark.parametrize("build, layout", [
    (exports.canvas_folder, "canvas"), (exports.gradescope_export, "gradescope"),
    (exports.moodle_export, "moodle"), (exports.nbgrader_course, "nbgrader")])
def test_each_export_is_recognised(tmp_path, build, layout):
    assert detect(build(tmp_path)) == layout


def test_a_flat_folder_stays_flat(tmp_path):
    (tmp_path / "alice.py").write_text("x = 1\n")
    (tmp_path / "bob_2_3_x.txt").write_text("")
    assert detect(tmp_path) == "flat"


def test_canvas_ids_names_and_late_flags(tmp_path):
    with discover_all([exports.canvas_folder(tmp_path)]) as found:
        subs = {s.student: s for s in found.submissions}
    assert set(subs) == set(exports.CANVAS_IDS.values())
    grace = subs["23456"]
    assert grace.origin["late"] is True and grace.origin["name"] == "hoppergrace"
    assert subs["12345"].origin["late"] is False
    chosen = choose(grace, "backprop.py")
    assert chosen.path.name == "hoppergrace_LATE_23456_987002_backprop-1.py"
    assert "graded" in chosen.origin["chosen"] and "scratch.py" in chosen.origin["chosen"]


def test_the_file_named_like_the_assignment_wins_then_the_latest_reupload(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for name in ("a_1_2_zzz.py", "a_1_2_backprop.py", "a_1_2_backprop-2.py",
                 "a_1_2_backprop-1.py", "a_1_2_backprop.ipynb"):
        (folder / name).write_text("x = 1\n")
    with discover_all([folder]) as found:
        (one,) = found.submissions
    assert choose(one, "backprop.py").path.name == "a_1_2_backprop-2.py"
    assert choose(one, "network.py").path.name == "a_1_2_backprop-2.py"  # no match: by name...
    assert "no file is named like network.py" in choose(one, "network.py").origin["chosen"]


def test_gradescope_ids_are_sids_else_emails_with_times(tmp_path):
    with discover_all([exports.gradescope_export(tmp_path)]) as found:
        subs = {s.student: s for s in found.submissions}
    assert set(subs) == set(exports.GRADESCOPE_IDS.values())
    assert subs["S002"].origin["name"] == "Grace Hopper"
    assert subs["S002"].origin["submitted_at"] == "2025-03-02T13:30:00.123456+00:00"
    assert subs["alan_uni.example"].origin["email"] == "alan@uni.example"


def test_gradescope_metadata_cannot_point_out_of_the_export(tmp_path):
    export = exports.gradescope_export(tmp_path / "e")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "backprop.py").write_text("x = 1\n")
    metadata = export / "submission_metadata.yml"
    metadata.write_text(metadata.read_text() + "../../outside:\n  :submitters:\n"
                        "  - :name: Mallory\n    :sid: 'M1'\n")
    with discover_all([export]) as found:
        assert "M1" not in {s.student for s in found.submissions}
        assert len(found.submissions) == 3


def test_nbgrader_needs_the_assignment_named_when_a_student_has_several(tmp_path):
    course = exports.nbgrader_course(tmp_path)
    other = course / "submitted" / "ada" / "ps2"
    other.mkdir()
    (other / "timestamp.txt").write_text("2025-01-01 00:00:00 UTC")
    with discover_all([course], assignment="one_hidden_layer") as found:
        assert {s.student for s in found.submissions} == {"ada", "grace", "alan"}
    with pytest.raises(UsageError, match="none is named 'nope'"):
        discover_all([course], assignment="nope")


def test_a_forced_layout_is_used(tmp_path):
    folder = exports.canvas_folder(tmp_path)
    with discover_all([folder], layout="flat") as found:
        assert len(found.submissions) == 4  # file stems, as before
    with pytest.raises(UsageError, match="--layout"):
        discover_all([folder], layout="banana")


# ---------------------------------------------------------------- graded end to end


def test_canvas_zip_with_a_roster_from_export_to_gradebook(tmp_path):
    """The issue's acceptance test for Canvas: no layout flag, ids from the file names,
    canvas.csv filled from the roster, the student who handed in nothing named."""
    out = tmp_path / "out"
    result = grade("-o", out, "--roster", exports.canvas_gradebook(tmp_path),
                   exports.canvas_zip(tmp_path))
    assert result.exit_code == 0, result.output
    assert scores(out) == by_name(exports.CANVAS_IDS)
    grace = models(out)["23456"]
    assert grace["origin"]["late"] is True
    assert "backprop-1.py" in grace["source_file"] and "submissions.zip:" in grace["source_file"]
    assert "not graded: submissions.zip:hoppergrace_LATE_23456_987002_scratch.py" in \
        grace["origin"]["chosen"]
    assert "No submission from 1 student(s) on the roster: Noether, Emmy" in result.output
    rows = list(csv.reader((out / "canvas.csv").open(newline="")))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible"
    table = {row[1]: row for row in rows[2:]}
    assert table["23456"] == ["Hopper, Grace", "23456", "S002", "grace@uni.example",
                              "Section A", "96"]
    assert table["45678"][5] == ""  # no submission: no grade posted, never a 0
    assert "99999" not in table  # Canvas's test student
    summary = (out / "summary.md").read_text()
    assert "No submission from 1 student(s) on the roster" in summary and "Noether" in summary
    assert "Noether, Emmy" in (out / "index.html").read_text()
    assert "chosen" not in models(out)["12345"]["origin"]  # one file: nothing to choose
    page = (out / "23456" / "report.html").read_text()
    assert "not graded:" in page
    results = json.loads((out / "23456" / "results.json").read_text())
    assert "graded submissions.zip:hoppergrace_LATE_23456_987002_backprop-1.py" in \
        results["output"]


def test_missing_score_zero_only_when_asked(tmp_path):
    out = tmp_path / "out"
    result = grade("-o", out, "--roster", exports.canvas_gradebook(tmp_path),
                   "--missing-score", "0", exports.canvas_folder(tmp_path))
    assert result.exit_code == 0, result.output
    rows = {row[1]: row for row in csv.reader((out / "canvas.csv").open(newline=""))}
    assert rows["45678"][5] == "0"


def test_canvas_without_roster_puts_the_user_id_in_canvas_id(tmp_path):
    out = tmp_path / "out"
    result = grade("-o", out, exports.canvas_folder(tmp_path))
    assert result.exit_code == 0, result.output
    rows = {row[1]: row for row in csv.reader((out / "canvas.csv").open(newline=""))}
    assert rows["12345"][:4] == ["lovelaceada", "12345", "", ""]


def test_gradescope_export_zip_with_a_plain_roster(tmp_path):
    exports.gradescope_export(tmp_path / "export")
    archive_path = exports.zip_folder(tmp_path / "export", tmp_path / "submissions.zip")
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\nS001,Ada Lovelace,ada@uni.example\n"
                      "S002,Grace Hopper,grace@uni.example\nX9,Emmy Noether,emmy@uni.example\n")
    out = tmp_path / "out"
    result = grade("-o", out, "--roster", roster, archive_path)
    assert result.exit_code == 0, result.output
    assert scores(out) == by_name(exports.GRADESCOPE_IDS)
    assert models(out)["S002"]["origin"]["submitted_at"].startswith("2025-03-02T13:30")
    assert "Emmy Noether" in result.output  # on the roster, no submission
    assert "not on the roster (left out of canvas.csv): alan_uni.example" in result.output


def test_moodle_export(tmp_path):
    out = tmp_path / "out"
    result = grade("-o", out, exports.moodle_export(tmp_path))
    assert result.exit_code == 0, result.output
    assert scores(out) == by_name(exports.MOODLE_IDS)
    assert models(out)["102"]["origin"]["name"] == "Grace Hopper"


def test_nbgrader_course_with_late_penalty(tmp_path):
    out = tmp_path / "out"
    result = grade("-o", out, "--due", "2025-03-01T12:00:00+00:00", "--late-penalty", "10",
                   exports.nbgrader_course(tmp_path))
    assert result.exit_code == 0, result.output
    data = models(out)
    assert data["ada"]["score"] == 100 and data["ada"]["penalty"] == {}
    # Grace: 1 day 20 hours late -> two started days -> 20% of 96
    assert data["grace"]["raw_score"] == 96 and data["grace"]["penalty"]["days_late"] == 2
    assert data["grace"]["score"] == pytest.approx(96 * 0.8)
    assert data["alan"]["score"] == 78
    assert "raw score 96" in (out / "grace" / "report.html").read_text()


# ---------------------------------------------------------------- hostile archives


def make_zip(path: Path, members: list[tuple[str, bytes]], *, link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            out.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("members, link, expected", [
    ([("../escape.py", b"x = 1\n")], None, "outside the folder"),
    ([("a/../../escape.py", b"x = 1\n")], None, "outside the folder"),
    ([("/abs/escape.py", b"x = 1\n")], None, "absolute"),
    ([("C:/escape.py", b"x = 1\n")], None, "absolute"),
    ([("ok.py", b"x = 1\n")], "link.py", "symbolic link"),
    ([("a.py", b"1"), ("A.py", b"2")], None, "2 files named like it"),
])
def test_hostile_archives_are_refused(tmp_path, members, link, expected):
    bad = make_zip(tmp_path / "bad.zip", members, link=link)
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(archive.UnsafeArchive, match=expected):
        archive.extract(bad, dest)
    assert not (tmp_path / "escape.py").exists()
    assert not any(p.is_symlink() for p in dest.rglob("*"))


def test_a_zip_bomb_is_refused_while_decompressing(tmp_path, monkeypatch):
    """A member that expands past the cap is stopped by counting what comes out, also when
    its header lies about the size."""
    bomb = make_zip(tmp_path / "bomb.zip", [("big.py", b"\0" * (8 * 1024 * 1024))])
    assert bomb.stat().st_size < 100_000
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", 1024 * 1024)
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(archive.UnsafeArchive, match="over the cap|past the cap"):
        archive.extract(bomb, dest)
    lying = tmp_path / "lying.zip"
    data = bytearray(bomb.read_bytes())
    # the central directory's and local header's uncompressed size -> 10 bytes
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + offset:at + offset + 4] = (10).to_bytes(4, "little")
    lying.write_bytes(bytes(data))
    dest2 = tmp_path / "dest2"
    dest2.mkdir()
    with pytest.raises(archive.UsageError):
        archive.extract(lying, dest2)
    assert all(p.stat().st_size <= 1024 * 1024 for p in dest2.rglob("*") if p.is_file())


def test_too_many_members_and_total_size(tmp_path, monkeypatch):
    many = make_zip(tmp_path / "many.zip", [(f"f{i}.py", b"x") for i in range(30)])
    monkeypatch.setattr(archive, "MAX_MEMBERS", 20)
    dest = tmp_path / "d"
    dest.mkdir()
    with pytest.raises(archive.UnsafeArchive, match="members, over the cap"):
        archive.extract(many, dest)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 100)
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10)
    dest = tmp_path / "e"
    dest.mkdir()
    with pytest.raises(archive.UnsafeArchive, match="in all"):
        archive.extract(many, dest)


def test_a_bad_archive_is_a_clear_usage_error(tmp_path):
    broken = tmp_path / "submissions.zip"
    broken.write_bytes(b"PK\x03\x04 this is not a zip")
    result = grade("-o", tmp_path / "out", broken)
    assert result.exit_code == 2
    assert "submissions.zip is not a readable zip archive" in result.output
    bad = make_zip(tmp_path / "evil.zip", [("../x.py", b"x = 1\n")])
    result = grade("-o", tmp_path / "out", bad)
    assert result.exit_code == 2 and "was not extracted" in result.output
    assert not (tmp_path / "x.py").exists()


def test_extracted_files_are_private_and_removed_after_the_batch(tmp_path, monkeypatch):
    seen = []
    real = archive.extract

    def spy(path, dest, refused=None):
        seen.append(dest)
        made = real(path, dest, refused)
        assert stat.S_IMODE(os.stat(dest).st_mode) == 0o700
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in dest.rglob("*")
                   if p.is_file())
        return made

    monkeypatch.setattr(archive, "extract", spy)
    with discover_all([exports.canvas_zip(tmp_path)]) as found:
        assert len(found.submissions) == 3
    assert seen and not seen[0].exists()
