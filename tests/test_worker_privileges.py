"""What a worker may still do to others: signals (by every system call that sends one) and
capabilities (root's, or a user namespace's), and what a scratch folder it pinned costs.

Signals are tested where Landlock's signal scope (ABI >= 6) is off, an ABI-5 ruleset or no
Landlock at all, so seccomp alone must stop them, as on kernels 5.13-6.11. The filter itself
is run here by a small BPF interpreter for every architecture it is built for, since aarch64
cannot be run on this machine.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import platform
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, SOLUTIONS

from grader.isolation import sandbox
from grader.isolation.launcher import (
    FS_IMMUTABLE_FL,
    FS_IOC_GETFLAGS,
    FS_IOC_SETFLAGS,
    Launcher,
    remove_tree,
)
from grader.isolation.session import StudentSession

X86 = platform.machine() == "x86_64"
ROOT_USER = os.geteuid() == 0
NOBODY = 65534


# ------------------------------------------------------------------- the filter, per machine


def run_filter(program, machine: str, nr: int, *args: int, arch: int | None = None) -> int:
    """What the kernel would return for this system call: a BPF interpreter for the few
    instructions the filter uses, checking what the kernel's verifier checks."""
    assert len(program) <= 4096 and program[-1][0] == sandbox.RET
    args = [a & 0xFFFFFFFFFFFFFFFF for a in args] + [0] * (6 - len(args))
    data = struct.pack("=iIQ6Q", nr, sandbox.AUDIT_ARCH[machine] if arch is None else arch, 0,
                       *args)
    pc, accumulator = 0, 0
    while True:
        code, jump_true, jump_false, k = program[pc]
        if code == sandbox.RET:
            return k
        if code == sandbox.LD_ABS:
            accumulator, pc = struct.unpack_from("=I", data, k)[0], pc + 1
            continue
        taken = {sandbox.JEQ: accumulator == k, sandbox.JSET: bool(accumulator & k),
                 sandbox.JGE: accumulator >= k}[code]
        pc += 1 + (jump_true if taken else jump_false)
        assert pc < len(program), "a jump past the end"


EPERM = sandbox.ret_errno(errno.EPERM)
ALLOW = sandbox.RET_ALLOW
SELF, OTHER = 4242, 1


@pytest.mark.parametrize("machine", sorted(sandbox.SYSCALLS))
def test_every_signal_call_reaches_the_worker_itself_and_nobody_else(machine):
    program = sandbox.seccomp_filter(machine, SELF)
    calls = sandbox.SYSCALLS[machine]
    usr1, kill = signal.SIGUSR1, signal.SIGKILL
    for name in ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        first = {"kill": (usr1,), "tkill": (usr1,), "tgkill": (SELF, usr1),
                 "rt_sigqueueinfo": (usr1, 0x1000), "rt_tgsigqueueinfo": (SELF, usr1, 0x1000)}
        rest = first[name]
        assert run_filter(program, machine, calls[name], SELF, *rest) == ALLOW, name
        # the kernel reads a pid_t: only the low half counts, as in the filter
        assert run_filter(program, machine, calls[name], SELF | 1 << 32, *rest) == ALLOW, name
        for target in (OTHER, 0, -1, -SELF, SELF + 1):  # a process, the group, everyone
            assert run_filter(program, machine, calls[name], target, *rest) == EPERM, \
                (name, target)
            assert run_filter(program, machine, calls[name], target, kill) == EPERM
    for name in ("pidfd_send_signal", "pidfd_open"):
        assert run_filter(program, machine, calls[name], 3, usr1, 0, 0) == EPERM, name


