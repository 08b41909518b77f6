"""Write files so that a reader (or a rerun after a kill) sees all of a file or none of it."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def open_atomic(path: Path, mode: str = "w", *, newline: str | None = None):
    """A file to stream into; it appears at ``path`` whole, flushed to disk, only if the block
    succeeds (``mode`` "w" for text, "wb" for bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    text = {"encoding": "utf-8", "newline": newline} if "b" not in mode else {}
    try:
        with os.fdopen(fd, mode, **text) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write all of ``data`` to ``path`` so that readers see the old file or the new one."""
    with open_atomic(path, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)
