"""Learning platforms' exports, built the way each platform lays them out, from the examples.

The same class everywhere: Ada hands in the correct solution (100 points), Grace the keepdims
mistake (96) as a re-upload beside a scratch file, Alan the missing 1/m (78), and Emmy, on
the roster, hands in nothing.

- Canvas "Download Submissions" (submissions.zip): ``lastfirst[_LATE]_userid_submissionid_
  original`` at the top of the zip; a file uploaded again under the same name is renamed
  ``name-1.ext`` by Canvas.
- Canvas gradebook export (Grades > Export): Student, ID, SIS User ID, SIS Login ID, Section,
  assignment columns, a "Points Possible" row (Canvas pads it with spaces), the test student.
- Gradescope "Export Submissions": ``assignment_<id>_export/`` holding
  ``submission_metadata.yml`` (Ruby-symbol keys) and a ``submission_<id>/`` folder each.
- Moodle "Download all submissions" (in folders): ``Full Name_participantid_assignsubmission_
  file_/original``.
- nbgrader: ``submitted/<student>/<assignment>/`` with ``timestamp.txt``.
- GitHub Classroom (``gh classroom clone student-repos``): ``<slug>-submissions/<slug>-<login>/``,
  each a git repository; Classroom's roster download (identifier, github_username, ...).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import EXAMPLES

CORRECT = (EXAMPLES / "correct.py").read_text()
KEEPDIMS = (EXAMPLES / "keepdims.py").read_text()
MISSING_1_OVER_M = (EXAMPLES / "missing_1_over_m.py").read_text()
STUB = (EXAMPLES / "stub.py").read_text()
SCORES = {"ada": 100, "grace": 96, "alan": 78}

CANVAS_FILES = {
    "lovelaceada_12345_987001_backprop.py": CORRECT,
    "hoppergrace_LATE_23456_987002_backprop-1.py": KEEPDIMS,  # re-uploaded: Canvas's "-1"
    "hoppergrace_LATE_23456_987002_scratch.py": STUB,
    "turingalan_34567_987003_backprop.py": MISSING_1_OVER_M,
}
CANVAS_IDS = {"ada": "12345", "grace": "23456", "alan": "34567"}

CANVAS_GRADEBOOK = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Backprop (556677),Current Score\r\n"
    "    Points Possible,,,,,100.00,(read only)\r\n"
    '"Lovelace, Ada",12345,S001,ada@uni.example,Section A,,\r\n'
    '"Hopper, Grace",23456,S002,grace@uni.example,Section A,,\r\n'
    '"Turing, Alan",34567,S003,alan@uni.example,Section B,,\r\n'
    '"Noether, Emmy",45678,S004,emmy@uni.example,Section B,,\r\n'
    '"Student, Test",99999,,,Section A,,\r\n')

GRADESCOPE_METADATA = """\
submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: 'S001'
    :email: ada@uni.example
  :created_at: 2025-03-01 11:00:00.000000000 +00:00
  :score: 0.0
  :status: processed
submission_1002:
  :submitters:
  - :name: Grace Hopper
    :sid: 'S002'
    :email: grace@uni.example
  :created_at: 2025-03-02 13:30:00.123456789 +00:00
  :score: 0.0
  :status: processed
submission_1003:
  :submitters:
  - :name: Alan Turing
    :sid: ''
    :email: alan@uni.example
  :created_at: 2025-03-01 09:15:00.000000000 +00:00
  :score: 0.0
  :status: processed
"""
GRADESCOPE_IDS = {"ada": "S001", "grace": "S002", "alan": "alan_uni.example"}

MOODLE_IDS = {"ada": "101", "grace": "102", "alan": "103"}
NBGRADER_STAMPS = {"ada": "2025-03-01 10:00:00.000000 UTC",
                   "grace": "2025-03-03 08:00:00.000000 UTC",
                   "alan": "2025-03-01 11:59:00.000000 UTC"}


def zip_folder(folder: Path, archive: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, prefix + path.relative_to(folder).as_posix())
    return archive


def canvas_folder(root: Path) -> Path:
    folder = root / "submissions"
    folder.mkdir(parents=True)
    for name, text in CANVAS_FILES.items():
        (folder / name).write_text(text)
    return folder


def canvas_zip(root: Path) -> Path:
    """Canvas's submissions.zip: the renamed files at the top level."""
    return zip_folder(canvas_folder(root / "unzipped"), root / "submissions.zip")


