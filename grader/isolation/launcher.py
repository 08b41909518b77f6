"""The grader's handle on the worker template: start it, ask it for workers, end them.

One :class:`Launcher` serves one grading process (its calls are serialized by a lock, so
threads can share it). It is started before the grader loads any reference, possibly in
the batch process that then forks the grading process using it; a template that dies is
replaced on the next request. It also lends each submission an empty scratch folder, the
only one its workers may write in, and empties it for the next (cheaper than a new one).

A submission that imports a package students commonly import at the top but that is slow to
import (matplotlib.pyplot: ~0.35 s) gets its workers from a second template of the same
launcher, one that imported it already (:data:`PRELOADS`, :meth:`Launcher.for_source`);
the others keep the lean template, whose forks are cheaper.
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import json
import os
import re
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass

# the folder that holds the grader package (this file is grader/isolation/launcher.py)
PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLEAN_ENV = {
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
# Run from this very copy of the grader (an installed one may differ), then take its folder
# off sys.path again unless it was there anyway (a source checkout also holds solutions/).
BOOT = ("import sys; root = sys.argv[1]; added = root not in sys.path\n"
        "if added: sys.path.insert(0, root)\n"
        "from grader.isolation.template import main\n"
        "if added: sys.path.remove(root)\n"
        "main(sys.argv[1:])")


# Packages a variant template imports before its first fork, by the name a submission
# imports; a fixed table: a submission only chooses among these, never names a module.
# Forking a process that holds matplotlib costs ~2 ms more than a lean one (bench/RESULTS.md),
# so only the submissions that import it pay for it.
PRELOADS = {"matplotlib": ("matplotlib", "matplotlib.pyplot")}
TOP_IMPORT = re.compile(r"^[ \t]*(?:import|from)[ \t]+(" + "|".join(PRELOADS) + r")\b", re.M)


def preloads_for(source: str) -> tuple[str, ...]:
    """The modules a variant template should hold for ``source``: those of every
    :data:`PRELOADS` package it imports (at the top or in a function); () for none."""
    found = sorted(set(TOP_IMPORT.findall(source)))
    return tuple(module for package in found for module in PRELOADS[package])


class LauncherError(RuntimeError):
    """The template could not be started or stopped answering."""


@dataclass
class WorkerProcess:
    pid: int


def pin(pid: int, cpu: int | None) -> None:
    """Keep ``pid`` (0: this process) on one CPU, if this platform can; best effort."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(pid, {cpu})
        except OSError:
            pass


