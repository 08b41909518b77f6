"""Submissions as learning platforms export them, recognised from the path given.

=============  ============================================================================
layout         what the instructor downloaded
=============  ============================================================================
``flat``       ``alice.py``, ``bob.ipynb``: the file stem is the student id
``canvas``     "Download Submissions": ``lastfirst[_LATE]_userid_submissionid_original``
``gradescope`` "Export Submissions": ``submission_<id>/`` folders + ``submission_metadata.yml``
``moodle``     "Download all submissions": ``Full Name_participantid_assignsubmission_file_/``
               folders (or the same prefix on each file, without folders)
``nbgrader``   ``submitted/<student>/<assignment>/`` with nbgrader's ``timestamp.txt``
=============  ============================================================================

A ``.zip`` of any of them is extracted first (:mod:`grader.loading.archive`). The student id
is the platform's own id (Canvas user id, Gradescope SID or else email, Moodle participant id,
nbgrader student), cleaned and made distinct like a file stem (``submission.assign_ids``);
the display name, the late flag or submission time go along in ``Submission.origin`` and end
up in grader.json and the class files. A student who handed in several files is one
submission; :func:`choose` picks the file graded, and the report says which and why.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from grader.errors import UsageError
from grader.loading import archive
from grader.loading.submission import (
    SUFFIXES,
    Submission,
    dedupe,
    discover,
    identity,
    printable,
)

LAYOUTS = ("auto", "flat", "canvas", "gradescope", "moodle", "nbgrader")
CANVAS_NAME = re.compile(
    r"^(?P<name>[^_]+)(?P<late>_LATE)?_(?P<user>\d+)_(?:(?P<sub>\d+)_)?(?P<original>.+)$")
MOODLE_NAME = re.compile(r"^(?P<name>.+)_(?P<participant>\d+)_assignsubmission_file_(?P<rest>.*)$")
RESUBMISSION = re.compile(r"^(?P<stem>.*?)-(?P<number>\d+)$")  # Canvas renames a re-upload
GRADESCOPE_METADATA = "submission_metadata.yml"
GRADESCOPE_FOLDER = re.compile(r"^submission_\d+$")
NBGRADER_TIMESTAMP = "timestamp.txt"
MAX_METADATA_BYTES = 32 * 1024 * 1024


@dataclass
class Found:
    """One student's hand-in as the platform exported it, before ids are assigned."""

    key: str  # the platform's id for the student
    files: list[Path]
    platform: str
    name: str = ""
    email: str = ""
    sid: str = ""
    late: bool | None = None
    submitted_at: str = ""  # ISO 8601, as the platform recorded it
    originals: dict = field(default_factory=dict)  # path -> the file's name as uploaded
    shown_root: tuple[Path, str] | None = None  # (folder, how to name it): an archive's name

    def origin(self) -> dict:
        data = {"platform": self.platform, "id": self.key, "name": self.name,
                "email": self.email, "sid": self.sid, "late": self.late,
                "submitted_at": self.submitted_at}
        return {key: value for key, value in data.items() if value not in ("", None)}


def code_files(folder: Path) -> list[Path]:
    """The .py/.ipynb files in ``folder`` (not recursive; links included, refused later)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
    except OSError as exc:
        raise UsageError(f"cannot list {folder}: {exc.strerror}") from None


def subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError as exc:
        raise UsageError(f"cannot list {folder}: {exc.strerror}") from None


# ---------------------------------------------------------------- recognising a layout


def nbgrader_root(folder: Path) -> Path | None:
    """The ``submitted`` folder of an nbgrader course (the course root, or it)."""
    if (folder / "submitted").is_dir():
        folder = folder / "submitted"
    students = subfolders(folder)
    if students and all(any((assignment / NBGRADER_TIMESTAMP).is_file()
                            for assignment in subfolders(student)) for student in students):
        return folder
    return None


def detect(folder: Path) -> str:
    """The layout of an export folder (a single wrapper folder is looked through)."""
    if (folder / GRADESCOPE_METADATA).is_file():
        return "gradescope"
    if nbgrader_root(folder) is not None:
        return "nbgrader"
    names = [p.name for p in folder.iterdir()]
    if any(MOODLE_NAME.match(name) for name in names):
        return "moodle"
    code = [p.name for p in code_files(folder)]
    if code and all(CANVAS_NAME.match(name) for name in code):
        return "canvas"
    return "flat"


def unwrap(folder: Path) -> Path:
    """A zip's single top-level folder (Gradescope's ``assignment_N_export/``), if that is all
    there is."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() \
            and detect(folder) == "flat":
        return entries[0]
    return folder