@pytest.mark.parametrize("machine", sorted(sandbox.SYSCALLS))
def test_a_files_signal_owner_can_only_be_the_worker(machine):
    """fcntl(F_SETOWN) names who gets SIGIO (or F_SETSIG's signal, SIGKILL included) when a
    file is ready: the worker or nobody. Every other fcntl is untouched."""
    program = sandbox.seccomp_filter(machine, SELF)
    fcntl_nr = sandbox.SYSCALLS[machine]["fcntl"]
    assert run_filter(program, machine, fcntl_nr, 3, fcntl.F_SETOWN, SELF) == ALLOW
    assert run_filter(program, machine, fcntl_nr, 3, fcntl.F_SETOWN, 0) == ALLOW
    for owner in (OTHER, -SELF, -1):  # another process, a process group
        assert run_filter(program, machine, fcntl_nr, 3, fcntl.F_SETOWN, owner) == EPERM, owner
    assert run_filter(program, machine, fcntl_nr, 3, sandbox.F_SETOWN_EX, 0x7FFF0000) == EPERM
    for command in (fcntl.F_GETFL, fcntl.F_SETFL, fcntl.F_GETFD, fcntl.F_SETFD, fcntl.F_DUPFD,
                    fcntl.F_GETOWN, 10):  # 10: F_SETSIG, harmless without an owner
        assert run_filter(program, machine, fcntl_nr, 3, command, OTHER) == ALLOW, command


@pytest.mark.parametrize("machine", sorted(sandbox.SYSCALLS))
def test_the_rest_of_the_filter_still_holds(machine):
    program = sandbox.seccomp_filter(machine, SELF)
    calls = sandbox.SYSCALLS[machine]
    read = {"x86_64": 0, "aarch64": 63}[machine]
    assert run_filter(program, machine, read, 0, 0, 0) == ALLOW
    assert run_filter(program, machine, read, arch=0x40000003) == sandbox.RET_KILL_PROCESS
    assert run_filter(program, machine, calls["clone"], sandbox.CLONE_THREAD | 0x3D0F00) == ALLOW
    assert run_filter(program, machine, calls["clone"], 0x11) == EPERM  # a fork
    for name in ("execve", "socket", "ptrace", "unshare", "mount"):
        assert run_filter(program, machine, calls[name], 0) == EPERM, name


# --------------------------------------------------------------- signals, in a real worker

SIGNALS_SOURCE = """
import ctypes, fcntl, os, platform, signal, threading
libc = ctypes.CDLL(None, use_errno=True)
NR = {"x86_64": dict(tkill=200, rt_sigqueueinfo=129, rt_tgsigqueueinfo=297,
                     pidfd_open=434, pidfd_send_signal=424),
      "aarch64": dict(tkill=130, rt_sigqueueinfo=138, rt_tgsigqueueinfo=240,
                      pidfd_open=434, pidfd_send_signal=424)}[platform.machine()]

def queued(sig):
    info = (ctypes.c_int * 32)()
    info[0], info[2] = sig, -1  # si_signo, si_code = SI_QUEUE, as sigqueue(3) sends it
    return info

def syscall(*args):
    result = libc.syscall(*args)
    return 0 if result >= 0 else ctypes.get_errno()

def attacks(target):
    usr1 = signal.SIGUSR1
    out = {}
    out["kill"] = syscall(62 if platform.machine() == "x86_64" else 129, target, usr1)
    out["tkill"] = syscall(NR["tkill"], target, usr1)
    out["rt_sigqueueinfo"] = syscall(NR["rt_sigqueueinfo"], target, usr1, queued(usr1))
    out["rt_tgsigqueueinfo"] = syscall(NR["rt_tgsigqueueinfo"], target, target, usr1,
                                       queued(usr1))
    out["pidfd_send_signal"] = syscall(NR["pidfd_send_signal"], 0, usr1, None, 0)
    pidfd = libc.syscall(NR["pidfd_open"], target, 0)
    out["pidfd_open"] = 0 if pidfd >= 0 else ctypes.get_errno()
    r, w = os.pipe()
    try:
        fcntl.fcntl(r, fcntl.F_SETOWN, target)
        fcntl.fcntl(r, 10, usr1)  # F_SETSIG
        fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC)
        os.write(w, b"x")
        out["fcntl_owner"] = 0
    except OSError as e:
        out["fcntl_owner"] = e.errno
    return out

def at_itself():
    got = []
    signal.signal(signal.SIGUSR1, lambda *a: got.append(1))
    me = os.getpid()
    os.kill(me, signal.SIGUSR1)
    signal.raise_signal(signal.SIGUSR1)
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
    libc.syscall(NR["tkill"], me, signal.SIGUSR1)
    libc.syscall(NR["rt_sigqueueinfo"], me, signal.SIGUSR1, queued(signal.SIGUSR1))
    libc.syscall(NR["rt_tgsigqueueinfo"], me, me, signal.SIGUSR1, queued(signal.SIGUSR1))
    r, w = os.pipe()
    fcntl.fcntl(r, fcntl.F_SETOWN, me)
    fcntl.fcntl(r, fcntl.F_SETFL, os.O_ASYNC)
    signal.signal(signal.SIGIO, lambda *a: got.append(2))
    os.write(w, b"x")
    signal.setitimer(signal.ITIMER_REAL, 0.001)
    signal.signal(signal.SIGALRM, lambda *a: got.append(3))
    import time
    time.sleep(0.05)
    return sorted(got)
"""