class Launcher:
    """``cpu``: run the template, and so every worker it forks, on that CPU only.
    ``preloading``: whether submissions that import a :data:`PRELOADS` package get their
    workers from a variant template (:meth:`for_source`): worth it for a batch (the
    variant's start, ~0.5 s once, against ~0.35 s per such submission), not for one file;
    ``preload``: modules the template imports before its first fork (a variant's);
    ``parent``: the launcher whose scratch folders and canary a variant shares."""

    def __init__(self, cpu: int | None = None, *, wait: bool = True, preloading: bool = False,
                 preload: tuple[str, ...] = (), parent: Launcher | None = None) -> None:
        self.cpu, self.preloading = cpu, preloading
        self.preload, self.parent = tuple(preload), parent
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self.capabilities: dict = {}
        self._variants: dict[tuple[str, ...], Launcher] = {}
        if parent is not None:  # a variant lends its parent's scratch folders
            self.canary, self.unremoved, self._scratch_base = parent.canary, [], None
            self._scratch_owner = -1  # never removes a base: it has none
            self._start(wait=wait)
            return
        # holds every scratch folder lent out, also by grading processes forked from here,
        # so closing this launcher in the batch process removes theirs too
        self._scratch_base: str | None = scratch_base()
        self._scratch_owner = os.getpid()  # the process that removes the base on close
        # what every worker must fail to read before it gets student code (sandbox.enter)
        self.canary: str | None = make_canary()
        self._scratch_free: list[str] = []
        self._scratch_pid = os.getpid()  # the process the free list belongs to
        self.unremoved: list[str] = []  # "path: reason" for each scratch entry left behind
        self._start(wait=wait)

    def _start(self, wait: bool = True) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(CLEAN_ENV)
        for name in ("BACKPROP_GRADER_DISABLE", "BACKPROP_GRADER_LANDLOCK_ABI",
                     "BACKPROP_GRADER_WORKER_UID"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        if self.parent is not None and self.parent._scratch_base is not None:
            # matplotlib's config and font cache: a folder of this batch's (removed with
            # the scratch folders), not the user's own settings
            env["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="matplotlib-",
                                                   dir=self.parent._scratch_base)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, PACKAGE_ROOT, str(theirs.fileno()),
                 ",".join(self.preload)],
                stdin=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), env=env, cwd="/",
                close_fds=True)
        finally:
            theirs.close()
        pin(self._process.pid, self.cpu)  # workers inherit it when the template forks them
        self._control = ours
        self._owner = os.getpid()  # only this process can wait for the template
        if wait:
            self.ready()

    @property
    def pid(self) -> int | None:
        """The template's process id; None once closed (the template ended and waited for)."""
        return None if self._process is None else self._process.pid

    def ready(self) -> None:
        """Wait for the template to say it started, and what this machine can enforce."""
        ready = self._receive()
        if not ready.get("ready"):
            raise LauncherError(f"the worker template did not start: {ready}")
        self.capabilities = ready["capabilities"]

    def _receive(self) -> dict:
        data = self._control.recv(1 << 16)
        if not data:
            raise LauncherError("the worker template exited")
        return json.loads(data)

    def _request(self, message: dict, fds: list[int] = ()) -> dict:
        if self._process is None or (self._owner == os.getpid()
                                     and self._process.poll() is not None):
            self._start()
        try:
            socket.send_fds(self._control, [json.dumps(message).encode()], list(fds))
            return self._receive()
        except (OSError, LauncherError):
            if self._owner == os.getpid():
                raise
            # a grading process forked from the owner cannot wait for the template, so it
            # learns of its death here, and starts its own
            self._start()
            socket.send_fds(self._control, [json.dumps(message).encode()], list(fds))
            return self._receive()

    def spawn(self, fds: tuple[int, int, int], limits: dict) -> WorkerProcess:
        """Fork a sandboxed worker that gets (request read, reply write, output write)."""
        if self.canary is not None:
            limits = dict(limits, canary=self.canary)
        with self._lock:
            reply = self._request({"op": "spawn", "limits": limits}, fds)
        if "pid" not in reply:
            raise LauncherError(reply.get("error", "spawn failed"))
        return WorkerProcess(reply["pid"])

    def end(self, worker: WorkerProcess) -> int | None:
        """Kill the worker and everything it started; returns its wait status."""
        with self._lock:
            try:
                reply = self._request({"op": "end", "pid": worker.pid})
            except (OSError, LauncherError):
                return None
        return reply.get("status")

    def for_source(self, source: str) -> Launcher:
        """The launcher for a submission's workers: this one, or, when ``source`` imports a
        :data:`PRELOADS` package, this launcher's variant holding it (started on first use,
        in the process that asks; exec'd clean like every template)."""
        preload = preloads_for(source) if self.preloading else ()
        if not preload or self.parent is not None:
            return self
        with self._lock:
            variant = self._variants.get(preload)
            if variant is None:
                variant = self._variants[preload] = Launcher(self.cpu, preload=preload,
                                                             parent=self)
            elif not variant.capabilities:  # started early (start_variant): wait for it once
                variant.ready()
        return variant

    @property
    def variants(self) -> tuple[tuple[str, ...], ...]:
        """What each variant template this launcher started holds (its ``preload``)."""
        return tuple(self._variants)

    def start_variant(self, preload: tuple[str, ...]) -> None:
        """Start the variant holding ``preload`` now, without waiting for it: its imports
        overlap the caller's work (a batch of notebooks, which mostly import matplotlib).
        A grading process forked afterwards uses it through the inherited socket, as it
        uses this launcher's template."""
        with self._lock:
            if (preload and self.preloading and self.parent is None
                    and preload not in self._variants):
                self._variants[preload] = Launcher(self.cpu, wait=False, preload=preload,
                                                   parent=self)

    def lend_scratch(self) -> str:
        """An empty folder for one submission's workers (thread-safe; per process after a fork)."""
        if self.parent is not None:
            return self.parent.lend_scratch()
        with self._lock:
            if self._scratch_pid != os.getpid():  # a forked copy: the free ones are not ours
                self._scratch_free, self._scratch_pid = [], os.getpid()
            if self._scratch_free:
                return self._scratch_free.pop()
            if self._scratch_base is None or not os.path.isdir(self._scratch_base):
                self._scratch_base = scratch_base()
                self._scratch_owner = os.getpid()
            return tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self._scratch_base)

    def take_back_scratch(self, path: str) -> None:
        """Lend ``path`` again only if it is empty now; otherwise remove it. Call it only when
        no worker that used it is alive (the template has swept them all)."""
        if self.parent is not None:
            return self.parent.take_back_scratch(path)
        try:
            empty = not os.listdir(path)
        except OSError:
            return
        if not empty:
            self.unremoved += remove_tree(path)
            return
        with self._lock:
            if self._scratch_pid == os.getpid():
                self._scratch_free.append(path)

    def close(self) -> None:
        for variant in self._variants.values():
            variant.close()
        self._variants.clear()
        with self._lock:
            if self._scratch_base is not None and self._scratch_owner == os.getpid():
                self.unremoved += remove_tree(self._scratch_base)
                self._scratch_base = None
                if self.canary is not None:
                    shutil.rmtree(os.path.dirname(self.canary), ignore_errors=True)
                    self.canary = None
            if self._control is not None:
                self._control.close()
                self._control = None
            if self._process is not None:
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process = None

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def scratch_base() -> str:
    """The folder holding the scratch folders lent out: others may pass through it (a worker
    switched to an unprivileged uid reaches its own scratch folder by its full path) but not
    list it; each scratch folder in it is its worker's alone (0700)."""
    base = tempfile.mkdtemp(prefix="bpg-scratch-")
    os.chmod(base, 0o711)
    return base