# ---------------------------------------------------------------- reading each layout


def read_canvas(folder: Path) -> list[Found]:
    """Files named ``lastfirst[_LATE]_userid_submissionid_original``, grouped by user id."""
    students: dict[str, Found] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() or p.is_symlink()):
        match = CANVAS_NAME.match(path.name)
        if match is None or path.suffix not in SUFFIXES:
            continue
        found = students.setdefault(match["user"], Found(match["user"], [], "canvas",
                                                        name=match["name"], late=False))
        found.files.append(path)
        found.originals[path] = match["original"]
        found.late = found.late or bool(match["late"])
    return list(students.values())


def read_moodle(folder: Path) -> list[Found]:
    """``Full Name_participant_assignsubmission_file_/`` folders, or files with that prefix."""
    students: dict[str, Found] = {}
    for path in sorted(folder.iterdir()):
        match = MOODLE_NAME.match(path.name)
        if match is None:
            continue
        found = students.setdefault(match["participant"], Found(
            match["participant"], [], "moodle", name=match["name"]))
        if path.is_dir() and not path.is_symlink():
            found.files += code_files(path)
        elif path.suffix in SUFFIXES and match["rest"]:
            found.files.append(path)
            found.originals[path] = match["rest"]
    return list(students.values())


def read_nbgrader(folder: Path, assignment: str) -> list[Found]:
    """``submitted/<student>/<assignment>/``: the assignment folder named like ``assignment``,
    or a student's only one."""
    root = nbgrader_root(folder) or folder
    found = []
    for student in subfolders(root):
        handed_in = [a for a in subfolders(student) if (a / NBGRADER_TIMESTAMP).is_file()]
        chosen = [a for a in handed_in if a.name == assignment] or \
            (handed_in if len(handed_in) == 1 else [])
        if not chosen:
            if handed_in:
                raise UsageError(f"nbgrader: {student.name} handed in "
                                 f"{', '.join(a.name for a in handed_in)}; none is named "
                                 f"{assignment!r} (the --assignment)")
            continue
        stamp = read_small(chosen[0] / NBGRADER_TIMESTAMP).strip()
        found.append(Found(student.name, code_files(chosen[0]), "nbgrader",
                           submitted_at=iso_time(stamp)))
    return found


def read_gradescope(folder: Path) -> list[Found]:
    """``submission_<id>/`` folders described by ``submission_metadata.yml``: submitters (name,
    sid, email; the first one's sid, else email, else the submission is the id) and
    ``created_at``."""
    metadata = gradescope_metadata(folder / GRADESCOPE_METADATA)
    found = []
    for key, entry in sorted(metadata.items(), key=lambda item: str(item[0])):
        if not GRADESCOPE_FOLDER.match(str(key)):  # never a path out of the export
            continue
        submission = folder / str(key)
        if not isinstance(entry, dict) or not submission.is_dir() or submission.is_symlink():
            continue
        people = [p for p in entry.get(":submitters") or [] if isinstance(p, dict)]
        first = people[0] if people else {}
        sid, email = str(first.get(":sid") or ""), str(first.get(":email") or "")
        names = ", ".join(str(p.get(":name") or "") for p in people if p.get(":name"))
        found.append(Found(sid or email or str(key), all_code_files(submission), "gradescope",
                           name=names, email=email, sid=sid,
                           submitted_at=iso_time(entry.get(":created_at"))))
    return found


