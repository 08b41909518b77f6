"""Submissions as learning platforms export them, recognised from the path given.

=============  ============================================================================
layout         what the instructor downloaded
=============  ============================================================================
``flat``       ``alice.py``, ``bob.ipynb``: the file stem is the student id
``canvas``     "Download Submissions": ``lastfirst[_LATE]_userid_submissionid_original``
``gradescope`` "Export Submissions": ``submission_<id>/`` folders + ``submission_metadata.yml``
``moodle``     "Download all submissions": ``Full Name_participantid_assignsubmission_file_/``
               folders (or the same prefix on each file, without folders)
``nbgrader``   ``submitted/<student>/<assignment>/`` with nbgrader's ``timestamp.txt`` (or
               without it, in a folder named ``submitted``: placed by hand)
``classroom``  GitHub Classroom's download (``gh classroom clone student-repos``):
               ``<assignment>-submissions/<assignment>-<login>/``, one clone per student
=============  ============================================================================

A layout is recognised only when every entry follows the platform's whole pattern (Moodle
replaces ``_`` in names by spaces, Canvas's ids never start with 0); a folder that only
partly looks like one is graded flat, with a note saying so (``--layout`` decides).

A ``.zip`` of any of them is extracted first (:mod:`grader.loading.archive`). The student id
is the platform's own id (Canvas user id, Gradescope SID or else email, Moodle participant id,
nbgrader student, GitHub login), cleaned and made distinct like a file stem
(``submission.assign_ids``); the display name, the late flag or submission time go along in
``Submission.origin`` and end up in grader.json and the class files. A student who handed in
several files is one submission; :func:`choose` picks the file graded, and the report says
which and why.
What only one student can have caused (a file refused from the archive, a file name that
could be two participants', too many files) makes that student not gradable, saying why;
the rest of the class is graded.
"""

from __future__ import annotations

import os
import re
import stat
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

LAYOUTS = ("auto", "flat", "canvas", "gradescope", "moodle", "nbgrader", "classroom")
# lastfirst[_LATE]_userid_submissionid_original: Canvas's database ids never start with 0
CANVAS_NAME = re.compile(r"(?P<name>[^_]+)(?P<late>_LATE)?_(?P<user>[1-9]\d*)_"
                         r"(?P<sub>[1-9]\d*)_(?P<original>.+)", re.S)
CANVAS_LIKE = re.compile(r"[^_]+(_LATE)?_\d+_.+", re.S)  # what only looks like Canvas's
# Moodle writes the full name with "_" replaced by " ", then _participantid_, then the plugin
MOODLE_NAME = re.compile(r"(?P<name>[^_]+)_(?P<participant>\d+)_assignsubmission_file_"
                         r"(?P<rest>.*)", re.S)
MOODLE_MARK = re.compile(r"_(\d+)_assignsubmission_file_")
# any submission plugin's entry (online text beside the files: ..._assignsubmission_onlinetext_)
MOODLE_ENTRY = re.compile(r"[^_]+_\d+_assignsubmission_[a-z]+_.*", re.S)
MAX_FILES_PER_STUDENT = 1000  # .py/.ipynb files one student may hand in (caches left out)
CLASSROOM_FOLDER = "-submissions"  # gh classroom clone student-repos: <slug>-submissions/
# a GitHub login (letters, digits, inner hyphens); Enterprise Managed Users add _shortcode
GITHUB_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,98}[A-Za-z0-9_])?")
# never a student's own code: hidden folders (.git, .github, .ipynb_checkpoints), caches,
# and installed packages (an uploaded virtual environment)
NOT_THEIR_CODE = ("__pycache__", "__MACOSX", "node_modules", "site-packages")
RESUBMISSION = re.compile(r"^(?P<stem>.*?)-(?P<number>\d+)$")  # Canvas renames a re-upload
GRADESCOPE_METADATA = "submission_metadata.yml"
GRADESCOPE_FOLDER = re.compile(r"^submission_\d+$")
NBGRADER_TIMESTAMP = "timestamp.txt"
NBGRADER_SUBMITTED = "submitted"
MAX_METADATA_BYTES = 8 * 1024 * 1024  # Gradescope's for 10,000 submissions is ~4 MiB


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
    refused: list[str] = field(default_factory=list)  # files of theirs not graded, and why

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


