"""Red team: hostile submissions earn nothing, see nothing, break nothing.

Every file in tests/redteam/ is examples/correct.py plus one attack, so its score says what
the attack achieved: an attack that hunts for hidden data makes compute_cost right only if
it found some (found nothing = cost_value fails), an attack that only does harm keeps full
marks when it is contained, and an attack on the transport fails exactly the checks of the
function that tried it.

The whole corpus is graded in ONE batch per user (the CLI, ``--jobs 2``, in a subprocess:
several attacks try to kill the grader), from a private copy of the grader, with copies of
the hidden solutions, canary files, a fake home, a secret in the grader's environment, a
secret on its stdin and loopback TCP/UDP/Unix listeners. Then each test asserts one outcome.
The batch runs as the invoking user and, when that is root, again as ``nobody``
(both are required).

Leftover processes are found by command line: every worker's command line names the private
folder the grader copy runs from (a fork without exec keeps it), and every child the corpus
execs carries a random marker argument. Whatever is found is recorded, then killed. (Under
the uid layer the grader and its template hide their command lines, so there only the
exec'd children's marker finds leftovers; seccomp leaves workers no exec or fork.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import selectors
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, SOLUTIONS

from grader.isolation.launcher import remove_tree

CORPUS = ROOT / "tests" / "redteam"
# every corpus file is examples/correct.py plus one attack: the file keeps only the attack
# and this line, where the correct solution goes, so its score measures the attack alone
CORRECT_LINE = "# __CORRECT_SOLUTION__\n"
PARTS = ROOT / "tests" / "redteam_parts"  # code several attacks share
INCLUDE = re.compile(r"^# __INCLUDE__ (\w+)\n", re.M)  # the body of PARTS/<name>.py goes here


def assemble(path: Path, substitutions: dict | None = None) -> str:
    """The submission a corpus file stands for: the correct solution, the attack (with the
    parts of tests/redteam_parts/ it includes), and the test's own paths and ports in place
    of the placeholders."""
    text = path.read_text().replace(CORRECT_LINE, (ROOT / "examples" / "correct.py").read_text()
                                    .split("\n", 1)[1], 1)
    text = INCLUDE.sub(lambda line: (PARTS / f"{line[1]}.py").read_text()
                       .split('"""\n', 1)[1].lstrip("\n"), text)
    for placeholder, value in (substitutions or {}).items():
        text = text.replace(placeholder, str(value))
    return text
NOBODY = 65534
BATCH_TIMEOUT = 600

# its module fixtures are set up once: the whole file on one pytest worker (pyproject.toml)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("redteam")]

ALL = "every check"
COST = frozenset({"cost_type", "cost_value"})
COST_VALUE = frozenset({"cost_value"})
PREDICT = frozenset({"predict_shape", "predict_values", "predict_any_n_y"})
NOTHING = frozenset()
# (a function that fails everything with n_y = 1 fails "works for any n_y" too)
FORWARD = frozenset({"forward_returns", "forward_hidden_shapes", "forward_output_shapes",
                     "forward_Z1", "forward_A1", "forward_Z2", "forward_A2", "forward_any_n_y"})
BACKWARD = frozenset({"backward_returns", "backward_weight_shapes", "backward_db1_shape",
                      "backward_db2_shape", "backward_dW1_value", "backward_dW2_value",
                      "backward_db1_value", "backward_db2_value", "backward_gradient_check",
                      "backward_any_n_y"})
# garbage in the cache and the gradients fails the structure checks too; nn_model, which
# is the correct one, runs those steps and raises where they raise (in update_parameters'
# comprehension): that is charged to them, not to nn_model (one mistake costs points once)
GARBAGE = COST | PREDICT | FORWARD | BACKWARD