def all_code_files(folder: Path) -> list[Path]:
    """Code files in a Gradescope submission folder and the folders under it (students
    upload folders), links never followed."""
    files = []
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        files += [Path(top) / n for n in sorted(names) if Path(n).suffix in SUFFIXES]
    return files


def gradescope_metadata(path: Path) -> dict:
    import yaml  # pyyaml: the metadata is YAML with Ruby symbols as keys (":submitters")

    try:
        data = yaml.safe_load(read_small(path))
    except yaml.YAMLError as exc:
        raise UsageError(f"{path} is not readable YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} does not describe any submission")
    return data


def read_small(path: Path) -> str:
    """A platform's metadata file, as text (regular, not a link, of sensible size)."""
    from grader.loading.submission import read_up_to

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return read_up_to(fd, MAX_METADATA_BYTES).decode("utf-8", "replace")
    finally:
        os.close(fd)


def iso_time(value) -> str:
    """A platform's timestamp as ISO 8601 ("" when absent or unreadable): YAML may already
    have made it a datetime; nbgrader writes ``2024-03-01 12:00:00.123456 UTC``."""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = parse_time(text)
    return parsed.isoformat() if parsed else text


def parse_time(text: str) -> datetime | None:
    text = text.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    for candidate in (text, re.sub(r"(\.\d{6})\d+", r"\1", text)):  # Ruby's nanoseconds
        try:
            moment = datetime.fromisoformat(candidate.replace(" +", "+").replace(" -", "-"))
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


READERS = {"canvas": read_canvas, "moodle": read_moodle, "gradescope": read_gradescope}


def read_layout(layout: str, folder: Path, assignment: str) -> list[Found]:
    if layout == "nbgrader":
        return read_nbgrader(folder, assignment)
    return READERS[layout](folder)


# ---------------------------------------------------------------- the whole discovery


@dataclass
class Discovery:
    """What was found under the paths, and the folders extracted for it (removed on close)."""

    submissions: list[Submission]
    layouts: list[str]
    stack: ExitStack = field(default_factory=ExitStack)

    def close(self) -> None:
        self.stack.close()

    def __enter__(self) -> Discovery:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def discover_all(paths: Iterable, *, layout: str = "auto", assignment: str = "") -> Discovery:
    """Every submission under ``paths``, in whatever layout each path is (or ``layout``)."""
    if layout not in LAYOUTS:
        raise UsageError(f"--layout {layout}: expected one of {', '.join(LAYOUTS)}")
    stack = ExitStack()
    try:
        return gather([Path(p) for p in paths], layout, assignment, stack)
    except BaseException:
        stack.close()
        raise


def gather(paths: list[Path], layout: str, assignment: str, stack: ExitStack) -> Discovery:
    flat: list[Path] = []
    found: list[Found] = []
    layouts = []
    for path in paths:
        shown = None
        if path.suffix == ".zip" and path.is_file() and not path.is_symlink():
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bpg-export-")))
            extracted = unwrap(archive.extract(path, folder))
            shown, path = (extracted, f"{printable(path.name)}:"), extracted
        kind = layout if layout != "auto" else (detect(path) if path.is_dir() and
                                                not path.is_symlink() else "flat")
        layouts.append(kind)
        if kind == "flat":
            flat.append(path)
            continue
        if not path.is_dir() or path.is_symlink():
            raise UsageError(f"--layout {kind} wants the export's folder or .zip, not {path}")
        for one in read_layout(kind, path, assignment):
            one.shown_root = shown
            found.append(one)
    if not flat and not any(one.files for one in found):
        raise UsageError("nothing to grade: no " + "/".join(SUFFIXES) + " files in "
                         + ", ".join(map(str, paths)))
    return Discovery(combine(discover(flat) if flat else [], found), layouts, stack)