def entries(folder: Path) -> list[Path]:
    """What a folder holds, without the hidden entries and macOS's ``__MACOSX``."""
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX")))
    except OSError as exc:
        raise UsageError(f"cannot list {folder}: {exc.strerror}") from None


def handed_in(assignment: Path, by_hand: bool) -> bool:
    """An nbgrader assignment folder: collected (``timestamp.txt``), or, in a folder named
    ``submitted``, holding a notebook or .py file placed there by hand."""
    if (assignment / NBGRADER_TIMESTAMP).is_file():
        return True
    return by_hand and bool(code_files(assignment))


def nbgrader_root(folder: Path) -> Path | None:
    """The ``submitted`` folder of an nbgrader course (the course root, or it)."""
    if (folder / NBGRADER_SUBMITTED).is_dir():
        folder = folder / NBGRADER_SUBMITTED
    by_hand = folder.name == NBGRADER_SUBMITTED
    students = subfolders(folder)
    if students and all(any(handed_in(assignment, by_hand) for assignment in subfolders(student))
                        for student in students):
        return folder
    return None


def classroom_repositories(folder: Path, *, forced: bool = False
                           ) -> list[tuple[Path, str]] | None:
    """``(repository, login)`` for each ``<slug>-<login>`` folder of a GitHub Classroom
    download: the slug from the folder's own name (``<slug>-submissions``), else the common
    prefix of two or more git clones; None when the folder is not one (with ``forced``, a
    folder that does not follow the pattern keeps its whole name as the id)."""
    repositories = [p for p in subfolders(folder) if not p.name.startswith((".", "__MACOSX"))]
    if not repositories or (code_files(folder) and not forced):  # files of their own: not it
        return None
    if folder.name.endswith(CLASSROOM_FOLDER) and len(folder.name) > len(CLASSROOM_FOLDER):
        prefix = folder.name[:-len(CLASSROOM_FOLDER)] + "-"
    elif len(repositories) > 1 and all((r / ".git").exists() for r in repositories):
        common = os.path.commonprefix([r.name for r in repositories])
        prefix = common[:common.rfind("-") + 1]
    else:
        prefix = ""
    found = []
    for repository in repositories:
        login = repository.name[len(prefix):] if prefix and \
            repository.name.startswith(prefix) else ""
        if not GITHUB_LOGIN.fullmatch(login):
            if not forced:
                return None
            login = repository.name
        found.append((repository, login))
    return found


def recognise(folder: Path) -> tuple[str, str]:
    """The layout of an export folder, and a note when it only partly looks like one."""
    if (folder / GRADESCOPE_METADATA).is_file():
        return "gradescope", ""
    if nbgrader_root(folder) is not None:
        return "nbgrader", ""
    if classroom_repositories(folder) is not None:
        return "classroom", ""
    shown = printable(folder)
    names = [p.name for p in entries(folder)]
    moodle = [name for name in names if MOODLE_ENTRY.fullmatch(name)]
    if moodle and len(moodle) == len(names) and any(MOODLE_NAME.fullmatch(n) for n in moodle):
        return "moodle", ""
    code = [p.name for p in code_files(folder)]
    if code and all(CANVAS_NAME.fullmatch(name) for name in code):
        return "canvas", ""
    if moodle:
        return "flat", (f"{shown}: graded as plain files (the file stem is the id): "
                        f"{len(moodle)} of its {len(names)} entries are named like a Moodle "
                        "export's, not all (--layout moodle reads it as one)")
    canvas_like = [name for name in code if CANVAS_LIKE.fullmatch(name)]
    if canvas_like:
        return "flat", (f"{shown}: graded as plain files (the file stem is the id): "
                        f"{len(canvas_like)} of its {len(code)} files look like a Canvas "
                        "export's, but not every one follows Canvas's whole pattern "
                        "lastfirst_userid_submissionid_name (--layout canvas reads it as one)")
    return "flat", ""


def detect(folder: Path) -> str:
    """The layout of an export folder (a single wrapper folder is looked through)."""
    return recognise(folder)[0]


def unwrap(folder: Path) -> Path:
    """A zip's single top-level folder (Gradescope's ``assignment_N_export/``), if that is all
    there is."""
    inside = entries(folder)
    if len(inside) == 1 and inside[0].is_dir() and not inside[0].is_symlink() \
            and detect(folder) == "flat":
        return inside[0]
    return folder