# student -> (the checks it must fail, a text every failed check's message must contain)
EXPECTED: dict[str, tuple[object, str | None]] = {
    # time and exits: only the function that did it loses its checks; at import, the file
    # is loaded again without its script code, where the attack is (issue 25)
    "loop_at_import": (NOTHING, None),
    "loop_in_function": (PREDICT, "did not return within"),
    "sleep_in_function": (COST, "did not return within"),
    "sys_exit_at_import": (NOTHING, None),
    "sys_exit_in_function": (COST, "SystemExit"),
    "os_exit_at_import": (NOTHING, None),
    "os_exit_in_function": (PREDICT, None),
    "kill_parent": (NOTHING, None),
    "kill_process_group": (NOTHING, None),
    # lying comparisons: comparisons happen in the grader, on plain data
    "monkeypatch_numpy": (COST_VALUE, None),
    "monkeypatch_builtins": (COST_VALUE, None),
    "monkeypatch_grader": (COST_VALUE, None),
    # (their updates subtract nothing, so nn_model returns its initialisation, shapes right)
    "always_equal_object": (COST | FORWARD | BACKWARD | {"nn_model_learns"}, None),
    "ndarray_subclass": (PREDICT | FORWARD | BACKWARD | {"nn_model_learns"}, None),
    "empty_outputs": (GARBAGE, None),
    # (its (1, 1) db2 is right with n_y = 1: only "works for any n_y" sees it, with n_y = 2)
    "broadcastable_output": (PREDICT | {"backward_any_n_y"}, None),
    # (its nn_model is the correct one, running its own NaN steps right: charged to them)
    "nan_outputs": (COST | PREDICT | FORWARD | BACKWARD, None),
    "object_outputs": (GARBAGE, None),
    # hunting for hidden data: cost_value fails unless the hunt succeeded
    "read_reference_cwd_walk": (COST_VALUE, None),
    "read_reference_home": (COST_VALUE, None),
    "read_reference_absolute": (COST_VALUE, None),
    "read_other_files": (COST_VALUE, None),
    "symlink_escape": (COST_VALUE, None),
    "proc_parent_cmdline": (COST_VALUE, None),
    "proc_parent_cwd": (COST_VALUE, None),
    "proc_parent_environ": (COST_VALUE, None),
    "proc_parent_mem": (COST_VALUE, None),
    "proc_parent_fd": (COST_VALUE, None),
    "proc_scan_all": (COST_VALUE, None),
    "inherited_fds": (COST_VALUE, None),
    "env_secret": (COST_VALUE, None),
    "read_stdin_tty": (COST_VALUE, None),
    "sys_modules_reference": (COST_VALUE, None),
    "gc_objects_reference": (COST_VALUE, None),
    "stack_frames": (COST_VALUE, None),
    # the reference's answers to calls not yet answered, read from the worker's own memory
    "pending_request_backward_cache": (COST_VALUE, None),
    "tcp_loopback": (COST_VALUE, None),
    "udp_loopback": (COST_VALUE, None),
    "unix_socket": (COST_VALUE, None),
    # writing where it should not: its own score is what its code earns
    "fake_results_files": (COST_VALUE, None),
    "print_fake_scores": (COST_VALUE, None),
    "delete_and_rewrite_files": (NOTHING, None),
    # resources
    "memory_bomb": (COST, None),
    "memfd_memory": (COST_VALUE, None),  # memory outside RLIMIT_AS: refused by seccomp
    "fork_flood_setsid": (NOTHING, None),
    "thread_bomb": (NOTHING, None),
    "output_flood": (NOTHING, None),
    "huge_exception": (COST | PREDICT, None),
    "huge_array": (PREDICT, None),
    # the wire
    "forged_array_header": (PREDICT, None),
    "forged_pickle_blob": (PREDICT, None),
    "forged_frame": (PREDICT, None),
    "pickle_return": (GARBAGE, None),
    # (nn_model_learns still passes: with seed 3 the untrained weights already separate the
    # blobs, so a model that never updates is not caught there)
    # its update returns the caller's untouched parameters, so its nn_model never learns:
    # but it runs the student's own steps right, so only update_parameters is charged
    "mutate_inputs": ({"update_default_rate", "update_given_rate"}, None),
    # not an attack: the submission the others try to rewrite or forge reports for
    "a_victim": (NOTHING, None),
    # made by the fixture, not files in tests/redteam/: the grader must not read them
    "symlink_to_reference": (ALL, "symbolic link"),
    "hardlink_to_reference": (ALL, "hard link"),
    "fifo_submission": (ALL, "not a regular file"),
    # the write quota: refused early, then graded as written
    "disk_fill_big_files": (NOTHING, None),
    "disk_fill_many_files": (NOTHING, None),
    # nn_model's points need training, not a formula (the other
    # functions are stubs, so everything fails)
    "closed_form_nn_model": (ALL, None),
    "hard_coded_nn_model": (ALL, None),
    # signals by every call that sends one (the test process is
    # watching for SIGUSR1, the template gets SIGKILL), root's capabilities
    "signal_rt_sigqueueinfo": (NOTHING, None),
    "signal_rt_tgsigqueueinfo": (NOTHING, None),
    "signal_tkill": (NOTHING, None),
    "signal_pidfd": (NOTHING, None),
    "signal_fcntl_owner": (NOTHING, None),
    "immutable_scratch_file": (COST_VALUE, None),
    "mknod_device": (COST_VALUE, None),
    "regain_capabilities": (COST_VALUE, None),
    # one student never stops the class: text the reports cannot
    # encode as UTF-8 must not lose the report, let alone the batch
    "lone_surrogate_text": (COST, "cannot compute"),
    # bounded grader memory and unreadable replies: only the
    # function that did it loses its checks; the submission stays graded
    "blob_referenced_48_times": (PREDICT, "returned data the grader cannot read"),
    "huge_honest_replies": (BACKWARD, "more data than the grader keeps for one submission"),
    "huge_int_in_reply": (COST, "returned data the grader cannot read"),
    "bad_number_tag": (COST, "returned data the grader cannot read"),
    "empty_array_absurd_dims": (PREDICT, "returned data the grader cannot read"),
    # control characters from student text reach no report and no terminal
    "control_characters": (COST | PREDICT, None),
    # nor do Unicode format characters (bidi overrides, zero-width, tags): shown as escapes
    "format_characters": (COST | PREDICT, None),
    # provided helper modules: their folder is readable, nothing beside
    # it, and no submission can change them
    "read_beside_provided": (COST_VALUE, None),
    # report plots in SVG, a template holding matplotlib: its workers see no more than others
    "matplotlib_template_reads_reference": (COST_VALUE, None),
}
SIGNAL_ATTACKS = ("signal_rt_sigqueueinfo", "signal_rt_tgsigqueueinfo", "signal_tkill",
                  "signal_pidfd", "signal_fcntl_owner", "kill_parent", "a_victim")
MADE_BY_FIXTURE = ("symlink_to_reference", "hardlink_to_reference", "fifo_submission")

# The filesystem layers below Landlock: how each batch is made to use one (the
# stronger layers turned off), and the attacks graded again under each: those that read or
# write files (the whole corpus per layer would take ~30 s more each).
LAYER_SETTINGS: dict[str, tuple[dict, tuple[str, ...]]] = {
    "landlock": ({}, ()),
    "view": ({"BACKPROP_GRADER_DISABLE": "landlock"}, ()),
    "uid": ({"BACKPROP_GRADER_DISABLE": "landlock,view"}, ()),
    "unsafe": ({"BACKPROP_GRADER_DISABLE": "landlock,view,uid"}, ("--unsafe",)),
}
READING = ("read_reference_cwd_walk", "read_reference_home", "read_reference_absolute",
           "read_other_files", "symlink_escape", "proc_parent_cmdline", "proc_parent_cwd",
           "proc_parent_environ", "proc_parent_mem", "proc_parent_fd", "proc_scan_all",
           "inherited_fds", "env_secret", "read_stdin_tty", "unix_socket")
WRITING = ("fake_results_files", "print_fake_scores", "delete_and_rewrite_files",
           "immutable_scratch_file", "mknod_device", "disk_fill_big_files",
           "disk_fill_many_files")
