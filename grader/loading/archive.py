"""Extracting a downloaded ``.zip`` (a platform's export) safely, in the grader.

Nothing in an archive is trusted: every member must be a plain file or folder whose name stays
inside the extraction folder (no absolute names, no ``..``, no links, no devices, no encrypted
members, no name twice), and the archive must stay under caps on the number of members and on
the bytes they expand to, counted while decompressing (the sizes in a zip's headers may lie).

What only a student can have caused costs only that student: given a ``refused`` dict,
a member whose name appears twice (also by case only: ``Backprop.py`` beside ``backprop.py``)
or that expands past the per-file cap is not extracted; an empty placeholder takes its place,
so the layout's own rule finds whose hand-in it was, and ``refused`` says why (the layout makes
that student not gradable). Anything else (a name that escapes, a link, a device, an
encrypted member, a corrupt archive, more members or bytes than the whole export may hold)
refuses the whole archive with a clear error, before a single student is graded: no platform
exports such a thing, so it is a usage error, not a student's zero.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath

from grader.errors import UsageError

MAX_MEMBERS = 100_000  # a class of 2000 with fifty files each; bounds the central directory
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # twice the largest notebook the grader reads
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
CHUNK = 1 << 20


class UnsafeArchive(UsageError):
    """The archive is refused: it is corrupt, or a member would escape or exceed the caps."""


def member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's relative path, or :class:`UnsafeArchive` if it could land anywhere else."""
    name = info.filename.replace("\\", "/")  # zips made on Windows may use either
    if "\x00" in name or not name.strip("/"):
        raise UnsafeArchive(f"member {name!r} has no usable name")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchive(f"member {name!r} is an absolute path")
    if ".." in path.parts:
        raise UnsafeArchive(f"member {name!r} would be written outside the folder")
    return path


def member_kind(info: zipfile.ZipInfo) -> str:
    """"dir" or "file"; :class:`UnsafeArchive` for a link, device, FIFO or encrypted member."""
    if info.flag_bits & 0x1:
        raise UnsafeArchive(f"member {info.filename!r} is encrypted")
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_IFMT(mode):  # made on Unix: the type is recorded
        if stat.S_ISLNK(mode):
            raise UnsafeArchive(f"member {info.filename!r} is a symbolic link")
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise UnsafeArchive(f"member {info.filename!r} is not a plain file or folder")
    return "dir" if info.is_dir() else "file"


def plan(archive: zipfile.ZipFile, refused: dict | None = None
         ) -> list[tuple[zipfile.ZipInfo, PurePosixPath, str]]:
    """Every member checked by its headers, before anything is written; with ``refused``, a
    repeated name or an oversized member is kind "refused" (a placeholder) instead of a
    refusal of the whole archive."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"it has {len(infos)} members, over the cap of {MAX_MEMBERS}")
    members = [(info, member_path(info), member_kind(info)) for info in infos]
    names: dict[str, list[str]] = {}
    for _info, path, kind in members:
        if kind == "file":
            names.setdefault(str(path).lower(), []).append(str(path))
    planned, placed = [], set()
    for info, path, kind in members:
        problem = ""
        same = names.get(str(path).lower(), [])
        if kind == "file" and len(same) > 1:
            problem = (f"the archive holds {len(same)} files named like it (" + ", ".join(same)
                       + "): which one was handed in is ambiguous")
        elif info.file_size > MAX_MEMBER_BYTES:
            problem = (f"it expands to {info.file_size} bytes, over the cap of "
                       f"{MAX_MEMBER_BYTES} per file")
        if problem and refused is None:
            raise UnsafeArchive(f"member {info.filename!r}: {problem}")
        if problem:
            if str(path) not in placed:  # one placeholder per name
                placed.add(str(path))
                refused[path] = problem
                planned.append((info, path, "refused"))
            continue
        planned.append((info, path, kind))
    return planned


def extract(zip_path: Path, dest: Path, refused: dict | None = None) -> Path:
    """Extract ``zip_path`` into the existing, empty, private folder ``dest``; returns it.

    Raises :class:`UnsafeArchive` (a usage error naming the archive) for anything unsafe or
    unreadable; ``dest`` may then hold part of the archive and is the caller's to remove.
    With ``refused`` (a dict), members only their student can be blamed for are left out
    instead: ``refused`` maps each placeholder's path (under ``dest``) to why.
    """
    skipped: dict = {} if refused is not None else None
    try:
        with zipfile.ZipFile(zip_path) as archive:
            members = plan(archive, skipped)
            total = 0
            for info, path, kind in members:
                target = dest.joinpath(*path.parts)
                if kind == "dir":
                    make_folders(dest, path.parts)
                    continue
                make_folders(dest, path.parts[:-1])
                if kind == "refused":
                    placeholder(target)
                    continue
                try:
                    total += copy_member(archive, info, target, MAX_TOTAL_BYTES - total)
                except OversizedMember as exc:
                    if skipped is None:
                        raise UnsafeArchive(str(exc)) from None
                    total += exc.written  # what it cost to find out counts all the same
                    placeholder(target)
                    skipped[path] = exc.problem
    except UnsafeArchive as exc:
        raise UnsafeArchive(f"{zip_path} was not extracted: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            ValueError, RuntimeError) as exc:
        raise UnsafeArchive(f"{zip_path} is not a readable zip archive: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot extract {zip_path}: {exc.strerror or exc}") from None
    if refused is not None:
        refused.update({dest.joinpath(*path.parts): why for path, why in skipped.items()})
    return dest


class OversizedMember(Exception):
    """A member expanded past the per-file cap while it was decompressed."""

    def __init__(self, name: str, problem: str, written: int):
        super().__init__(f"member {name!r}: {problem}")
        self.problem, self.written = problem, written


def placeholder(target: Path) -> None:
    """An empty file where a refused member would have been (emptied if partly written)."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600)
    os.close(fd)


def make_folders(dest: Path, parts: tuple[str, ...]) -> None:
    """Each folder on the way, refusing to pass through anything but a real folder (an earlier
    member cannot have made a link: links are refused, but be sure)."""
    current = dest
    for part in parts:
        current = current / part
        try:
            os.mkdir(current, 0o700)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(current).st_mode):
                raise UnsafeArchive(f"{'/'.join(parts)!r} is both a file and a folder") from None


def copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
                budget: int) -> int:
    """Decompress one member into a new file, counting the bytes as they come (never trusting
    the header); returns how many were written."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600)
    written = 0
    with os.fdopen(fd, "wb") as out, archive.open(info) as member:
        while chunk := member.read(CHUNK):
            written += len(chunk)
            if written > MAX_MEMBER_BYTES:
                raise OversizedMember(info.filename, "it expands past the cap of "
                                      f"{MAX_MEMBER_BYTES} bytes per file", written)
            if written > budget:
                raise UnsafeArchive(f"its members expand past the cap of {MAX_TOTAL_BYTES} "
                                    "bytes in all")
            out.write(chunk)
    return written