def make_canary() -> str | None:
    """A file in a private folder of the grader's: a worker that can open it is not
    isolated from the grader's files (its filesystem layer failed), and gets no student
    code. None if it cannot be made (the worker then proves its layer on the protected
    folders alone)."""
    try:
        folder = tempfile.mkdtemp(prefix="bpg-canary-")
        path = os.path.join(folder, "canary")
        with open(path, "x") as canary:
            canary.write("a worker that reads this is not isolated\n")
        os.chmod(path, 0o600)
        return path
    except OSError:
        return None


FS_IOC_GETFLAGS, FS_IOC_SETFLAGS = 0x80086601, 0x40086602
FS_IMMUTABLE_FL, FS_APPEND_FL = 0x10, 0x20


def remove_tree(path: str) -> list[str]:
    """Remove a folder a student wrote in, whatever permissions or (as root) immutable and
    append-only flags it set on its contents. Returns what could not be removed ("path:
    reason"), also written to stderr: a scratch folder left behind is never silent."""
    failures: list[str] = []
    reopened: set[str] = set()

    def allow_and_retry(function, name, exc_info):
        # never touch what holds the tree (the folder above it may be /tmp itself)
        loosen(name, os.path.dirname(name) if name != path else None)
        try:
            if function in (os.rmdir, os.unlink, os.remove):
                function(name)
            elif name not in reopened:  # a folder that could not be opened or listed
                reopened.add(name)
                shutil.rmtree(name, onerror=allow_and_retry)
            else:
                raise exc_info[1]
        except FileNotFoundError:
            pass
        except OSError as exc:  # a folder still holding what failed before adds nothing
            if not (exc.errno == errno.ENOTEMPTY and failures):
                failures.append(f"{name}: {exc.strerror or exc}")

    shutil.rmtree(path, onerror=allow_and_retry)
    if failures:
        print(f"warning: could not remove the scratch folder {path} (student files are left "
              "there; remove it by hand): " + "; ".join(failures[:5]), file=sys.stderr,
              flush=True)
    return failures