FILE_ATTACKS = (*READING, *WRITING, "a_victim", *MADE_BY_FIXTURE,
                "matplotlib_template_reads_reference", "pending_request_backward_cache",
                "memfd_memory")
# per layer, the attacks whose outcome differs from EXPECTED's (what the layer cannot stop):
# under the uid layer a submission reads every file any user may read (here: the canary
# folder and the fake home with its copy of the solutions, both world-readable); under
# --unsafe (which grades only the reading attacks: the writing ones would damage the batch
# itself) it reads whatever the grader's user may read
LAYER_EXPECTED: dict[str, dict[str, tuple[object, str | None]]] = {
    "landlock": {}, "view": {},
    # the fake home's copy of the solutions, a world-readable checkout's solutions, the
    # canary folder: each readable by any user, so by nobody
    "uid": {name: (NOTHING, None) for name in (
        "read_reference_home", "read_reference_absolute", "read_other_files", "symlink_escape",
        "matplotlib_template_reads_reference")},
    # every file the grader's user may read; /proc still holds (the grader is not dumpable)
    "unsafe": {name: (NOTHING, None) for name in (
        "read_reference_cwd_walk", "read_reference_home", "read_reference_absolute",
        "read_other_files", "symlink_escape", "proc_parent_cmdline")},
}
# harm outside the score that a layer cannot stop: under the uid layer a submission may write
# in world-writable folders (/tmp: fake_results_files leaves its forged file there)
LAYER_HARM = {"uid": {"forged_tmp"}}


# --------------------------------------------------------------------------- observers


class Listeners:
    """Loopback TCP, UDP and Unix listeners that record and answer whatever reaches them."""

    def __init__(self, unix_path: Path):
        self.heard: list[str] = []
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp_port = self.udp.getsockname()[1]
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind(str(unix_path))
        os.chmod(unix_path, 0o777)
        self.unix.listen()
        self.servers = [self.tcp, self.unix]
        try:  # the same port on ::1, where IPv6 exists
            self.tcp6 = socket.create_server(("::1", self.port), family=socket.AF_INET6)
            self.servers.append(self.tcp6)
        except OSError:
            self.tcp6 = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        with selectors.DefaultSelector() as selector:
            for server in self.servers + [self.udp]:
                selector.register(server, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select(0.1):
                    sock = key.fileobj
                    try:
                        if sock is self.udp:
                            data, sender = self.udp.recvfrom(4096)
                            self.heard.append(f"udp {sender}: {data[:80]!r}")
                            self.udp.sendto(b"OK", sender)
                            continue
                        connection, sender = sock.accept()
                    except OSError as exc:  # still evidence that something reached us
                        self.heard.append(f"{sock.family.name}: {exc}")
                        continue
                    with connection:
                        self.heard.append(f"{sock.family.name} {sender!r}")
                        connection.settimeout(1)
                        try:
                            self.heard[-1] += f": {connection.recv(4096)[:80]!r}"
                            connection.sendall(b"OK")
                        except OSError:
                            pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for sock in self.servers + [self.udp]:
            sock.close()


def snapshot(*folders: Path) -> dict[str, str]:
    """Every file under ``folders``: its content hash, a symlink's target, or its type."""
    state = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                state[str(path)] = "link to " + os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                state[str(path)] = stat.filemode(info.st_mode)[0]
    return state


def processes_mentioning(*needles: bytes) -> list[tuple[int, str]]:
    """Live processes whose command line contains one of ``needles``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if any(needle in cmdline for needle in needles):
            found.append((int(entry), cmdline.replace(b"\0", b" ").decode(errors="replace")))
    return found


def kill_all(victims: list[tuple[int, str]]) -> None:
    """End the leftovers this batch started (found by its own folder and marker only)."""
    for pid, _ in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------------- the batch


@dataclass
class Batch:
    user: str
    layer: str  # the filesystem layer it was made to use
    base: Path
    out: Path
    students: set[str]
    returncode: int
    console: str  # the grader's own stdout and stderr
    secrets: dict[str, str]
    before: dict[str, str]
    after: dict[str, str]
    leftovers: list[tuple[int, str]]
    heard: list[str]
    forged_tmp: bool
    pwned: bool
    signalled: list[int]  # signals that reached this test process during the batch
    left_in_tmp: list[str]  # what the batch left in its TMPDIR (scratch folders)
    reports: dict[str, dict] = field(default_factory=dict)  # student -> grader.json
    results: dict[str, dict] = field(default_factory=dict)  # student -> results.json
    console_bytes: bytes = b""  # the console as the grader wrote it


class NoOrdinaryUser(Exception):
    """The grader cannot be run as nobody here; the message says why."""


def hidden_folder(path: str) -> str | None:
    """The outermost folder above ``path`` that others (nobody) cannot enter, if any."""
    return next((str(folder) for folder in reversed(Path(path).parents)
                 if not os.stat(folder).st_mode & stat.S_IXOTH), None)


def outermost(paths) -> list[str]:
    """``paths`` without those inside another of them."""
    paths = sorted(set(paths))
    return [path for path in paths if not any(
        other != path and path.startswith(other.rstrip("/") + "/") for other in paths)]


def needed_as_nobody(base: Path) -> list[str]:
    """What the grader run as nobody must reach: the interpreter's trees (a venv's and the
    Python it was made from, wherever they are: a venv in a private clone, pyenv under
    /root), what else is on sys.path, and the batch's folder. The checkout itself is not:
    the batch runs a copy of the grader from its own folder."""
    trees = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix,
             os.path.dirname(sys.executable)}
    trees |= {os.path.realpath(path) for path in trees}
    checkout = str(ROOT) + "/"
    on_path = {os.path.abspath(entry) for entry in sys.path if entry and os.path.isdir(entry)}
    on_path = {entry for entry in on_path if not (entry + "/").startswith(checkout)}
    return outermost([*trees, *on_path, str(base)])


def as_ordinary_user(command: list[str], base: Path, drop: bool = True) -> list[str]:
    """``command`` run as nobody (as the invoking user, seeing what nobody sees, with
    ``drop=False``). Each folder the grader needs (:func:`needed_as_nobody`)
    that sits under a folder nobody cannot enter is opened first; then, in a private mount
    namespace, that folder is covered by an empty tmpfs nobody can enter, and the opened
    folders are bind-mounted back at their own paths: nobody sees them and nothing else of
    what the folder held (the rest of a private clone, root's home)."""
    tools = [tool for tool in ("unshare", "setpriv", "mount") if shutil.which(tool) is None]
    if tools:
        raise NoOrdinaryUser(f"{', '.join(tools)} not found: needed to run the grader as nobody")
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            "--"] if drop else []
    exposed = [path for path in needed_as_nobody(base) if hidden_folder(path)]
    if not exposed:
        return drop + command
    if len(exposed) > 7:  # sh opens descriptors 3 to 9 only
        raise NoOrdinaryUser(f"too many folders to show nobody: {exposed}")
    covers = outermost(hidden_folder(path) for path in exposed)
    script = ["set -e", "umask 022"]
    script += [f'exec {3 + i}<"${{{i + 1}}}"' for i in range(len(exposed))]
    script += [f'mount -t tmpfs -o mode=755 tmpfs "${{{len(exposed) + 1 + i}}}"'
               for i in range(len(covers))]
    script += [f'mkdir -p "${{{i + 1}}}"; mount --no-canonicalize --bind /proc/self/fd/{3 + i} '
               f'"${{{i + 1}}}"; exec {3 + i}<&-' for i in range(len(exposed))]
    script += [f"shift {len(exposed) + len(covers)}", 'exec "$@"']
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(script),
            "sh", *exposed, *covers, *drop, *command]


