"""Gradescope autograder bundles: build the zip, and grade inside Gradescope's container.

The zip holds ``setup.sh`` (installs the grader wheel that travels in the zip: the grader is
not on PyPI), ``run_autograder`` (grades /autograder/submission and writes
/autograder/results/results.json) and the assignment's hidden solutions, which exist only in
the bundle, never in the wheel. The autograder root is ``$BACKPROP_GRADER_AUTOGRADER_ROOT``,
default /autograder, so the bundle can be tried in a scratch folder.

Gradescope runs the autograder as root; where its kernel has no Landlock and namespaces are
refused, workers fall back to an unprivileged uid, so ``run`` first closes
/autograder/source (the hidden solutions) and /autograder/results to other users.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from grader.atomic import write_atomic
from grader.errors import UsageError
from grader.grading.results import NOT_GRADABLE, SubmissionResult
from grader.grading.runner import failed_everywhere
from grader.loading.assignment import load_assignment
from grader.loading.submission import SubmissionRejected, read_source
from grader.reports import gradescope

ROOT_ENV = "BACKPROP_GRADER_AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # a checkout holds pyproject.toml here

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built.
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update && apt-get install -y python3 python3-pip
fi
export PIP_BREAK_SYSTEM_PACKAGES=1  # the image's system Python is the grader's own
python3 -m pip install --no-cache-dir ./{wheel}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: grade submission/, write results/results.json.
set -uo pipefail
ROOT="${{{env}:-{default}}}"
exec python3 -m grader gradescope --assignment {assignment} --root "$ROOT" \\
  --solutions "$ROOT/source/solutions"
"""


def build_wheel(destination: Path) -> Path:
    """The grader as a wheel, built from this checkout (never including solutions/)."""
    if not (SOURCE_ROOT / "pyproject.toml").is_file():
        raise UsageError("building a bundle needs the grader's source checkout (pip install -e "
                         "from a clone), or pass --wheel with a built backprop_grader wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                           "--wheel-dir", str(destination), str(SOURCE_ROOT)],
                          capture_output=True, text=True)
    wheels = sorted(destination.glob("backprop_grader-*.whl"))
    if done.returncode != 0 or not wheels:
        raise UsageError(f"could not build the grader wheel: {done.stderr.strip()[-2000:]}")
    return wheels[-1]


def build_bundle(*, assignment: str, out: str | os.PathLike,
                 solutions: str | os.PathLike | None = None,
                 wheel: str | os.PathLike | None = None) -> Path:
    """Write Gradescope's autograder.zip for ``assignment`` to ``out``; returns its path."""
    loaded = load_assignment(assignment, solutions=solutions)  # a usage error if it is wrong
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="bpg-bundle-") as scratch:
        wheel_path = Path(wheel) if wheel else build_wheel(Path(scratch))
        if not wheel_path.is_file() or not wheel_path.name.endswith(".whl"):
            raise UsageError(f"{wheel_path} is not a wheel file")
        files = {
            "setup.sh": SETUP_SH.format(wheel=shlex.quote(wheel_path.name)),
            "run_autograder": RUN_AUTOGRADER.format(
                env=ROOT_ENV, default=DEFAULT_ROOT, assignment=shlex.quote(loaded.name)),
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
                info.external_attr = 0o100755 << 16  # executable regular file
                info.compress_type = zipfile.ZIP_DEFLATED
                bundle.writestr(info, text)
            bundle.write(wheel_path, wheel_path.name)
            for path in sorted(loaded.directory.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    relative = path.relative_to(loaded.directory)
                    bundle.write(path, f"solutions/{loaded.name}/{relative}")
        os.replace(tmp, out)
    return out


def find_submission(directory: Path, filename: str) -> Path | None:
    """The student's file in Gradescope's submission folder, however it was uploaded.

    Symbolic links to folders are not followed (nor, later, to files: read_source refuses
    them), so an upload cannot point the grader at the hidden solutions.
    """
    named, python = [], []
    for folder, _, files in os.walk(directory):  # does not follow links to folders
        for name in files:
            path = Path(folder) / name
            if name == filename:
                named.append(path)
            elif name.endswith(".py"):
                python.append(path)
    if named:
        return min(named, key=lambda p: (len(p.parts), str(p)))
    return python[0] if len(python) == 1 else None


def close_to_others(root: Path) -> None:
    """As root (Gradescope's autograder runs as root): the hidden solutions and the results
    become root's alone, so a worker running as an unprivileged uid (the layer used where
    Landlock and namespaces are missing) cannot read them. Elsewhere: left as they are."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    for folder in (root / "source", results):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o700)


def submitter_of(root: Path) -> str:
    """The submitter's Gradescope user id (ids, comma-separated, for a group), from
    ``ROOT/submission_metadata.json``; "" where it is missing or unreadable."""
    try:
        metadata = json.loads((root / "submission_metadata.json").read_text(encoding="utf-8"))
        users = metadata.get("users") or []
        return ",".join(str(user["id"]) for user in users if isinstance(user, dict)
                        and isinstance(user.get("id"), (int, str)))[:200]
    except (OSError, ValueError, AttributeError, TypeError):
        return ""


def record_submitter(model: Path, submitter: str) -> None:
    """Keep the submitter's id in the results model (grader.json)."""
    if not submitter:
        return
    result = SubmissionResult.from_dict(json.loads(model.read_text(encoding="utf-8")))
    result.submitter = submitter
    write_atomic(model, json.dumps(result.to_dict()) + "\n")


def run(*, assignment: str, root: str | os.PathLike | None = None,
        solutions: str | os.PathLike | None = None, feedback: str = "full") -> Path:
    """Grade ``ROOT/submission`` and write ``ROOT/results/results.json``, whatever happens."""
    from grader.batch import RESULT_MODEL_FILE, grade

    root = Path(root or os.environ.get(ROOT_ENV) or DEFAULT_ROOT)
    results = root / "results"
    close_to_others(root)
    loaded = load_assignment(assignment, solutions=solutions)
    student_file = loaded.spec.student_file
    path = find_submission(root / "submission", student_file)
    try:
        if path is None:
            raise SubmissionRejected(f"no {student_file} in your submission: upload exactly "
                                     "that file, with that name")
        source = read_source(path)
    except SubmissionRejected as rejected:
        result = SubmissionResult("submission", loaded.name, student_file,
                                  checks=failed_everywhere(loaded, str(rejected)))
        return gradescope.write(result, results)
    except OSError as exc:  # the file is there but could not be read: not the student's doing
        result = SubmissionResult("submission", loaded.name, student_file, status=NOT_GRADABLE,
                                  reason=f"the grader could not read {student_file}: {exc}")
        return gradescope.write(result, results)
    with tempfile.TemporaryDirectory(prefix="bpg-submission-") as staging:
        staged = Path(staging) / student_file
        staged.write_text(source, encoding="utf-8")
        try:
            (row,) = grade(assignment=assignment, paths=[staged], out=results / "reports",
                           solutions=solutions, jobs=1, feedback=feedback)
            report = results / "reports" / row.student / gradescope.FILENAME
            text = report.read_text(encoding="utf-8")
            record_submitter(results / "reports" / row.student / RESULT_MODEL_FILE,
                             submitter_of(root))
        except Exception as exc:  # whatever broke, Gradescope gets a results.json saying so
            result = SubmissionResult(
                "submission", loaded.name, student_file, status=NOT_GRADABLE,
                reason=f"the grader failed: {type(exc).__name__}: {exc}"[:500])
            return gradescope.write(result, results)
    path = results / gradescope.FILENAME
    write_atomic(path, text)
    return path
