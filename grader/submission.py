"""Find submissions on disk and read them safely, in the grader (student code never opens them).

A submission is one regular ``.py`` file or ``.ipynb`` notebook (see :mod:`grader.notebook`);
its stem is the student id. Symbolic links,
FIFOs, devices, hard-linked files and oversized files are refused, so a submission cannot
be a pointer to the hidden reference or block the grader.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

MAX_SOURCE_BYTES = 1024 * 1024
MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024  # notebooks carry their outputs (plots) along
SUFFIXES = (".py", ".ipynb")


class SubmissionRejected(Exception):
    """The file is not something the grader will read; the student scores zero and is told why."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def student_id(path: Path) -> str:
    """The file stem, made safe to use as a folder name."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", path.stem).lstrip(".") or "_"


def discover(paths) -> list[Submission]:
    """Every submission named by ``paths`` (files, or folders of files, not recursive)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"no such file or folder: {path}")
        if path.is_dir() and not path.is_symlink():
            found += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
        elif path.suffix in SUFFIXES:
            found.append(path)
        else:
            raise UsageError(f"{path} is not a submission: expected a {'/'.join(SUFFIXES)} file "
                             "or a folder of them")
    if not found:
        raise UsageError("nothing to grade: no " + "/".join(SUFFIXES) + " files in "
                         + ", ".join(map(str, paths)))
    submissions, seen = [], {}
    for path in found:
        student = student_id(path)
        if student in seen:
            raise UsageError(f"two submissions would both be student {student!r}: "
                             f"{seen[student]} and {path}")
        seen[student] = path
        submissions.append(Submission(student, path))
    return submissions


def read_source(path: Path) -> str:
    """The file's text, if it is a plain, single-linked, regular file of sensible size."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        reason = "it is a symbolic link" if os.path.islink(path) else exc.strerror
        raise SubmissionRejected(f"{path.name} was not read: {reason}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SubmissionRejected(f"{path.name} was not read: it is not a regular file")
        if info.st_nlink != 1:
            raise SubmissionRejected(f"{path.name} was not read: it is a hard link to another file")
        limit = MAX_NOTEBOOK_BYTES if path.suffix == ".ipynb" else MAX_SOURCE_BYTES
        if info.st_size > limit:
            raise SubmissionRejected(f"{path.name} is {info.st_size} bytes, over the "
                                     f"{limit} byte limit")
        data = read_up_to(fd, limit + 1)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionRejected(f"{path.name} is not UTF-8 text (byte {exc.start})") from None


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