def check_ordinary_user(base: Path, cwd: Path) -> None:
    """Raise :class:`NoOrdinaryUser` with the reason if nobody cannot even start the Python
    that runs the grader, with the libraries it needs."""
    probe = [sys.executable, "-c", "import numpy, click, rich, jinja2, matplotlib"]
    try:
        done = subprocess.run(as_ordinary_user(probe, base), cwd=cwd, capture_output=True,
                              text=True, timeout=120)
    except OSError as exc:
        raise NoOrdinaryUser(f"could not switch to nobody: {exc}") from None
    if done.returncode != 0:
        raise NoOrdinaryUser(f"as nobody, {sys.executable} cannot import the grader's "
                             f"libraries: {(done.stdout + done.stderr).strip()[-1500:]}")


def prepare(base: Path, marker: str, secret: str, listeners: Listeners,
            names=None) -> dict[str, Path]:
    """A private grader copy, hidden solutions, canaries, a home and the corpus (or the
    ``names`` of it) under ``base``."""
    paths = {name: base / name for name in ("repo", "corpus", "canary", "home", "out")}
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "grader", paths["repo"] / "grader", ignore=ignore)
    shutil.copytree(SOLUTIONS, paths["repo"] / "solutions", ignore=ignore)
    (paths["repo"] / "tmp").mkdir()  # TMPDIR: the workers' scratch folders sit under the repo
    for name in ("corpus", "canary"):
        paths[name].mkdir()
    canary = f"CANARY-{marker}: the instructor's private notes\n"
    (paths["canary"] / "secret.txt").write_text(canary)
    (paths["canary"] / "important.txt").write_text("grades.csv: do not touch\n")
    (paths["home"] / ".ssh").mkdir(parents=True)
    (paths["home"] / ".ssh" / "id_ed25519").write_text(canary)
    shutil.copytree(SOLUTIONS, paths["home"] / "course" / "solutions", ignore=ignore)
    # a checkout's own solutions, readable by any user (as in most checkouts: where this
    # one sits in a private folder, its own would not show what the uid layer lets through)
    shutil.copytree(SOLUTIONS, base / "checkout" / "solutions", ignore=ignore)
    for folder, _, files in os.walk(base / "checkout"):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    reference = paths["repo"] / "solutions" / "one_hidden_layer" / "reference.py"
    substitutions = {
        "__CANARY_DIR__": paths["canary"], "__SOLUTIONS_DIR__": paths["repo"] / "solutions",
        "__REPO_SOLUTIONS__": base / "checkout" / "solutions", "__CORPUS_DIR__": paths["corpus"],
        "__OUT_DIR__": paths["out"], "__HOME_DIR__": paths["home"],
        "__UNIX_SOCKET__": base / "listener.sock", "__MARKER__": marker,
        "__TCP_PORT__": listeners.port, "__UDP_PORT__": listeners.udp_port,
        "__SECRET_SHA__": hashlib.sha256(secret.encode()).hexdigest(),
        "__TMP_FORGE__": Path(tempfile.gettempdir()) / f"bpg-redteam-forged-{marker}.json",
        "__PWNED__": base / "pwned",
        "__OBSERVER_PID__": os.getpid(),
    }
    for source in sorted(CORPUS.glob("*.py")):
        if names is not None and source.stem not in names:
            continue
        (paths["corpus"] / source.name).write_text(assemble(source, substitutions))
    made = {"symlink_to_reference": lambda path: os.symlink(reference, path),
            "hardlink_to_reference": lambda path: os.link(reference, path),
            "fifo_submission": os.mkfifo}
    for name, make in made.items():
        if names is None or name in names:
            make(paths["corpus"] / f"{name}.py")
    return paths