WITHOUT_SIGNAL_SCOPE = {
    "landlock_abi_5": {"BACKPROP_GRADER_LANDLOCK_ABI": "5"},
    "no_landlock": {"BACKPROP_GRADER_DISABLE": "landlock"},
}


@pytest.mark.skipif(not X86 and platform.machine() != "aarch64",
                    reason="seccomp is built for x86-64 and aarch64 only")
@pytest.mark.parametrize("setting", sorted(WITHOUT_SIGNAL_SCOPE))
def test_without_landlocks_signal_scope_no_signal_leaves_the_worker(setting, monkeypatch):
    for name, value in WITHOUT_SIGNAL_SCOPE[setting].items():
        monkeypatch.setenv(name, value)
    heard = []
    previous = signal.signal(signal.SIGUSR1, lambda *a: heard.append(a[0]))
    try:
        with Launcher() as launcher, StudentSession(SIGNALS_SOURCE, "backprop.py",
                                                    launcher=launcher) as student:
            abi = launcher.capabilities["landlock_abi"]
            assert abi == (5 if setting == "landlock_abi_5" else 0)
            outcome = student.call("attacks", [os.getpid()])
            assert student.protections["seccomp"] is True
            assert student.protections["landlock"] is (abi == 5)
            assert student.call("at_itself") == [1] * 6 + [2, 3]  # its own signals still work
        time.sleep(0.2)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert heard == [], f"the test process received {heard}; the worker reported {outcome}"
    assert outcome == dict.fromkeys(outcome, errno.EPERM) and len(outcome) == 7, outcome


def test_the_landlock_abi_cap_is_a_number():
    done = subprocess.run([sys.executable, "-c", "from grader.isolation import sandbox; "
                           "sandbox.landlock_abi()"], capture_output=True, text=True,
                          env=dict(os.environ, BACKPROP_GRADER_LANDLOCK_ABI="five"), cwd=ROOT)
    assert done.returncode != 0 and "BACKPROP_GRADER_LANDLOCK_ABI='five'" in done.stderr


# ------------------------------------------------------------------------ capabilities

CAPABILITIES_SOURCE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)

def held():
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capget(header, data)
    last = 40
    while libc.prctl(23, last + 1, 0, 0, 0) >= 0:  # PR_CAPBSET_READ: the kernel's last one
        last += 1
    return {"effective": data[0] | data[3] << 32, "permitted": data[1] | data[4] << 32,
            "inheritable": data[2] | data[5] << 32,
            "bounding": sum(1 << c for c in range(last + 1) if libc.prctl(23, c, 0, 0, 0) == 1),
            "ambient": sum(1 << c for c in range(last + 1)
                           if libc.prctl(47, 1, c, 0, 0) == 1),  # PR_CAP_AMBIENT_IS_SET
            "securebits": libc.prctl(27, 0, 0, 0, 0), "no_new_privs": libc.prctl(39, 0, 0, 0, 0),
            "uids": list(os.getresuid())}

