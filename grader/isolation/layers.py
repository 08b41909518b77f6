"""Before grading: which filesystem layer keeps student code from the hidden files here.

The worker template probes the machine (:func:`grader.isolation.sandbox.filesystem_layers`);
the first available of Landlock, a private filesystem view, and an unprivileged uid is
used, and every worker proves it before it gets student code. With none available, grading
is refused (exit code 3) unless ``--unsafe``. The uid layer hides only what that uid may not
read, so before grading the solutions, the reports folder and the submissions folders must
be closed to it, and the Python installation open to it: the grader checks both, as that
uid, and refuses naming each path and the ``chmod`` that fixes it.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from pathlib import Path

from grader.errors import CannotGradeSafely
from grader.isolation import sandbox

DESCRIPTIONS = {
    "landlock": "Landlock",
    "view": "a private filesystem view (user and mount namespaces)",
    "uid": "an unprivileged uid",
}


def choose(capabilities: dict, *, unsafe: bool, protect: list[str],
           out: Path) -> tuple[str, list[str]]:
    """The filesystem layer workers must prove (or "none" under ``unsafe``), and warnings
    for the instructor. Raises :class:`CannotGradeSafely` where student code cannot be kept
    from the hidden files and ``unsafe`` is off, or where the uid layer would not hold."""
    layers = capabilities.get("filesystem_layers") or {}
    layer = next((name for name, why in layers.items() if not why), sandbox.NO_LAYER)
    warnings = []
    if layer == sandbox.NO_LAYER:
        tried = "; ".join(f"{DESCRIPTIONS.get(name, name)}: {why}" for name, why in layers.items())
        text = ("filesystem isolation is not available here "
                f"({capabilities.get('platform', '?')}), so student code could read the hidden "
                f"solutions and other submissions. Tried: {tried or 'nothing (not Linux)'}")
        if not unsafe:
            raise CannotGradeSafely(text + ". Cannot grade safely here: re-run with --unsafe to "
                                    "grade anyway (trusted code only).")
        warnings.append(f"--unsafe: {text}")
    elif layer != "landlock":
        warnings.append(f"Landlock is not available ({layers.get('landlock')}): student code "
                        f"is kept from your files by {DESCRIPTIONS[layer]} instead")
    if layer == "uid":
        warnings.append("under the uid layer student code can read every file that any user "
                        "may read (world-readable files outside the solutions, reports and "
                        "submissions folders); see SECURITY.md")
        check_uid_layer(protect, out)
    return layer, warnings


def other_warnings(capabilities: dict) -> list[str]:
    """What else is missing: seccomp, the write quota."""
    warnings = []
    if not capabilities.get("seccomp"):
        warnings.append("seccomp is not available: student code may start processes and open "
                        "sockets (a network namespace, where available, still blocks the network)")
    if not capabilities.get("quota"):
        warnings.append("no write quota (it needs root or user namespaces): student code may "
                        "fill the disk that holds the scratch folders "
                        f"({tempfile.gettempdir()})")
    return warnings


def check_uid_layer(protect: list[str], out: Path) -> None:
    """Refuse unless the worker uid can open none of ``protect`` and read every root the
    workers import from. A new ``out`` folder is made 0700 first (reports are private)."""
    if not out.exists():
        out.mkdir(parents=True, mode=0o700)
    uid, gid = sandbox.worker_uid()
    roots = [root for root, _ in sandbox.read_only_roots(tuple(protect))]
    exposed, closed = seen_by(uid, gid, protect, roots)
    problems = [f"{path} is readable by uid {uid}: run `chmod go-rwx {shlex.quote(path)}`"
                + (f" and `chown root {shlex.quote(path)}`" if owner(path) == uid else "")
                for path in exposed]
    problems += [f"{root} (what student code imports from) cannot be read by uid {uid}: run "
                 f"`chmod o+x {shlex.quote(blocker)}`" for root, blocker in closed]
    if problems:
        raise CannotGradeSafely(
            "Landlock and user namespaces are not available here, so workers run as uid "
            f"{uid}, which hides only what that uid cannot read. Cannot grade safely until: "
            + "; ".join(problems) + " (or set BACKPROP_GRADER_WORKER_UID=UID:GID to another "
            "unprivileged user)")


def repository_of(solutions: Path) -> list[str]:
    """What of the repository holding ``solutions`` no worker may read: its git folder
    (every committed solution and hidden test is in its history), a worktree's own and the
    shared one, and the whole checkout unless the Python installation lives in it (a venv
    in the checkout must stay open to the workers). [] outside a repository."""
    for folder in (solutions, *solutions.parents):
        dot_git = folder / ".git"
        if not os.path.lexists(dot_git):
            continue
        found = {str(dot_git.resolve())}
        if dot_git.is_file():  # a worktree: "gitdir: <its folder>", which names the shared one
            try:
                text = dot_git.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            if text.startswith("gitdir:"):
                own = (folder / text[len("gitdir:"):].strip()).resolve()
                found.add(str(own))
                try:
                    common = (own / (own / "commondir").read_text().strip()).resolve()
                    found.add(str(common))
                except OSError:
                    pass
        roots = [root for root, _ in sandbox.read_only_roots(())]
        inside = str(folder).rstrip("/") + "/"
        if not any((root + "/").startswith(inside) for root in roots):
            found.add(str(folder))
        return sorted(found)
    return []


def owner(path: str) -> int | None:
    try:
        return os.stat(path).st_uid
    except OSError:
        return None


def seen_by(uid: int, gid: int, protect: list[str],
            roots: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """As ``uid``:``gid`` with no other group (a child process of ours switched to it): the
    protected paths it can open or enter, and each root it cannot read with the first folder
    on the way that it cannot enter."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            exposed = [path for path in protect
                       if os.access(path, os.R_OK) or os.access(path, os.X_OK)]
            closed = [(root, first_closed(root)) for root in roots
                      if not os.access(root, os.R_OK)]
            os.write(write, json.dumps([exposed, closed]).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    _, status = os.waitpid(pid, 0)
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        raise CannotGradeSafely(f"could not check what uid {uid} can read (could not switch "
                                "to it)")
    exposed, closed = json.loads(data)
    return exposed, [tuple(pair) for pair in closed]


def first_closed(path: str) -> str:
    """The outermost folder on the way to ``path`` that this process cannot enter."""
    current = "/"
    for part in Path(path).parts[1:]:
        if not os.access(current, os.X_OK):
            return current
        current = os.path.join(current, part)
    return current