def combine(flat: list[Submission], found: list[Found]) -> list[Submission]:
    """Distinct ids across flat files and platform ids (a platform id keeps its own id first:
    it is what the gradebook knows)."""
    from grader.loading.submission import student_id

    bases = [identity(s.path)[0] for s in flat]
    ranks = [(True, *identity(s.path)[1]) for s in flat]
    for one in found:
        base = student_id(Path(one.key + ".x"))
        bases.append(base)
        ranks.append((False, base != one.key, os.fsencode(one.key), b""))
    ids = dedupe(bases, ranks)
    submissions = [replace(s, student=i) for s, i in zip(flat, ids, strict=False)]
    for one, student in zip(found, ids[len(flat):], strict=True):
        submissions.append(platform_submission(one, student))
    return submissions


def platform_submission(one: Found, student: str) -> Submission:
    files = tuple(one.files)
    first = files[0] if files else Path(f"{student}.py")
    origin = one.origin()
    origin["files"] = [shown_name(one, path) for path in files]
    origin["originals"] = [one.originals.get(path, path.name) for path in files]
    problem = "" if files else "the export holds no .py or .ipynb file for this student"
    return Submission(student, first, shown_name(one, first) if files else "", problem,
                      origin=origin, candidates=files)


def shown_name(one: Found, path: Path) -> str:
    if one.shown_root is not None:
        root, prefix = one.shown_root
        try:
            return prefix + printable(path.relative_to(root))
        except ValueError:
            pass
    return printable(path)


# ---------------------------------------------------------------- one file per student


def original_name(submission: Submission, path: Path) -> str:
    """The file's name as the student uploaded it (a platform prefix removed)."""
    originals = submission.origin.get("originals", [])
    index = submission.candidates.index(path)
    return originals[index] if index < len(originals) else path.name


def resubmission(name: str) -> tuple[str, int]:
    """``backprop-2.py`` -> (``backprop.py``, 2): Canvas numbers a file uploaded again."""
    stem, suffix = os.path.splitext(name)
    match = RESUBMISSION.match(stem)
    if match:
        return match["stem"] + suffix, int(match["number"])
    return name, 0


def choose(submission: Submission, student_file: str) -> Submission:
    """The one file graded for a student who handed in several, and why (kept in
    ``origin["chosen"]`` for the report).

    The rule: a file named like the assignment's file (``backprop.py``; Canvas's ``-1``,
    ``-2``... re-upload suffix ignored), else one with its stem and the other suffix
    (``backprop.ipynb``), else any .py/.ipynb; among those, the latest re-upload (highest
    suffix), then the first by name.
    """
    if len(submission.candidates) <= 1:
        return submission
    expected_stem = os.path.splitext(student_file)[0]

    def rank(path: Path):
        base, number = resubmission(original_name(submission, path))
        tier = 0 if base == student_file else 1 if os.path.splitext(base)[0] == expected_stem \
            else 2
        return tier, -number, os.fsencode(path.name)

    best = min(submission.candidates, key=rank)
    tier = rank(best)[0]
    why = {0: f"named like {student_file}", 1: f"named like {expected_stem} (the other suffix)",
           2: f"no file is named like {student_file}: the first by name"}[tier]
    if rank(best)[1]:
        why += ", the latest re-upload"
    origin = dict(submission.origin)
    shown = shown_name_of(submission, best)
    origin["chosen"] = (f"{len(submission.candidates)} files handed in; graded {shown} ({why}); "
                        f"not graded: " + ", ".join(shown_name_of(submission, p) for p in
                                                     submission.candidates if p != best))
    return replace(submission, path=best, source_file=shown, origin=origin)


def shown_name_of(submission: Submission, path: Path) -> str:
    index = submission.candidates.index(path)
    files = submission.origin.get("files", [])
    return files[index] if index < len(files) else printable(path)