# ---------------------------------------------------------------- reading each layout


def read_canvas(folder: Path, notes: list[str]) -> list[Found]:
    """Files named ``lastfirst[_LATE]_userid_submissionid_original``, grouped by user id."""
    students: dict[str, Found] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() or p.is_symlink()):
        if path.suffix not in SUFFIXES:
            continue
        match = CANVAS_NAME.fullmatch(path.name)
        if match is None:
            notes.append(f"{printable(path)}: not graded: not named like a Canvas "
                         "submission (lastfirst_userid_submissionid_name)")
            continue
        found = students.setdefault(match["user"], Found(match["user"], [], "canvas",
                                                        name=match["name"], late=False))
        found.files.append(path)
        found.originals[path] = match["original"]
        found.late = found.late or bool(match["late"])
    return list(students.values())


def read_moodle(folder: Path, notes: list[str]) -> list[Found]:
    """``Full Name_participant_assignsubmission_file_/`` folders, or files with that prefix.

    A file is a participant's only by Moodle's whole pattern, from the start of its name (the
    name part has no ``_``: Moodle writes spaces); a file whose name carries another
    participant's prefix after its own (a student uploaded ``x_101_assignsubmission_file_
    backprop.py``) could be either's: it is refused, and costs only the one Moodle filed it
    under."""
    students: dict[str, Found] = {}
    for path in entries(folder):
        match = MOODLE_NAME.fullmatch(path.name)
        if match is None:
            if not MOODLE_ENTRY.fullmatch(path.name) and (path.suffix in SUFFIXES or
                                                          path.is_dir()):
                notes.append(f"{printable(path)}: not graded: not named like a Moodle "
                             "submission (Full Name_participantid_assignsubmission_file_)")
            continue
        participant = match["participant"]
        found = students.setdefault(participant, Found(participant, [], "moodle",
                                                       name=match["name"]))
        if path.is_dir() and not path.is_symlink():
            found.files += code_files(path)
        elif path.suffix in SUFFIXES and match["rest"]:
            found.files.append(path)
            found.originals[path] = match["rest"]
            others = sorted(set(MOODLE_MARK.findall(match["rest"])) - {participant})
            if others:
                why = (f"{printable(path.name)} was not graded: its name could be "
                       f"participant {participant}'s or {', '.join(others)}'s")
                found.refused.append(why)
                notes.append(f"{printable(path)}: refused: its name could belong to "
                             f"participant {participant} or {', '.join(others)}")
    return list(students.values())


def read_nbgrader(folder: Path, assignment: str, notes: list[str]) -> list[Found]:
    """``submitted/<student>/<assignment>/``: the assignment folder named like ``assignment``,
    or a student's only one; the submission time from ``timestamp.txt``, empty without."""
    root = nbgrader_root(folder) or folder
    by_hand = root.name == NBGRADER_SUBMITTED or root != folder
    found = []
    for student in subfolders(root):
        folders = [a for a in subfolders(student) if handed_in(a, by_hand)]
        chosen = [a for a in folders if a.name == assignment] or \
            (folders if len(folders) == 1 else [])
        if not chosen:
            if folders:
                raise UsageError(f"nbgrader: {student.name} handed in "
                                 f"{', '.join(a.name for a in folders)}; none is named "
                                 f"{assignment!r} (the --assignment)")
            continue
        one = Found(student.name, code_files(chosen[0]), "nbgrader")
        stamp_file = chosen[0] / NBGRADER_TIMESTAMP
        try:  # nbgrader submit writes it on the student's side: theirs to break
            stamp = read_small(stamp_file).strip() if stamp_file.exists() else ""
        except UsageError as exc:
            one.refused.append(f"its {NBGRADER_TIMESTAMP} was not read ({exc}): the "
                               "submission time is unknown")
            stamp = ""
        one.submitted_at = iso_time(stamp)
        found.append(one)
    return found


