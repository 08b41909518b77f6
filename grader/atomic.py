"""Write files so that a reader (or a rerun after a kill) sees all of a file or none of it.

:class:`PendingFiles` splits the write from the wait: the bytes go to temporary files now,
and ``commit()`` (on a background thread, say) waits for the disk and renames them, in
order. A grader then renders the next student while the disk catches up.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

# text from student code may hold lone surrogates (a "\udcff" in a JSON string decodes to
# one), which UTF-8 cannot encode: written as the escape \udcff, never an error that loses
# the report
ENCODING_ERRORS = "backslashreplace"


def encoded(data: str | bytes) -> bytes:
    """``data`` as UTF-8 bytes, whatever the text holds."""
    return data.encode("utf-8", ENCODING_ERRORS) if isinstance(data, str) else data


@contextmanager
def open_atomic(path: Path, mode: str = "w", *, newline: str | None = None):
    """A file to stream into; it appears at ``path`` whole, flushed to disk, only if the block
    succeeds (``mode`` "w" for text, "wb" for bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    text = {"encoding": "utf-8", "errors": ENCODING_ERRORS, "newline": newline} \
        if "b" not in mode else {}
    try:
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_atomic(path: Path, data: str | bytes, *, pending: PendingFiles | None = None) -> None:
    """Write all of ``data`` to ``path`` so that readers see the old file or the new one;
    with ``pending``, it appears only when that is committed."""
    if pending is not None:
        pending.write(path, data)
        return
    with open_atomic(path, "wb") as handle:
        handle.write(encoded(data))


class PendingFiles:
    """Files written in full under temporary names, put in place by :meth:`commit`."""

    def __init__(self) -> None:
        self._files: list[tuple[int, str, Path]] = []  # (descriptor, temporary name, path)

    def write(self, path: Path, data: str | bytes) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except FileNotFoundError:  # the folder is made only when missing: one call less
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self._files.append((fd, tmp, path))
        view = memoryview(encoded(data))
        while view:
            view = view[os.write(fd, view):]

    def commit(self) -> None:
        """Flush every file to disk, then rename each into place in the order written (so
        the last one appears only after all the others); on failure, discard the rest."""
        try:
            for fd, _, _ in self._files:
                os.fsync(fd)
            while self._files:
                fd, tmp, path = self._files.pop(0)
                os.close(fd)
                try:
                    os.replace(tmp, path)
                except BaseException:
                    os.unlink(tmp)
                    raise
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Remove the temporary files; nothing appears."""
        for fd, tmp, _ in self._files:
            for undo, argument in ((os.close, fd), (os.unlink, tmp)):
                try:
                    undo(argument)
                except OSError:
                    pass
        self._files.clear()