def run_batch(user: str, names=None, env_extra: dict | None = None,
              arguments: tuple[str, ...] = (), layer: str = "landlock") -> Batch:
    """``layer``: the filesystem layer the batch is made to use (the stronger ones turned
    off); for "uid", the solutions and the corpus are closed to nobody as an instructor
    must (the grader refuses otherwise), and the grader runs as root seeing what nobody
    sees of the interpreter's trees, as in a container where Python lives in /usr/local."""
    marker = "bpgrt" + secrets.token_hex(6)
    secret, stdin_secret = "rt-" + secrets.token_hex(16), "STDIN-SECRET-" + secrets.token_hex(8)
    base = Path(tempfile.mkdtemp(prefix="bpg-redteam-"))
    base.chmod(0o755)
    listeners = Listeners(base / "listener.sock")
    paths = prepare(base, marker, secret, listeners, names)
    if user == "ordinary_user":
        for folder, dirs, files in os.walk(base):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.lchown(name, NOBODY, NOBODY)
    if layer == "uid":
        for folder in (paths["repo"] / "solutions", paths["corpus"]):
            folder.chmod(0o700)
    env_extra = dict(LAYER_SETTINGS[layer][0], **(env_extra or {}))
    arguments = (*LAYER_SETTINGS[layer][1], *arguments)
    watched = (paths["canary"], paths["corpus"], paths["repo"] / "solutions", paths["home"])
    before = snapshot(*watched)
    try:
        command = grader_command(user, layer, base, paths, arguments)
    except NoOrdinaryUser:
        listeners.close()
        shutil.rmtree(base, ignore_errors=True)
        raise
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "HOME": str(paths["home"]), "TMPDIR": str(paths["repo"] / "tmp"),
           "GRADER_SECRET": secret, "PYTHONDONTWRITEBYTECODE": "1",
           # the grader's own matplotlib caches fonts here, not in the watched home
           "MPLCONFIGDIR": str(base / "mplconfig"), **(env_extra or {})}
    signalled: list[int] = []
    watching = signal.signal(signal.SIGUSR1, lambda number, _: signalled.append(number))
    try:
        done = subprocess.run(command, cwd=paths["repo"], env=env,
                              input=(stdin_secret + "\n").encode(), capture_output=True,
                              timeout=BATCH_TIMEOUT, start_new_session=True)
        returncode, console_bytes = done.returncode, done.stdout + done.stderr
        console = console_bytes.decode(errors="replace")
    except subprocess.TimeoutExpired as exc:
        returncode, console = -1, f"the batch did not finish within {BATCH_TIMEOUT} s: {exc}"
        console_bytes = console.encode()
    finally:
        signal.signal(signal.SIGUSR1, watching)
    leftovers = processes_mentioning(marker.encode(), str(base).encode())
    kill_all(leftovers)
    time.sleep(0.2)
    listeners.close()
    forged = Path(tempfile.gettempdir()) / f"bpg-redteam-forged-{marker}.json"
    batch = Batch(user=user, base=base, out=paths["out"], layer=layer,
                  students=set(names or EXPECTED),
                  returncode=returncode, console=console,
                  secrets={"GRADER_SECRET": secret, "stdin": stdin_secret,
                           "canary": f"CANARY-{marker}"},
                  before=before, after=snapshot(*watched), leftovers=leftovers,
                  heard=list(listeners.heard), forged_tmp=forged.exists(),
                  pwned=(base / "pwned").exists(), signalled=signalled,
                  left_in_tmp=sorted(str(p) for p in (paths["repo"] / "tmp").rglob("*")),
                  console_bytes=console_bytes)
    forged.unlink(missing_ok=True)
    read_reports(batch)
    return batch


def grader_command(user: str, layer: str, base: Path, paths: dict[str, Path],
                   arguments: tuple[str, ...]) -> list[str]:
    """The batch's command line, run as nobody for ``ordinary_user``, and for the uid
    layer as root seeing what nobody sees; raises :class:`NoOrdinaryUser` where it cannot."""
    command = [sys.executable, "-m", "grader", "--assignment", "one_hidden_layer",
               "--out", str(paths["out"]), "--solutions", str(paths["repo"] / "solutions"),
               "--jobs", "2", *arguments, str(paths["corpus"])]
    if user == "ordinary_user":
        check_ordinary_user(base, paths["repo"])
        return as_ordinary_user(command, base)
    if layer == "uid":
        check_ordinary_user(base, paths["repo"])
        return as_ordinary_user(command, base, drop=False)
    return command


def read_reports(batch: Batch) -> None:
    """Every graded student's grader.json and results.json, where they could be read."""
    for student in batch.students:
        for name, into in (("grader.json", batch.reports), ("results.json", batch.results)):
            try:
                into[student] = json.loads((batch.out / student / name).read_text())
            except (OSError, ValueError):
                pass


BATCHES = {  # fixture param -> (user, layer, extra arguments, the attacks graded)
    "current_user": ("current_user", "landlock", (), None),
    "ordinary_user": ("ordinary_user", "landlock", (), None),
    "one_job": ("current_user", "landlock", ("--jobs", "1"), None),
    "view": ("current_user", "view", (), FILE_ATTACKS),
    "view_ordinary_user": ("ordinary_user", "view", (), FILE_ATTACKS),
    "uid": ("current_user", "uid", (), FILE_ATTACKS),
    "unsafe": ("current_user", "unsafe", (), READING),
    "unsafe_ordinary_user": ("ordinary_user", "unsafe", (), READING),
}


# session scope: with the suite on two pytest workers, other files' tests run between this
# file's on the same worker, and a module fixture would be graded again after each of them
@pytest.fixture(scope="session", params=list(BATCHES))
def batch(request):
    """The whole corpus in one batch: as the invoking user with --jobs 2, as nobody with
    --jobs 2, and as the invoking user with --jobs 1 (one grading process takes every
    attack in turn: nothing one of them does may reach the next). Then the attacks on files
    under each weaker filesystem layer: the private view (as root and as nobody), the
    unprivileged uid (root only), and nothing at all (--unsafe)."""
    user, layer, arguments, names = BATCHES[request.param]
    if user == "ordinary_user" and os.geteuid() != 0:
        pytest.skip(f"already running as uid {os.geteuid()}, an ordinary user (the "
                    "current_user run is that run); switching users needs root")
    if layer == "uid" and os.geteuid() != 0:
        pytest.skip("the uid layer exists only for a grader run as root")
    try:
        result = run_batch(user, names=names, arguments=arguments, layer=layer)
    except NoOrdinaryUser as exc:
        pytest.skip(str(exc))
    yield result
    kill_all(processes_mentioning(str(result.base).encode()))
    remove_tree(str(result.base))