def read_classroom(folder: Path, notes: list[str]) -> list[Found]:
    """``<slug>-<login>/`` repositories: every .py/.ipynb file in each (outside ``.git``,
    ``.github`` and other hidden folders); :func:`choose` grades only the one named like the
    assignment's file."""
    repositories = classroom_repositories(folder, forced=True) or []
    found = []
    for repository, login in repositories:
        if login == repository.name:
            notes.append(f"{printable(repository)}: not named <assignment>-<login>: graded "
                         f"under its whole name")
        found.append(Found(login, repository_files(repository), "classroom",
                           sid=login))
    return found


def repository_files(repository: Path) -> list[Path]:
    """The .py/.ipynb files of a student's repository, shallowest first (see
    :func:`their_code_files`)."""
    return sorted(their_code_files(repository),
                  key=lambda p: (len(p.relative_to(repository).parts), str(p)))


def their_code_files(folder: Path) -> list[Path]:
    """The .py/.ipynb files in ``folder`` and the folders under it, but never in a hidden
    folder (``.git``, ``.github``), a cache or an installed package: what a student who
    uploaded a whole project, virtual environment included, wrote. Links never followed."""
    files = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in NOT_THEIR_CODE
                         and not (Path(top) / d / "pyvenv.cfg").exists())
        files += [Path(top) / n for n in sorted(names) if Path(n).suffix in SUFFIXES]
    return files


def read_gradescope(folder: Path, notes: list[str]) -> list[Found]:
    """``submission_<id>/`` folders described by ``submission_metadata.yml``: submitters (name,
    sid, email; the first one's sid, else email, else the submission is the id) and
    ``created_at``. Metadata that cannot be read is named in a note, and each folder is
    graded under its own name."""
    try:
        metadata = gradescope_metadata(folder / GRADESCOPE_METADATA)
    except UsageError as exc:
        notes.append(f"{exc}: each submission_<id> folder is graded under its own name")
        metadata = {p.name: {} for p in subfolders(folder) if GRADESCOPE_FOLDER.match(p.name)}
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
        found.append(Found(sid or email or str(key), their_code_files(submission), "gradescope",
                           name=names, email=email, sid=sid,
                           submitted_at=iso_time(entry.get(":created_at"))))
    return found


def metadata_loader():
    """PyYAML's safe loader, refusing aliases: an alias is a reference, and nested ones
    expand exponentially as the data is used (a 1.3 KB file can hold billions of items).
    No platform writes aliases into its metadata."""
    import yaml

    class MetadataLoader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, "holds a YAML alias (*name), which platform metadata never "
                    "has: refused", mark)
            return super().compose_node(parent, index)

    return MetadataLoader


