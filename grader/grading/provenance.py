"""What produced a grade, recorded in every grader.json, so a regrade can be trusted.

``tests_hash`` is a SHA-256 over the assignment's hidden folder (reference, tests, mistake
catalogue, every file in it: names and bytes, in a fixed order), so two runs with the same
hash graded with the same hidden material; ``grade merge`` refuses to mix hashes unless told,
and ``grade diff`` says when they differ.
"""

from __future__ import annotations

import hashlib
import os
import platform
from pathlib import Path

from grader import __version__

SKIPPED = ("__pycache__", ".pytest_cache")


def hidden_material_hash(directory: Path) -> str:
    """``sha256:<hex>`` of every regular file under ``directory`` (caches left out)."""
    digest = hashlib.sha256()
    for top, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(names):
            path = Path(top) / name
            if path.is_symlink() or not path.is_file() or name.endswith(".pyc"):
                continue
            relative = path.relative_to(directory).as_posix().encode()
            data = path.read_bytes()
            digest.update(len(relative).to_bytes(8, "big") + relative)
            digest.update(len(data).to_bytes(8, "big") + data)
    return "sha256:" + digest.hexdigest()


def provenance(assignment_directory: Path) -> dict:
    """The grader's version, the hidden material's hash and the machine that graded."""
    return {"grader_version": __version__,
            "tests_hash": hidden_material_hash(assignment_directory),
            "platform": platform.platform(), "python": platform.python_version()}