def regain():
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    full = (ctypes.c_uint32 * 6)(*[0xFFFFFFFF] * 6)
    tried = {"capset": libc.capset(header, full),
             "ambient_raise": libc.prctl(47, 2, 21, 0, 0),  # PR_CAP_AMBIENT_RAISE SYS_ADMIN
             "securebits_off": libc.prctl(28, 0, 0, 0, 0),  # PR_SET_SECUREBITS
             "setuid0": libc.setuid(0) if os.getuid() else 0}
    return tried, held()
"""

NOTHING_HELD = dict(effective=0, permitted=0, inheritable=0, ambient=0)


def assert_holds_nothing(state: dict, protections: dict) -> None:
    assert {key: state[key] for key in NOTHING_HELD} == NOTHING_HELD, state
    assert state["no_new_privs"] == 1
    assert protections["capabilities"] is True, protections
    if 0 in state["uids"]:
        # root (in any namespace) drops the bounding set and locks the securebits; an ordinary
        # user cannot (that needs CAP_SETPCAP), and needs neither under no_new_privs
        assert state["bounding"] == 0 and state["securebits"] == 0xEF, state


@pytest.mark.skipif(not ROOT_USER, reason="root's capabilities: needs root")
def test_a_worker_started_by_root_holds_no_capability_and_cannot_regain_one():
    with Launcher() as launcher, StudentSession(CAPABILITIES_SOURCE, "backprop.py",
                                                launcher=launcher) as student:
        assert_holds_nothing(student.call("held"), student.protections)
        tried, after = student.call("regain")
        assert tried["capset"] == tried["ambient_raise"] == tried["securebits_off"] == -1, tried
        assert_holds_nothing(after, student.protections)
        assert after["uids"] == [0, 0, 0]  # still uid 0, which means nothing now


SCRIPT = """
import json, sys
from grader.isolation.launcher import Launcher
from grader.isolation.session import StudentSession
with Launcher() as launcher, StudentSession(sys.stdin.read(), "backprop.py",
                                            launcher=launcher) as student:
    print(json.dumps([student.call("held"), student.call("regain"), student.protections]))
"""


def grader_copy() -> Path:
    """A copy of the grader any user can read (the checkout may sit in a private folder)."""
    folder = Path(tempfile.mkdtemp(prefix="bpg-privileges-"))
    folder.chmod(0o755)
    shutil.copytree(ROOT / "grader", folder / "grader",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "tmp").mkdir(mode=0o1777)
    (folder / "tmp").chmod(0o1777)
    return folder


def run_elsewhere(prefix: list[str], folder: Path, env: dict | None = None) -> list:
    done = subprocess.run(prefix + [sys.executable, "-c", SCRIPT], input=CAPABILITIES_SOURCE,
                          capture_output=True, text=True, cwd=folder, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(folder), TMPDIR=str(folder / "tmp"),
                                   **(env or {})))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def as_nobody(folder: Path) -> list[str]:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_redteam import as_ordinary_user

    return as_ordinary_user([], folder)


@pytest.mark.skipif(not ROOT_USER, reason="switching users and making namespaces need root")
@pytest.mark.parametrize("where", ["user_namespace_root", "nobody", "nobody_in_user_namespace"])
def test_no_capability_as_root_in_a_user_namespace_or_as_an_ordinary_user(where):
    """Root inside a user namespace holds every capability there; nobody holds none but keeps
    a full bounding set (dropping it needs CAP_SETPCAP); nobody with seccomp off enters a user
    namespace for its network namespace, and gets every capability there."""
    if shutil.which("unshare") is None or shutil.which("setpriv") is None:
        pytest.skip("needs unshare and setpriv (util-linux)")
    folder = grader_copy()
    try:
        if where == "user_namespace_root":
            prefix, env = ["unshare", "--user", "--map-root-user"], {}
        else:
            prefix = as_nobody(folder)
            env = {"BACKPROP_GRADER_DISABLE": "seccomp"} if where.endswith("namespace") else {}
        state, (tried, after), protections = run_elsewhere(prefix, folder, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if where == "nobody_in_user_namespace":
        assert protections["netns"] is True, protections  # it did enter a user namespace
        assert state["bounding"] == 0 and state["securebits"] == 0xEF, state
    assert_holds_nothing(state, protections)
    assert_holds_nothing(after, protections)
    assert tried["capset"] == -1 and tried["ambient_raise"] == -1, tried


@pytest.mark.skipif(not ROOT_USER, reason="root's capabilities: needs root")
def test_turning_the_capability_drop_off_is_reported(monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "capabilities")
    with Launcher() as launcher, StudentSession(CAPABILITIES_SOURCE, "backprop.py",
                                                launcher=launcher) as student:
        assert student.call("held")["effective"] != 0
        assert student.protections["capabilities"] is False


# ------------------------------------------------------------- device nodes, pinned files

SCRATCH_SOURCE = """
import ctypes, fcntl, os, stat, struct
def mknod():
    out = {}
    for name, kind, device in (("null", stat.S_IFCHR, os.makedev(1, 3)),
                               ("disk", stat.S_IFBLK, os.stat("/").st_dev)):
        try:
            os.mknod(name, kind | 0o600, device)
            out[name] = "made"
        except OSError as e:
            out[name] = e.errno
    return out