def canvas_gradebook(root: Path) -> Path:
    path = root / "2025-03-04T1200_Grades-ML101.csv"
    path.write_bytes(CANVAS_GRADEBOOK.encode())
    return path


def gradescope_export(root: Path) -> Path:
    folder = root / "assignment_4242_export"
    folder.mkdir(parents=True)
    (folder / "submission_metadata.yml").write_text(GRADESCOPE_METADATA)
    for number, text in ((1001, CORRECT), (1002, KEEPDIMS), (1003, MISSING_1_OVER_M)):
        (folder / f"submission_{number}").mkdir()
        (folder / f"submission_{number}" / "backprop.py").write_text(text)
    return folder


def moodle_export(root: Path) -> Path:
    folder = root / "ML101-Backprop-4711"
    folder.mkdir(parents=True)
    for name, participant, text in (("Ada Lovelace", 101, CORRECT),
                                    ("Grace Hopper", 102, KEEPDIMS),
                                    ("Alan Turing", 103, MISSING_1_OVER_M)):
        student = folder / f"{name}_{participant}_assignsubmission_file_"
        student.mkdir()
        (student / "backprop.py").write_text(text)
    return folder


def nbgrader_course(root: Path, assignment: str = "one_hidden_layer") -> Path:
    course = root / "course"
    for student, text in (("ada", CORRECT), ("grace", KEEPDIMS), ("alan", MISSING_1_OVER_M)):
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        (folder / "backprop.py").write_text(text)
        (folder / "timestamp.txt").write_text(NBGRADER_STAMPS[student])
    return course


# GitHub Classroom: `gh classroom clone student-repos` makes <slug>-submissions/ holding one
# clone <slug>-<login>/ per student repository (with .git, and the template's .github)
CLASSROOM_SLUG = "backprop-hw1"
CLASSROOM_IDS = {"ada": "ada-lovelace", "grace": "GraceHopper", "alan": "aturing"}
CLASSROOM_ROSTER = ('"identifier","github_username","github_id","name"\n'
                    '"ada@uni.example","ada-lovelace","1001","Ada Lovelace"\n'
                    '"grace@uni.example","GraceHopper","1002","Grace Hopper"\n'
                    '"alan@uni.example","aturing","1003","Alan Turing"\n'
                    '"emmy@uni.example","emmy-n","1004","Emmy Noether"\n'
                    '"kurt@uni.example","","","Kurt Goedel"\n')


def git_repository(folder: Path, files: dict[str, str]) -> Path:
    """A real git repository with ``files`` committed, as a clone of a student's repo is."""
    import subprocess

    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    git = ["git", "-C", str(folder), "-c", "user.name=Classroom", "-c",
           "user.email=classroom@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "submission"], check=True)
    return folder


def classroom_download(root: Path) -> Path:
    """Ada: backprop.py at the top, beside the template's workflow and tests; Grace: a
    notebook-free repo with a scratch file that sorts first; Alan: backprop.py in src/;
    Emmy: a repository without backprop.py (not gradable)."""
    folder = root / f"{CLASSROOM_SLUG}-submissions"
    workflow = {".github/workflows/classroom.yml": "name: Autograding\n",
                "tests/test_shapes.py": "def test_nothing():\n    pass\n"}
    git_repository(folder / f"{CLASSROOM_SLUG}-ada-lovelace",
                   {"backprop.py": CORRECT, "README.md": "# hw1\n", **workflow})
    git_repository(folder / f"{CLASSROOM_SLUG}-GraceHopper",
                   {"backprop.py": KEEPDIMS, "aaa_scratch.py": STUB, **workflow})
    git_repository(folder / f"{CLASSROOM_SLUG}-aturing",
                   {"src/backprop.py": MISSING_1_OVER_M, **workflow})
    git_repository(folder / f"{CLASSROOM_SLUG}-emmy-n",
                   {"notes.py": STUB, "README.md": "forgot it\n", **workflow})
    return folder