def loosen(name: str, parent: str | None) -> None:
    """Let ``name`` be removed: no immutable or append-only flag on it or on ``parent``
    (its folder, unless None), and both ours to write."""
    for pinned in (parent, name):  # first: chmod fails on an immutable entry
        if pinned is not None:
            unpin(pinned)
    try:
        if parent is not None:
            os.chmod(parent, 0o700)
        if os.path.isdir(name) and not os.path.islink(name):
            os.chmod(name, 0o700)
    except OSError:
        pass


def unpin(path: str) -> None:
    """Clear the immutable and append-only flags of a regular file or folder (needs
    CAP_LINUX_IMMUTABLE, which root has); anything else is left alone, never opened."""
    try:
        info = os.lstat(path)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            return
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        flags = bytearray(4)  # the kernel reads and writes an int, whatever the request says
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags)
        value = struct.unpack("=i", flags)[0]
        if value & (FS_IMMUTABLE_FL | FS_APPEND_FL):
            fcntl.ioctl(fd, FS_IOC_SETFLAGS,
                        struct.pack("=i", value & ~(FS_IMMUTABLE_FL | FS_APPEND_FL)))
    except OSError:
        pass
    finally:
        os.close(fd)


_shared: Launcher | None = None
_shared_lock = threading.Lock()


def shared() -> Launcher:
    """A process-wide launcher, for sessions created without one: the one
    :func:`start_early` started, if any (``grade check``), else a new one."""
    global _shared
    with _shared_lock:
        if _shared is None:
            with _early_lock:
                early = [launcher for launcher in _early
                         if launcher._scratch_owner == os.getpid()]
            _shared = adopt_early([early[0].cpu])[0] if early else Launcher()
            atexit.register(_shared.close)  # its template, and the scratch folders it lent
        return _shared


def cpus_for(processes: int) -> list[int | None]:
    """The CPU for each grading process, or None (no pinning) where that would crowd them.

    A call into a worker is a round trip between two processes; on one CPU it costs a few
    microseconds, across CPUs (an inter-processor wake-up, dear in a virtual machine) up to
    ten times more. So a grading process, its template and its workers share a CPU, and N
    grading processes use N of the CPUs this process may run on.
    """
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if os.environ.get("BACKPROP_GRADER_NO_PINNING") or not 1 <= processes <= len(allowed):
        return [None] * processes
    return allowed[:processes]


_early: list[Launcher] = []
_early_lock = threading.Lock()


def start_early(processes: int, *, pinned: bool = True) -> list[Launcher]:
    """Start the templates of a batch with ``processes`` grading processes without waiting
    for them: they import numpy while the caller imports the rest of the grader (start-up
    ~0.1 s shorter). :func:`adopt_early` hands them over; unused ones end at exit. Returns
    them, in the order :func:`adopt_early` hands them over. ``pinned=False``: on no CPU in
    particular (a process that does not pin itself either, such as ``grade check``)."""
    _close_early()
    cpus = cpus_for(max(1, processes)) if pinned else [None] * max(1, processes)
    launchers = [Launcher(cpu, wait=False) for cpu in cpus]
    with _early_lock:
        _early[:] = launchers
    return launchers


def adopt_early(cpus: list[int | None], *, wait: bool = True) -> list[Launcher]:
    """Launchers for ``cpus``: those :func:`start_early` started where they match (the
    first ones, in order), new ones for the rest; the other early ones are closed. With
    ``wait=False`` their templates may still be importing numpy (call ``ready()``), but they
    are exec'd already: nothing the caller loads from now on can reach them."""
    with _early_lock:
        early = [launcher for launcher in _early if launcher._scratch_owner == os.getpid()]
        _early.clear()
    adopted = []
    try:
        for cpu in cpus:
            if early and early[0].cpu == cpu:
                adopted.append(early.pop(0))
            else:
                adopted.append(Launcher(cpu, wait=False))
        for launcher in adopted if wait else ():
            launcher.ready()
    except BaseException:
        for launcher in adopted:
            launcher.close()
        raise
    finally:
        for launcher in early:
            launcher.close()
    return adopted


def _close_early() -> None:
    with _early_lock:
        stale = _early[:]
        _early.clear()
    for launcher in stale:
        launcher.close()


atexit.register(_close_early)