def pin():
    with open("pinned", "w") as f:
        f.write("x")
    fd = os.open("pinned", os.O_RDONLY)
    try:
        fcntl.ioctl(fd, 0x40086602, struct.pack("=i", 0x10))  # FS_IOC_SETFLAGS immutable
        return "pinned"
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)
"""


@pytest.mark.skipif(not ROOT_USER, reason="only root could make device nodes")
@pytest.mark.parametrize("disabled, alone", [("capabilities", "landlock"),
                                             ("landlock", "capabilities")])
def test_no_device_node_in_the_scratch_folder_by_either_layer_alone(disabled, alone,
                                                                     monkeypatch):
    """Landlock grants the scratch folder no device rights; no CAP_MKNOD either. Each layer
    alone refuses (the other one turned off)."""
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", disabled)
    with Launcher() as launcher, StudentSession(SCRATCH_SOURCE, "backprop.py",
                                                launcher=launcher) as student:
        made = student.call("mknod")
        assert student.protections[alone] is True and student.protections[disabled] is False
    assert made == {"null": errno.EPERM if alone == "capabilities" else errno.EACCES,
                    "disk": errno.EPERM if alone == "capabilities" else errno.EACCES}, made


def test_the_scratch_rule_leaves_out_device_nodes_and_device_ioctls_but_handles_them():
    for abi in (5, 6, 7):
        handled = sandbox.FS_RIGHTS_BY_ABI.get(abi, sandbox.FS_RIGHTS_BY_ABI[5])
        assert handled & sandbox.DEVICE_RIGHTS == sandbox.DEVICE_RIGHTS
    assert sandbox.DEVICE_RIGHTS == (1 << 6) | (1 << 11) | (1 << 15)


@pytest.mark.skipif(not ROOT_USER, reason="only root may set the immutable flag")
def test_a_worker_cannot_pin_a_file_and_the_scratch_folder_is_removed(monkeypatch):
    # without the write quota, so the file lands on the disk (with it, in the worker's tmpfs)
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "quota")
    with Launcher() as launcher:
        with StudentSession(SCRATCH_SOURCE, "backprop.py", launcher=launcher) as student:
            scratch = student.limits["scratch"]
            assert student.call("pin") == errno.EPERM
            assert os.path.exists(os.path.join(scratch, "pinned"))
        assert not os.path.exists(scratch)  # the file it made is gone with it
        base = os.path.dirname(scratch)
    assert not os.path.exists(base) and launcher.unremoved == []


def set_flags(path: Path, flags: int) -> bool:
    """chattr +i (and the like) on a real file; False where this file system has no flags."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("=i", flags))
        return True
    except OSError as exc:
        if exc.errno in (errno.ENOTTY, errno.EOPNOTSUPP, errno.EINVAL):
            return False
        raise
    finally:
        os.close(fd)