def graded_here(batch: Batch, student: str) -> None:
    """Skip, saying why, a test of a student this batch does not grade."""
    if student not in batch.students:
        pytest.skip(f"the {batch.layer} batch grades only the attacks on files")


@pytest.fixture(scope="session")
def check_ids(flagship) -> dict[str, str]:
    """Check name -> the hidden test function's name (the ids EXPECTED uses)."""
    return {test.name: test.id for test in flagship.spec.tests}


# --------------------------------------------------------------------------- the tests


def test_the_corpus_is_large_and_every_submission_has_an_expectation():
    names = {path.stem for path in CORPUS.glob("*.py")}
    assert names == set(EXPECTED) - set(MADE_BY_FIXTURE)
    assert len(names - {"a_victim"}) >= 30


def test_every_hostile_submission_is_otherwise_correct():
    """Each file keeps correct.py's functions, so its score measures its attack alone."""
    correct = (ROOT / "examples" / "correct.py").read_text().split('"""', 2)[2].strip()
    for path in sorted(CORPUS.glob("*.py")):
        assert path.read_text().count(CORRECT_LINE) == 1, path.name
        assert correct in assemble(path), path.name


def test_the_batch_completes_with_a_report_for_everyone(batch):
    assert batch.returncode == 0, batch.console[-3000:]
    assert {p.name for p in batch.out.iterdir() if p.is_dir()} == batch.students
    for name in ("summary.csv", "canvas.csv", "junit.xml", "summary.md", "index.html"):
        assert (batch.out / name).is_file(), f"no class-level {name}"
    missing = sorted(batch.students - set(batch.reports) - set(batch.results))
    assert not missing, f"no complete report for {missing}"


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_attack_has_exactly_its_outcome(batch, check_ids, student):
    graded_here(batch, student)
    assert student in batch.reports and student in batch.results, (
        f"no report for {student}; the grader said: {batch.console[-2000:]}")
    report, results = batch.reports[student], batch.results[student]
    assert "checks" in report and "tests" in results and results.get("extra_data"), (
        f"the reports of {student} are not the grader's: {str(report)[:200]}")
    expected, text = LAYER_EXPECTED[batch.layer].get(student, EXPECTED[student])
    expected = set(check_ids.values()) if expected == ALL else set(expected)
    failed = [check for check in report["checks"] if check["status"] != "passed"]
    assert report["status"] == "graded", report["reason"]
    assert {check_ids[check["name"]] for check in failed} == expected, [
        (check_ids[check["name"]], check["message"][:300]) for check in failed]
    lost = sum(check["max_points"] for check in failed)
    assert report["score"] == results["score"] == report["max_score"] - lost
    if text is not None:
        assert all(text in check["message"] for check in failed), [c["message"] for c in failed]


def test_no_process_outlives_its_grading(batch):
    assert batch.leftovers == []


def test_files_outside_the_scratch_folder_are_untouched(batch):
    changed = {path for path in batch.before.keys() | batch.after.keys()
               if batch.before.get(path) != batch.after.get(path)}
    assert changed == set()
    stray = [str(path) for path in batch.base.rglob("results.json")
             if batch.out not in path.parents]
    assert stray == [], "a submission wrote results files outside its scratch folder"
    forged = "forged_tmp" in LAYER_HARM.get(batch.layer, ())  # listed, not hidden
    assert batch.forged_tmp is forged, "a submission wrote a forged results file into /tmp"
    assert not batch.pwned, "a pickle from a submission ran in the grader"


def test_no_connection_reached_a_loopback_listener(batch):
    assert batch.heard == []


def test_no_signal_reached_the_process_watching_the_batch(batch):
    assert batch.signalled == []


def test_no_scratch_folder_outlives_the_batch(batch):
    """Whatever a submission did to its scratch folder (an immutable file, an append-only
    folder, mode 000), nothing of the batch is left in its TMPDIR."""
    assert batch.left_in_tmp == []


def test_reports_hold_no_forgery_secret_or_hidden_source(batch):
    texts = {str(path): path.read_text(errors="replace")
             for path in batch.out.rglob("*") if path.is_file()}
    texts["the grader's console"] = batch.console
    for where, text in texts.items():
        assert "FORGED" not in text, where
        assert "BEGIN SOLUTION" not in text, where
        for name, value in batch.secrets.items():
            assert value not in text, f"{name} leaked into {where}"


def test_reports_stay_small_whatever_was_printed_or_raised(batch):
    for student, results in batch.results.items():
        size = len(json.dumps(results))
        assert size < 64 * 1024, f"{student}: results.json is {size} bytes"
        assert len(results["output"]) <= 4096, student
        assert all(len(test["output"]) <= 4096 for test in results["tests"]), student


# what no report and no line of the grader's output may hold: C0 controls but tab and
# newline, DEL, and C1 controls (U+0080-U+009F, two bytes each in UTF-8)
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strings_in(value) -> list[str]:
    """Every string in decoded JSON, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in strings_in(key) + strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return []


def control_characters_in(where: str, data: bytes) -> list[str]:
    """``where`` and the first control bytes in ``data`` (and, for JSON, in its decoded
    strings, where ``\\u001b`` becomes ESC again); a CSV's own CRLF line ends excepted."""
    if where.endswith(".csv"):
        data = data.replace(b"\r\n", b"\n")
    found = [f"{where}: {match.group()!r} at byte {match.start()}"
             for match in CONTROL_BYTES.finditer(data)][:3]
    if where.endswith(".json"):
        found += [f"{where} (decoded): {text[:80]!r}"
                  for text in strings_in(json.loads(data)) if CONTROL_CHARS.search(text)][:3]
    return found


