"""Find submissions on disk and read them safely, in the grader (student code never opens them).

A submission is one regular ``.py`` file or ``.ipynb`` notebook (see
:mod:`grader.loading.notebook`); its stem, cleaned, is the student id (:func:`assign_ids`:
no file name ever refuses a batch). Symbolic links, FIFOs, devices, hard-linked files and
oversized files are refused, so a submission cannot be a pointer to the hidden reference or
block the grader.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError

MAX_SOURCE_BYTES = 1024 * 1024
MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024  # notebooks carry their outputs (plots) along
SUFFIXES = (".py", ".ipynb")


MAX_ID_LENGTH = 200  # a folder name, with a suffix and the reports' temporary names, < 255
# the class-level files at the top of --out: a student folder must never take their place
RESERVED_IDS = frozenset({"summary.csv", "canvas.csv", "junit.xml", "summary.md", "index.html",
                          "similarity.csv", "similarity.html", "moodle-worksheet.csv"})


class SubmissionRejected(Exception):
    """The file is not something the grader will read; the student scores zero and is told why."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path
    source_file: str = ""  # the path as discovered, printable [default: the file's name]
    problem: str = ""  # why discovery could not identify the file: graded as not gradable
    # from a platform's export (grader.loading.layouts): its id, name, late flag or time...
    origin: dict = field(default_factory=dict, compare=False, hash=False)
    candidates: tuple = ()  # every file the student handed in (layouts.choose picks one)

    @property
    def shown(self) -> str:
        """The file as reports name it."""
        return self.source_file or printable(self.path.name)


def printable(path: str | os.PathLike) -> str:
    """``path`` as text that every report can encode and any terminal can show: bytes that
    are not UTF-8, control and format characters (an escape sequence, a right-to-left
    override) are written as escapes (``\\xff``, ``\\x1b``, ``\\u202e``)."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def student_id(path: Path) -> str:
    """The file stem, made safe to use as a folder name and as a command-line argument:
    ASCII letters, digits, ``.``, ``_`` and ``-``, never starting with ``.`` or ``-`` (so never
    ``.``, ``..`` or an option), never empty, at most :data:`MAX_ID_LENGTH` characters."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", path.stem).lstrip(".-")[:MAX_ID_LENGTH]
    return cleaned or "_"


def identity(path: Path) -> tuple[str, tuple]:
    """The file's cleaned id, and its rank among files whose ids collide: a stem that needed
    no cleaning first, then by name, then by folder (bytes, so any locale sorts alike)."""
    base = student_id(path)
    return base, (base != path.stem, os.fsencode(path.name),
                  os.fsencode(path.parent.resolve()))


def assign_ids(paths: list[Path]) -> list[Submission]:
    """A distinct student id for every file, whatever its name.

    Ids that collide (``é.py`` and ``ü.py`` both clean to ``_``; ``a b.py`` beside
    ``a_b.py``; ``ada.py`` beside ``ada.ipynb``; ``Ada.py`` and ``ada.py`` from two folders,
    which a case-insensitive file system, macOS's default, would write into one folder) get
    ``-2``, ``-3``... in the order of :func:`identity`. The result depends only on the set of
    files, not on the order they were listed in, so every ``--shard`` gives a file the
    same id. An id is never the name of a class-level file (``index.html.py``).
    A file that cannot be identified is still graded, as not gradable, with the reason.
    """
    bases, ranks, problems = [], [], []
    for path in paths:
        try:
            base, rank = identity(path)
            problem = ""
        except Exception as exc:  # one odd file must not stop the batch
            base, rank = "_", (True, os.fsencode(ascii(str(path))), b"")
            problem = f"{type(exc).__name__}: {exc}"
        bases.append(base)
        ranks.append(rank)
        problems.append(problem)
    ids = dedupe(bases, ranks)
    return [Submission(student, path, printable(path), problem)
            for student, path, problem in zip(ids, paths, problems, strict=True)]


def dedupe(bases: list[str], ranks: list[tuple]) -> list[str]:
    """Distinct ids, also when compared without case: the first of each group of equal
    ``bases`` (by ``ranks``) keeps its base; the others get the lowest free ``-N``, N >= 2."""
    taken = set(RESERVED_IDS)
    ids: list[str | None] = [None] * len(bases)
    order = sorted(range(len(bases)), key=lambda i: (bases[i].lower(), ranks[i]))
    for i in order:
        if bases[i].lower() not in taken:
            ids[i] = bases[i]
            taken.add(bases[i].lower())
    for i in order:
        if ids[i] is None:
            number = 2
            while f"{bases[i]}-{number}".lower() in taken:
                number += 1
            ids[i] = f"{bases[i]}-{number}"
            taken.add(ids[i].lower())
    return ids


def discover(paths) -> list[Submission]:
    """Every submission named by ``paths`` (files, or folders of files, not recursive), each
    with its own student id (:func:`assign_ids`)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {path}")
        if path.is_dir() and not path.is_symlink():
            try:
                found += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
            except OSError as exc:
                raise UsageError(f"cannot list {path}: {exc.strerror}") from None
        elif path.suffix in SUFFIXES:
            found.append(path)
        else:
            raise UsageError(f"{path} is not a submission: expected a {'/'.join(SUFFIXES)} file "
                             "or a folder of them")
    if not found:
        raise UsageError("nothing to grade: no " + "/".join(SUFFIXES) + " files in "
                         + ", ".join(map(str, paths)))
    return assign_ids(once_each(found))


def once_each(paths: list[Path]) -> list[Path]:
    """``paths`` without repeats: a file named twice (``subs/`` and ``subs/a.py``) is one
    submission, not two students."""
    seen, unique = set(), []
    for path in paths:
        try:
            key = (path.parent.resolve(), path.name)
        except (OSError, RuntimeError):  # a folder loop: keep the file, it fails when read
            key = (path.parent, path.name)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_source(path: Path) -> str:
    """The file's text, if it is a plain, single-linked, regular file of sensible size.

    Raises :class:`SubmissionRejected` when the file is the problem, and ``OSError`` when the
    grader could not read a regular file (it vanished, permissions, I/O): that is not the
    student's fault, and the submission is not gradable rather than scored.
    """
    name = printable(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        kind = what_is(path)
        if kind is None:  # gone, unreadable, too many open files: not the student's doing
            raise
        raise SubmissionRejected(f"{name} was not read: it is {kind}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionRejected(f"{name} was not read: it is not a regular file")
        if info.st_nlink != 1:
            raise SubmissionRejected(f"{name} was not read: it is a hard link to another file")
        limit = MAX_NOTEBOOK_BYTES if path.suffix == ".ipynb" else MAX_SOURCE_BYTES
        if info.st_size > limit:
            raise SubmissionRejected(f"{name} is {info.st_size} bytes, over the "
                                     f"{limit} byte limit")
        data = read_up_to(fd, limit + 1)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionRejected(f"{name} is not UTF-8 text (byte {exc.start})") from None


def what_is(path: Path) -> str | None:
    """What makes a file that could not be opened the student's problem (a symbolic link, a
    socket), or None when it was the grader's environment (see :func:`read_source`)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_up_to(fd: int, count: int) -> bytes:
    """Read until end of file or ``count`` bytes (one os.read may return less than asked)."""
    chunks, total = [], 0
    while total < count:
        chunk = os.read(fd, min(count - total, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