def flags_of(path: Path) -> int:
    fd = os.open(path, os.O_RDONLY)
    try:
        return struct.unpack("=i", fcntl.ioctl(fd, FS_IOC_GETFLAGS, bytes(4)))[0]
    finally:
        os.close(fd)


@pytest.fixture
def pinned_tree():
    """A folder holding an immutable file and an append-only folder with a file, on the file
    system of TMPDIR (where scratch folders go); unpinned and removed afterwards."""
    if not ROOT_USER:
        pytest.skip("setting the immutable flag needs CAP_LINUX_IMMUTABLE (root)")
    folder = Path(tempfile.mkdtemp(prefix="bpg-pinned-"))
    (folder / "immutable").write_text("x")
    (folder / "log").mkdir()
    (folder / "log" / "entry").write_text("y")
    if not set_flags(folder / "immutable", FS_IMMUTABLE_FL):
        shutil.rmtree(folder)
        pytest.skip(f"{folder} is on a file system without inode flags")
    set_flags(folder / "log", 0x20)  # FS_APPEND_FL
    yield folder
    for path in (folder / "immutable", folder / "log"):
        if path.exists():
            set_flags(path, flags_of(path) & ~0x30)
    shutil.rmtree(folder, ignore_errors=True)


def test_remove_tree_clears_immutable_and_append_only_flags(pinned_tree, capsys):
    assert remove_tree(str(pinned_tree)) == []
    assert not pinned_tree.exists()
    assert capsys.readouterr().err == ""


def test_a_folder_that_cannot_be_removed_is_reported_with_its_path_and_reason(pinned_tree):
    """Without CAP_LINUX_IMMUTABLE (a root without it, as in some containers) the flag
    stays: remove_tree says so on stderr and returns what is left."""
    code = ("import json, sys; from grader.isolation.launcher import remove_tree; "
            "print(json.dumps(remove_tree(sys.argv[1])))")
    holder = os.stat(pinned_tree.parent).st_mode  # TMPDIR, or /tmp itself
    done = subprocess.run(["setpriv", "--inh-caps=-linux_immutable",
                           "--bounding-set=-linux_immutable", sys.executable, "-c", code,
                           str(pinned_tree)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    left = json.loads(done.stdout)
    assert left and all(str(pinned_tree) in entry for entry in left)
    assert any("immutable: Operation not permitted" in entry for entry in left), left
    assert f"could not remove the scratch folder {pinned_tree}" in done.stderr
    assert "Operation not permitted" in done.stderr
    assert (pinned_tree / "immutable").exists()
    assert os.stat(pinned_tree.parent).st_mode == holder, "it changed the folder above the tree"


@pytest.mark.slow
def test_a_scratch_folder_left_behind_is_named_in_the_batchs_warnings(tmp_path):
    """The whole CLI, as a root without CAP_LINUX_IMMUTABLE: a file in a student's scratch
    folder is pinned from outside while it is graded; the batch still grades everyone and
    ends with a warning naming the folder that stayed."""
    if not ROOT_USER or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to take CAP_LINUX_IMMUTABLE away")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    marker = f"pin-me-{os.getpid()}"
    (corpus / "pinned.py").write_text((EXAMPLES / "correct.py").read_text()
                                      + f"\nopen({marker!r}, 'w').close()\n"
                                      "import time\ntime.sleep(4)\n")
    shutil.copy(EXAMPLES / "correct.py", corpus / "honest.py")
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    command = ["setpriv", "--inh-caps=-linux_immutable", "--bounding-set=-linux_immutable",
               sys.executable, "-m", "grader", "-a", "one_hidden_layer", "-o",
               str(tmp_path / "out"), "--solutions", str(SOLUTIONS), "--jobs", "1",
               "--no-plots", str(corpus)]
    batch = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=dict(os.environ, TMPDIR=str(scratch_root),
                                                 BACKPROP_GRADER_DISABLE="quota"))
    pinned = None
    try:
        deadline = time.monotonic() + 60
        while pinned is None and time.monotonic() < deadline and batch.poll() is None:
            pinned = next(scratch_root.rglob(marker), None)
            time.sleep(0.02)
        assert pinned is not None, "the submission's file never appeared"
        assert set_flags(pinned, FS_IMMUTABLE_FL)
        out, err = batch.communicate(timeout=120)
        assert batch.returncode == 0, err
        assert "a scratch folder could not be removed" in err
        assert str(pinned) in err and "Operation not permitted" in err
        assert pinned.exists()
        for student in ("pinned", "honest"):
            report = json.loads((tmp_path / "out" / student / "results.json").read_text())
            assert report["score"] == 100, student
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
        if pinned is not None and pinned.exists():
            set_flags(pinned, 0)
        shutil.rmtree(scratch_root, ignore_errors=True)


@pytest.mark.skipif(not ROOT_USER, reason="switching to nobody needs root")
def test_an_ordinary_user_removes_folders_a_student_made_unreadable():
    """As nobody (root would not notice): a folder with mode 0 cannot be opened or listed
    until it is made readable again; then it goes like the rest."""
    folder = grader_copy()
    try:
        scratch = folder / "tmp" / "scratch"
        (scratch / "locked" / "deeper").mkdir(parents=True)
        (scratch / "locked" / "deeper" / "file").write_text("x")
        for path in (scratch, scratch / "locked", scratch / "locked" / "deeper",
                     scratch / "locked" / "deeper" / "file"):
            os.chown(path, NOBODY, NOBODY)
        (scratch / "locked" / "deeper").chmod(0)
        (scratch / "locked").chmod(0)
        code = ("import json, sys; from grader.isolation.launcher import remove_tree; "
                "print(json.dumps(remove_tree(sys.argv[1])))")
        done = subprocess.run(as_nobody(folder) + [sys.executable, "-c", code, str(scratch)],
                              capture_output=True, text=True, cwd=folder,
                              env=dict(os.environ, PYTHONPATH=str(folder)))
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout) == [] and not scratch.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------ memory outside RLIMIT_AS (issue 24)

