"""The worker template: a clean interpreter that forks one sandboxed worker per request.

Started by :mod:`grader.isolation.launcher` with a fixed minimal environment, before the
grader loads any reference solution, and exec'd (never forked from the grader), so no hidden
data is in its memory. numpy is imported once here; each worker is a ``fork()`` of this
process, which costs milliseconds instead of an interpreter start.

It is a child subreaper: whatever a worker started (even after ``setsid``) is re-parented
here when the worker dies, and is killed by :func:`sweep` when the grader ends that worker.
Requests arrive as JSON on a Unix socket, with the worker's pipe ends as SCM_RIGHTS.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import socket
import sys
import time

import numpy  # noqa: F401  (pre-imported once, shared by every forked worker)
import numpy.random  # noqa: F401

from grader.isolation import sandbox, worker

MAX_REQUEST = 1 << 16
WORKER_FDS = (3, 4)  # request pipe (read end), reply pipe (write end)
RULESET_FD = 5  # the Landlock ruleset, until the worker has enforced (and closed) it
RULESETS = 8  # kept per template: one per scratch folder in use, and a few spare


def children() -> list[int]:
    """This process's direct children, from /proc (the kernel's list where it keeps one)."""
    me, found = os.getpid(), []
    try:  # single-threaded process; read raw: this runs after every worker
        listing = os.open(f"/proc/{me}/task/{me}/children", os.O_RDONLY | os.O_CLOEXEC)
        try:
            data = b""
            while chunk := os.read(listing, 65536):
                data += chunk
        finally:
            os.close(listing)
        return [int(pid) for pid in data.split()]
    except OSError:
        pass
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me:
            found.append(int(name))
    return found


class Template:
    def __init__(self, control: socket.socket):
        self.control = control
        self.subreaper = False
        self.workers: dict[int, int | None] = {}  # live or finished worker -> wait status
        self.rulesets: dict[tuple, int | None] = {}  # (scratch, its inode, protect) -> fd

    def reap(self) -> None:
        """Collect every finished child, remembering the statuses of workers."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.workers:
                self.workers[pid] = status

    def sweep(self) -> int:
        """Kill every child that is not a live worker (orphans of finished workers)."""
        killed = 0
        for _ in range(1000):
            self.reap()
            strays = [pid for pid in children()
                      if pid not in self.workers or self.workers[pid] is not None]
            if not strays:
                return killed
            for pid in strays:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
            time.sleep(0.001)  # let the killed become zombies before the next reap
        return killed

    def spawn(self, request: dict, fds: list[int]) -> dict:
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            return {"error": "spawn needs three descriptors"}
        limits = request.get("limits", {})
        sandbox.view_plan(tuple(limits.get("protect", ())),  # once here, not per worker
                          tuple(limits.get("provided", ())))
        ruleset = self.ruleset_for(limits)
        pid = os.fork()
        if pid == 0:
            self.become_worker(limits, fds, ruleset)
        for fd in fds:
            os.close(fd)
        self.workers[pid] = None
        return {"pid": pid}

    def ruleset_for(self, limits: dict) -> int | None:
        """The Landlock ruleset for these limits, built once per scratch folder (a folder
        made anew under the same name gets a new one); None: each worker builds its own
        (as with a write quota, whose tmpfs only the worker sees)."""
        scratch = limits.get("scratch")
        if (not scratch or "landlock" in sandbox.disabled() or not sandbox.landlock_abi()
                or sandbox.quota_planned()):
            return None
        try:
            folder = os.stat(scratch)
        except OSError:
            return None
        key = (scratch, folder.st_dev, folder.st_ino, tuple(limits.get("protect", ())),
               tuple(limits.get("provided", ())))
        if key not in self.rulesets:
            while len(self.rulesets) >= RULESETS:
                stale = self.rulesets.pop(next(iter(self.rulesets)))
                if stale is not None:
                    os.close(stale)
            self.rulesets[key] = sandbox.landlock_ruleset(sandbox.landlock_abi(), scratch,
                                                          list(key[3]), list(key[4]))
        return self.rulesets[key]

    def become_worker(self, limits: dict, fds: list[int], ruleset: int | None) -> None:
        """In the forked child: keep only the worker pipes (and the ruleset, until it is
        enforced), sandbox, serve. Never returns."""
        try:
            request_fd, reply_fd, output_fd = fds
            kept = [request_fd, reply_fd, output_fd] + ([ruleset] if ruleset is not None else [])
            high = [os.dup(fd) for fd in kept]
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(high[2], 1)
            os.dup2(high[2], 2)
            os.dup2(high[0], WORKER_FDS[0])
            os.dup2(high[1], WORKER_FDS[1])
            if ruleset is not None:
                os.dup2(high[3], RULESET_FD)
            last = RULESET_FD if ruleset is not None else WORKER_FDS[1]
            os.closerange(last + 1, os.sysconf("SC_OPEN_MAX"))
            os.setsid()
            sandbox.prctl(sandbox.PR_SET_PDEATHSIG, signal.SIGKILL)
            sandbox.name_process(b"bpg-worker")
            if os.getppid() == 1:  # the template died in between
                os._exit(75)
            os.chdir(limits.get("scratch") or "/")
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            active = dict(sandbox.enter(limits, RULESET_FD if ruleset is not None else None),
                          subreaper=self.subreaper)
            required = limits.get("filesystem")
            if required and required != sandbox.NO_LAYER and active["filesystem"] != required:
                worker.refuse(WORKER_FDS[1], active)  # the grader learns why, from its hello
            worker.serve(WORKER_FDS[0], WORKER_FDS[1], active)
        except BaseException:
            pass
        os._exit(70)

    def end(self, request: dict) -> dict:
        """Kill one worker (if still alive), sweep its orphans, return its wait status."""
        pid = request.get("pid")
        if pid not in self.workers:
            return {"error": f"{pid} is not a worker"}
        if self.workers[pid] is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, status = os.waitpid(pid, 0)
                self.workers[pid] = status
            except ChildProcessError:
                pass
        status = self.workers.pop(pid)
        swept = self.sweep()
        return {"status": status, "swept": swept}

    def serve(self, preload: list[str]) -> None:
        self.subreaper = sandbox.prctl(sandbox.PR_SET_CHILD_SUBREAPER, 1)
        sandbox.name_process(b"bpg-template")
        sandbox.prepare()
        preloaded = preload_modules(preload)
        try:
            worker.warm_up()
        except Exception:  # only a head start: a worker does the same on first use
            pass
        gc.collect()
        gc.freeze()  # forked workers then share these pages instead of copying them on GC
        capabilities = sandbox.probe()
        layers = capabilities.get("filesystem_layers") or {}
        if next((name for name, why in layers.items() if not why), None) == "uid":
            # the workers will run as another uid that may read /proc/<pid>/cmdline of us
            # and of themselves: it names the grader's folder, which holds solutions/
            sandbox.hide_command_line("bpg-template")
        try:
            self.send({"ready": True, "capabilities": capabilities, "pid": os.getpid(),
                       "preloaded": preloaded})
        except OSError:  # closed before it was needed (an early start nobody adopted)
            os._exit(0)
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(self.control, MAX_REQUEST, 3)
            except OSError:
                data, fds = b"", []
            if not data:
                self.sweep_all()
                os._exit(0)
            request = json.loads(data)
            operation = request.get("op")
            if operation == "spawn":
                reply = self.spawn(request, fds)
            elif operation == "end":
                reply = self.end(request)
            else:
                reply = {"error": f"unknown op {operation!r}"}
            try:
                self.send(reply)
            except OSError:  # the grader is gone (Ctrl-C, killed): end what it left
                self.sweep_all()
                os._exit(0)

    def sweep_all(self) -> None:
        for pid in list(self.workers):
            if self.workers[pid] is None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.workers.clear()
        self.sweep()

    def send(self, message: dict) -> None:
        self.control.sendall(json.dumps(message).encode())


def preload_modules(names: list[str]) -> list[str]:
    """Import ``names`` (the launcher's fixed table, never a submission's words) so every
    worker forked from here finds them imported; matplotlib with its non-interactive Agg
    backend, selected now. Returns those that imported; one that fails is only not
    inherited (the student's own import then fails or succeeds in the worker as usual)."""
    if any(name.split(".")[0] == "matplotlib" for name in names):
        os.environ["MPLBACKEND"] = "Agg"  # no display: a GUI backend must never be picked
    done = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            continue
        done.append(name)
    if "matplotlib.pyplot" in done:
        sys.modules["matplotlib.pyplot"].switch_backend("Agg")  # imports the backend now
    return done


def main(argv: list[str]) -> None:
    """argv: [ROOT, CONTROL_FD, PRELOAD] (PRELOAD: module names joined by commas, or "")."""
    control = socket.socket(fileno=int(argv[1]))
    sys.argv = ["grader-template"]
    # Ctrl-C reaches the whole process group; the grader ends the template (and with it
    # every worker) by closing the control socket, so the template itself ignores it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    preload = [name for name in (argv[2] if len(argv) > 2 else "").split(",") if name]
    Template(control).serve(preload)