def test_no_report_and_no_console_line_holds_a_control_character(batch):
    """control_characters.py prints and raises OSC 52, CSI 2J, OSC 0, BEL, NUL, DEL, U+009B
    and rich markup: none of those bytes reaches any report file, the grader's own output or
    `grade annotate`'s workflow commands, and the reports still show the text, made visible."""
    graded_here(batch, "control_characters")
    found = []
    for path in sorted(path for path in batch.out.rglob("*") if path.is_file()):
        found += control_characters_in(str(path.relative_to(batch.out)), path.read_bytes())
    found += control_characters_in("the grader's console", batch.console_bytes)
    annotate = subprocess.run([sys.executable, "-m", "grader", "annotate", "--limit", "1000",
                               str(batch.out)], cwd=batch.base / "repo", capture_output=True,
                              timeout=120)
    assert annotate.returncode == 0, annotate.stderr.decode(errors="replace")
    assert b"title=control_characters%3A " in annotate.stdout
    found += control_characters_in("grade annotate", annotate.stdout + annotate.stderr)
    assert found == []
    messages = [check["message"] for check in batch.reports["control_characters"]["checks"]
                if check["status"] != "passed"]
    assert all("\\x1b]52;c;" in message and "[bold red]RICH[/bold red]" in message
               for message in messages), messages
    assert "\\x1b]0;pwned\\x07" in batch.results["control_characters"]["output"]


def format_characters_in(where: str, text: str) -> list[str]:
    """``where`` and the first Unicode format characters or line separators in ``text``
    (categories Cf, Zl, Zp), also inside JSON's ``\\u`` escapes."""
    texts = [text]
    if where.endswith(".json"):
        texts += strings_in(json.loads(text))
    found = {f"{where}: U+{ord(char):04X}" for one in texts for char in one
             if unicodedata.category(char) in ("Cf", "Zl", "Zp")}
    return sorted(found)[:3]


def test_no_report_and_no_console_line_holds_a_format_character(batch):
    """format_characters.py prints and raises bidi overrides and isolates, zero-width
    characters, a BOM, tags and separators: none reaches a report file or the grader's
    console, and the reports show each as an escape."""
    graded_here(batch, "format_characters")
    found = []
    for path in sorted(path for path in batch.out.rglob("*") if path.is_file()):
        text = path.read_bytes().decode("utf-8", "replace")
        found += format_characters_in(str(path.relative_to(batch.out)), text)
    found += format_characters_in("the grader's console",
                                  batch.console_bytes.decode("utf-8", "replace"))
    assert found == []
    messages = [check["message"] for check in batch.reports["format_characters"]["checks"]
                if check["status"] != "passed"]
    assert messages and all("\\u202e" in message for message in messages), messages
    assert "\\u202e\\u2066" in batch.results["format_characters"]["output"]


def test_reports_record_the_active_protections(batch):
    """Interface assumed: results.json extra_data["protections"] maps a protection
    to whether it was active: "landlock"; "network" (or "seccomp" / "network_namespace");
    "subreaper" (or "pid_namespace"); "unsafe" only True under --unsafe. Kernels with
    Landlock (>= 5.13, as on this machine and GitHub's runners) must have them all on.
    Under each weaker layer, every report names that layer, proven by each worker."""
    unsafe = batch.layer == "unsafe"
    for student, results in batch.results.items():
        protections = results["extra_data"]["protections"]
        if student in MADE_BY_FIXTURE:  # refused unread: no code of theirs ever ran
            assert protections == {}, (student, protections)
            continue
        active = {name for name, on in protections.items() if on is True}
        assert protections["filesystem"] == ("none" if unsafe else batch.layer), protections
        assert active & {"landlock", "view", "uid"} == (set() if unsafe else {batch.layer})
        assert "capabilities" in active, (student, protections)
        assert active & {"network", "seccomp", "network_namespace"}, (student, protections)
        assert active & {"subreaper", "pid_namespace"}, (student, protections)
        assert protections.get("unsafe", False) is unsafe, (student, protections)
    summary = " ".join(batch.console.split())
    named = {"landlock": "Landlock", "view": "a private view", "uid": "an unprivileged uid",
             "unsafe": "NOTHING (--unsafe)"}[batch.layer]
    assert f"files protected by {named}" in summary


# --------------------------------------------------------------------------- seccomp alone


@pytest.mark.parametrize("setting, env, arguments", [
    ("landlock_abi_5", {"BACKPROP_GRADER_LANDLOCK_ABI": "5"}, ()),
    ("no_landlock", {"BACKPROP_GRADER_DISABLE": "landlock"}, ("--unsafe",)),
])
def test_signal_attacks_fail_by_seccomp_alone(setting, env, arguments, check_ids):
    """Where Landlock has no signal scope (ABI < 6: kernels 5.13-6.11) or is off, only
    seccomp stands between a worker and every other process: no signal may get through."""
    run = run_batch("current_user", list(SIGNAL_ATTACKS), env_extra=env, arguments=arguments)
    try:
        assert run.returncode == 0, run.console[-3000:]
        assert run.signalled == [], f"signals reached the test process: {run.signalled}"
        assert run.leftovers == []
        for student in SIGNAL_ATTACKS:
            report = run.reports.get(student)
            assert report is not None, f"no report for {student}: {run.console[-2000:]}"
            failed = [check_ids[c["name"]] for c in report["checks"] if c["status"] != "passed"]
            assert failed == [] and report["score"] == report["max_score"], (student, failed)
            protections = run.results[student]["extra_data"]["protections"]
            assert protections["seccomp"] is True
            assert protections["landlock"] is (setting == "landlock_abi_5"), protections
    finally:
        kill_all(processes_mentioning(str(run.base).encode()))
        remove_tree(str(run.base))


# --------------------------------------------------------------------------- --unsafe, --resume


def without_landlock() -> None:
    """In the child before exec: landlock_create_ruleset (syscall 444 on every Linux
    architecture) fails with ENOSYS from now on, as on a kernel older than 5.13. A four-line
    seccomp filter, so no test hook in the grader is needed."""
    import ctypes
    import errno

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    load_nr, jump_if_equal, ret = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
    rules = (Filter * 4)(Filter(load_nr, 0, 0, 0), Filter(jump_if_equal, 0, 1, 444),
                         Filter(ret, 0, 0, 0x00050000 | errno.ENOSYS),  # SECCOMP_RET_ERRNO
                         Filter(ret, 0, 0, 0x7FFF0000))  # SECCOMP_RET_ALLOW
    program = Program(4, rules)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(program), 0, 0):
        raise OSError(ctypes.get_errno(), "could not install the seccomp filter")