HOARDER = """
import errno, os
def hoard(files, mib):
    held, fds = 0, []
    block = b"x" * (1 << 20)
    try:
        for n in range(files):
            fds.append(os.memfd_create(f"hoard{n}"))
            for _ in range(mib):
                held += os.write(fds[-1], block)
    except OSError as exc:
        return held, errno.errorcode.get(exc.errno, str(exc.errno))
    return held, None
"""


@pytest.mark.parametrize("layer", ["landlock", "view", "uid"])
def test_memfd_create_is_refused_so_no_memory_escapes_the_address_space_limit(
        layer, monkeypatch):
    """memfd files are shmem, not address space: 944 MiB per worker were held that way.
    seccomp refuses memfd_create (and memfd_secret) under every filesystem layer."""
    if layer == "uid" and not ROOT_USER:
        pytest.skip("the uid layer switches uids: it exists only for a grader run as root")
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE",
                       {"landlock": "", "view": "landlock", "uid": "landlock,view"}[layer])
    with Launcher() as launcher, StudentSession(HOARDER, "backprop.py",
                                                launcher=launcher) as student:
        held, error = student.call("hoard", (4, 4))
        assert student.protections["filesystem"] == layer
    assert (held, error) == (0, "EPERM")


def test_without_seccomp_a_memfd_file_is_bounded_by_the_file_size_limit(monkeypatch):
    """Where seccomp is missing, RLIMIT_FSIZE (16 MiB) bounds each memfd file, and the
    64 open files bound their number (SECURITY.md)."""
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "seccomp")
    with Launcher() as launcher, StudentSession(HOARDER, "backprop.py",
                                                launcher=launcher) as student:
        held, error = student.call("hoard", (1, 32))
    assert error == "EFBIG" and held == 16 << 20
