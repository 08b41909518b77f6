"""Find an assignment's hidden reference and test specification, and load them.

Hidden material lives outside the installed package, in a solutions folder
(``--solutions``, else ``$BACKPROP_GRADER_SOLUTIONS``, else ``./solutions``) holding
``<name>/reference.py`` and ``<name>/tests.py``. It is loaded only in the grader's process,
after the worker template exists, and never sent to a worker.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from grader.errors import UsageError
from grader.grading.spec import Spec

ENV_VAR = "BACKPROP_GRADER_SOLUTIONS"
PROVIDED = "provided"  # solutions/<name>/provided/: the assignment's public helper modules


@dataclass
class Assignment:
    name: str
    directory: Path
    spec: Spec
    reference: ModuleType
    # public, trusted helper modules (solutions/<name>/provided/*.py): released beside the
    # student's file, importable (read-only) in the workers; None when there are none
    provided: Path | None = None
    # grader.grading.plan: the calls a correct submission receives, by "plots", learned on first use
    plans: dict = field(default_factory=dict, repr=False, compare=False)


def solutions_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Where the hidden solutions are: the option, the environment variable, or ./solutions."""
    path = Path(explicit or os.environ.get(ENV_VAR) or "solutions")
    if not path.is_dir():
        raise UsageError(f"no solutions folder at {path}: pass --solutions DIR "
                         f"(or set {ENV_VAR}) to the folder that holds the hidden references")
    return path


def available(solutions: Path) -> list[str]:
    return sorted(p.parent.name for p in solutions.glob("*/tests.py"))


def load_module(name: str, path: Path) -> ModuleType:
    """Load ``path`` as module ``name``, its ``assert`` statements kept even under ``python
    -O``: in a hidden test, an assert is a check."""
    module_spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(module_spec)
    code = compile(Path(path).read_bytes(), str(path), "exec", dont_inherit=True, optimize=0)
    exec(code, module.__dict__)
    return module


def load_assignment(name: str, *, solutions: str | os.PathLike | None = None) -> Assignment:
    """Load ``<solutions>/<name>``: the reference module and the test spec."""
    root = solutions_dir(solutions)
    directory = root / name
    if not (directory / "tests.py").is_file() or not (directory / "reference.py").is_file():
        names = ", ".join(available(root)) or "none"
        raise UsageError(f"unknown assignment {name!r} (available in {root}: {names})")
    reference = load_module(f"_bpg_reference_{name}", directory / "reference.py")
    tests = load_module(f"_bpg_tests_{name}", directory / "tests.py")
    spec = getattr(tests, "spec", None)
    if not isinstance(spec, Spec):
        raise UsageError(f"{directory / 'tests.py'} defines no `spec = Spec(...)`")
    provided = directory / PROVIDED
    return Assignment(name=name, directory=directory, spec=spec, reference=reference,
                      provided=provided.resolve() if provided.is_dir() else None)


def provided_modules(assignment: Assignment) -> list[Path]:
    """The assignment's provided helper modules (public: students get them too)."""
    return sorted(assignment.provided.glob("*.py")) if assignment.provided else []


_published: dict[Path, str] = {}


def published_provided(assignment: Assignment) -> str | None:
    """A copy of the provided modules that workers import: outside every protected folder
    (the originals sit in solutions/, which no worker may see, nor even find in a private
    view) and readable by any user (the uid layer's workers too). Made once per process
    that asks first (the batch, before its grading processes fork), removed at its exit."""
    if assignment.provided is None:
        return None
    folder = _published.get(assignment.provided)
    if folder is None or not os.path.isdir(folder):
        folder = tempfile.mkdtemp(prefix="bpg-provided-")
        os.chmod(folder, 0o755)
        for module in provided_modules(assignment):
            shutil.copyfile(module, os.path.join(folder, module.name))
            os.chmod(os.path.join(folder, module.name), 0o644)
        owner = os.getpid()
        atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, True))
        _published[assignment.provided] = folder
    return folder