def grade_cli(tmp_path: Path, *extra: str, paths=None, **options) -> subprocess.Popen:
    """The CLI, run from a private copy of the grader under ``tmp_path`` (so its workers can
    be told from anyone else's by command line)."""
    repo = tmp_path / "repo"
    if not repo.exists():
        shutil.copytree(ROOT / "grader", repo / "grader",
                        ignore=shutil.ignore_patterns("__pycache__"))
    if paths is None:
        shutil.copy(ROOT / "examples" / "correct.py", tmp_path / "alice.py")
        paths = [tmp_path / "alice.py"]
    command = [sys.executable, "-m", "grader", "--assignment", "one_hidden_layer", "--out",
               str(tmp_path / "out"), "--solutions", str(SOLUTIONS), "--jobs", "2", *extra,
               *map(str, paths)]
    return subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True, **options)


# a kernel without Landlock, where the other layers are not available either
NO_OTHER_LAYER = dict(os.environ, BACKPROP_GRADER_DISABLE="view,uid")


def test_without_filesystem_isolation_grading_is_refused(tmp_path):
    done = grade_cli(tmp_path, preexec_fn=without_landlock, env=NO_OTHER_LAYER)
    console = done.communicate(timeout=120)[0]
    assert done.returncode == 3, console
    assert "--unsafe" in console and "Landlock needs Linux 5.13" in console
    assert not (tmp_path / "out" / "alice").exists()


def test_unsafe_grades_anyway_and_says_so_in_every_report(tmp_path):
    done = grade_cli(tmp_path, "--unsafe", preexec_fn=without_landlock, env=NO_OTHER_LAYER)
    console = done.communicate(timeout=120)[0]
    assert done.returncode == 0, console
    results = json.loads((tmp_path / "out" / "alice" / "results.json").read_text())
    assert results["score"] == 100
    protections = results["extra_data"]["protections"]
    assert protections.get("landlock") is False and protections.get("unsafe") is True


def test_a_batch_killed_midway_loses_nothing_on_resume(tmp_path):
    """SIGKILL the grader (and its process group) once a report exists, while another
    submission is stuck in an endless loop: its worker must not outlive the grader, and
    --resume grades the rest, leaving complete reports as they were."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a_victim", "loop_at_import", "sleep_in_function", "memory_bomb",
                 "output_flood", "thread_bomb"):
        (corpus / f"{name}.py").write_text(assemble(CORPUS / f"{name}.py"))
    # the scratch folders SIGKILL leaves behind stay in tmp_path
    first = grade_cli(tmp_path, paths=[corpus], env=dict(os.environ, TMPDIR=str(tmp_path)))
    deadline = time.monotonic() + 60
    while not list((tmp_path / "out").glob("*/grader.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    time.sleep(0.5)
    orphans = processes_mentioning(str(tmp_path / "repo").encode())
    kill_all(orphans)
    assert orphans == [], "workers outlived the grader that was killed"
    # complete reports: grader.json is written last, after every other format
    kept = {path: path.read_bytes() for path in (tmp_path / "out").glob("*/*.json")
            if (path.parent / "grader.json").exists()}
    assert kept and first.returncode == -signal.SIGKILL
    second = grade_cli(tmp_path, "--resume", paths=[corpus])
    console = second.communicate(timeout=300)[0]
    assert second.returncode == 0, console
    for path, data in kept.items():
        assert path.read_bytes() == data, f"{path} was rewritten"
    assert {p.parent.name for p in (tmp_path / "out").glob("*/results.json")} == {
        p.stem for p in corpus.glob("*.py")}
    assert not list((tmp_path / "out").rglob("*.tmp"))


# --------------------------------------------------------------------------- survey


def survey(names: list[str], user: str = "current_user") -> None:
    """Grade each attack ALONE and print what it achieved (for whoever hardens the grader):
    ``python tests/test_redteam.py [--ordinary-user] [NAME...]``."""
    for name in names:
        run = run_batch(user, [name])
        try:
            report = run.reports.get(name)
            expected = EXPECTED[name][0]
            if report is None:
                outcome = f"NO REPORT (grader exit {run.returncode})"
            else:
                failed = sorted(check["name"].split(":")[0][:40] for check in report["checks"]
                                if check["status"] != "passed")
                outcome = f"{report['score']:g}/100 failed={len(failed)}"
            changed = sorted(Path(p).name for p in run.before.keys() | run.after.keys()
                             if run.before.get(p) != run.after.get(p))
            extra = {p.name for p in run.out.iterdir()} - run.students if run.out.exists() else ()
            harm = [text for text, bad in ((f"extra report folders {sorted(extra)}", extra),
                (f"grader exit {run.returncode}", run.returncode != 0),
                (f"{len(run.leftovers)} leftover processes", run.leftovers),
                (f"changed {changed}", changed), (f"heard {run.heard}", run.heard),
                ("forged /tmp file", run.forged_tmp), ("pickle ran", run.pwned),
                (f"signals reached the test {run.signalled}", run.signalled),
                (f"left in TMPDIR {run.left_in_tmp[:3]}", run.left_in_tmp),
                ("secret leaked", any(value in json.dumps(run.results) + run.console
                                      for value in run.secrets.values()))) if bad]
            want = "all" if expected == ALL else sorted(expected)
            print(f"{name:28} {outcome:28} expected fail={want} {'; '.join(harm)}", flush=True)
        finally:
            kill_all(processes_mentioning(str(run.base).encode()))
            remove_tree(str(run.base))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    arguments = [a for a in sys.argv[1:] if a != "--ordinary-user"]
    survey(arguments or sorted(EXPECTED),
           "ordinary_user" if "--ordinary-user" in sys.argv else "current_user")