def gradescope_metadata(path: Path) -> dict:
    import yaml  # pyyaml: the metadata is YAML with Ruby symbols as keys (":submitters")

    try:
        data = yaml.load(read_small(path), Loader=metadata_loader())  # noqa: S506 (safe)
    except (yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise UsageError(f"{printable(path)} is not readable YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{printable(path)} does not describe any submission")
    return data


def read_small(path: Path) -> str:
    """A platform's metadata file, as text (regular, not a link, of sensible size)."""
    from grader.loading.submission import read_up_to

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        raise UsageError(f"cannot read {printable(path)}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"cannot read {printable(path)}: it is not a regular file")
        data = read_up_to(fd, MAX_METADATA_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {printable(path)}: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_METADATA_BYTES:
        raise UsageError(f"{printable(path)} is over the cap of {MAX_METADATA_BYTES} bytes "
                         "for a platform's metadata")
    return data.decode("utf-8", "replace")


def iso_time(value) -> str:
    """A platform's timestamp as ISO 8601 ("" when absent or unreadable): YAML may already
    have made it a datetime; nbgrader writes ``2024-03-01 12:00:00.123456 UTC``."""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        return ""
    parsed = parse_time(text)
    return parsed.isoformat() if parsed else text[:100]  # as written, if short


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


READERS = {"canvas": read_canvas, "moodle": read_moodle, "gradescope": read_gradescope,
           "classroom": read_classroom}


def read_layout(layout: str, folder: Path, assignment: str, notes: list[str]) -> list[Found]:
    if layout == "nbgrader":
        return read_nbgrader(folder, assignment, notes)
    return READERS[layout](folder, notes)


# ---------------------------------------------------------------- the whole discovery


@dataclass
class Discovery:
    """What was found under the paths, and the folders extracted for it (removed on close)."""

    submissions: list[Submission]
    layouts: list[str]
    stack: ExitStack = field(default_factory=ExitStack)
    # for the instructor: what was not graded, or read otherwise than it looked, and why
    notes: list[str] = field(default_factory=list)

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
    layouts, notes = [], []
    refused: dict[Path, str] = {}  # placeholders of members left in the archive, and why
    for path in paths:
        shown, said = None, []
        if path.suffix == ".zip" and path.is_file() and not path.is_symlink():
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bpg-export-")))
            left_out: dict[Path, str] = {}
            extracted = unwrap(archive.extract(path, folder, left_out))
            said += [f"{printable(path.name)}: {printable(member.relative_to(folder))} not "
                     f"extracted: {why}" for member, why in left_out.items()]
            shown, path = (extracted, f"{printable(path.name)}:"), extracted
            refused.update(left_out)
        kind, note = (layout, "") if layout != "auto" else \
            recognise(path) if path.is_dir() and not path.is_symlink() else ("flat", "")
        said += [note] if note else []
        layouts.append(kind)
        if kind == "flat":
            flat.append(path)
        elif not path.is_dir() or path.is_symlink():
            raise UsageError(f"--layout {kind} wants the export's folder or .zip, not {path}")
        else:
            for one in read_layout(kind, path, assignment, said):
                one.shown_root = shown
                one.refused += [f"{shown_name(one, p)} was not extracted from the archive: "
                                f"{refused[p]}" for p in one.files if p in refused]
                found.append(one)
        notes += [as_shown(note, shown) for note in said]
    if not flat and not any(one.files for one in found):
        raise UsageError("nothing to grade: no " + "/".join(SUFFIXES) + " files in "
                         + ", ".join(map(str, paths)))
    plain = [refuse_flat(s, refused) for s in discover(flat)] if flat else []
    return Discovery(combine(plain, found), layouts, stack, notes)


def as_shown(note: str, shown: tuple[Path, str] | None) -> str:
    """A note naming a file of an extracted archive by the archive's name, not the
    temporary folder's."""
    if shown is None:
        return note
    root, prefix = shown
    return note.replace(printable(root) + "/", prefix).replace(printable(root), prefix)


def refuse_flat(submission: Submission, refused: dict[Path, str]) -> Submission:
    """A plain file from an archive that left it out: not gradable, saying why."""
    why = refused.get(submission.path)
    if why is None:
        return submission
    return replace(submission, problem=f"{submission.shown} was not extracted from the "
                                       f"archive: {why}")


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
    if one.refused:
        problem = "; ".join(one.refused)
    elif len(files) > MAX_FILES_PER_STUDENT:
        problem = (f"{len(files)} .py/.ipynb files handed in, over the cap of "
                   f"{MAX_FILES_PER_STUDENT}: none was graded")
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
    suffix), then the first by name. A GitHub Classroom repository holds other code too
    (tests, helpers): only a file named like the assignment's (either suffix; the shallowest)
    is graded there, and a repository without one is not gradable, saying so.
    """
    if submission.problem:
        return submission
    if submission.origin.get("platform") == "classroom":
        return choose_named(submission, student_file)
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


def choose_named(submission: Submission, student_file: str) -> Submission:
    """The shallowest file named like ``student_file`` (else its stem with the other
    suffix) among a repository's, or not gradable."""
    stem = os.path.splitext(student_file)[0]
    named = [p for p in submission.candidates if p.name == student_file] or \
        [p for p in submission.candidates if p.stem == stem]
    if not named:
        others = ", ".join(shown_name_of(submission, p) for p in submission.candidates[:5])
        return replace(submission, problem=(
            f"the repository has no {student_file} (nor {stem} with the other suffix) outside "
            ".git and .github" + (f"; its code files: {others}" if others else "")))
    best = named[0]  # candidates come shallowest first
    origin = dict(submission.origin)
    shown = shown_name_of(submission, best)
    if len(submission.candidates) > 1:
        origin["chosen"] = (f"graded {shown} (named like {student_file}); the repository's "
                            f"other {len(submission.candidates) - 1} code file(s) were not")
    return replace(submission, path=best, source_file=shown, origin=origin)


def shown_name_of(submission: Submission, path: Path) -> str:
    index = submission.candidates.index(path)
    files = submission.origin.get("files", [])
    return files[index] if index < len(files) else printable(path)
