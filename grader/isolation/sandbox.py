"""Restrictions a worker puts on itself before it receives any student code.

Runs in the forked worker, after it dropped every inherited descriptor and before the
``load`` request. Each layer only tightens, and each reports whether it took hold, so every
report can say which protections were active:

- ``rlimits``: CPU seconds, address space, file size, open files, no core dumps;
- ``quota``: the scratch folder is a tmpfs of its own (64 MiB, 4096 files by default) in a
  private mount namespace (inside a user namespace unless root), so all a worker writes
  stays bounded and vanishes with it;
- ``netns``: a fresh network namespace (no interfaces, so no TCP, UDP or DNS at all), used
  where seccomp is not available (it costs more per worker, and seccomp already forbids
  every socket);
- the filesystem layer, the first this machine offers of (:func:`filesystem_layers`):
  ``landlock``: read-only access to what Python and numpy need, read-write to the scratch
  folder only, no TCP bind/connect, no signals or abstract sockets outside the worker;
  ``view``: a private root in a new mount namespace (inside a user namespace unless root)
  holding only read-only binds of those same folders and the scratch folder, so nothing
  else exists there; ``uid``: an unprivileged uid and gid (root only, where namespaces are
  refused), which hides only what that uid may not read. Each worker proves its layer
  before any student code arrives: it tries to open a canary file and every protected
  path, and must fail (``filesystem`` in the protections names the layer that held);
- ``capabilities``: none at all, even under root (bounding, ambient, effective, permitted and
  inheritable sets emptied; securebits locked so that uid 0 means nothing), after the steps
  that need privileges;
- ``seccomp``: no new processes (fork, exec; threads are allowed), no sockets, no ptrace,
  no signals to other processes (by any of the calls that send one), no namespace or
  kernel-interface tricks.

Linux only; elsewhere the probes report nothing available and the grader refuses to run
without ``--unsafe``. ``BACKPROP_GRADER_DISABLE=landlock,view,uid,seccomp,quota,...`` turns layers
off in the grader's environment, and ``BACKPROP_GRADER_LANDLOCK_ABI=N`` uses at most
Landlock ABI N (5: no signal scope, as on kernels before 6.12), to test the degraded paths.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import platform
import resource
import struct
import sys
import sysconfig

DEFAULT_LIMITS = {
    "cpu_seconds": 120,  # CPU time for the whole submission (wall time per call is the grader's)
    "address_space_mb": 2048,
    "file_size_mb": 16,
    "open_files": 64,
    # all a worker may write (its scratch folder is a tmpfs this size), and how many files
    # and folders (each costs kernel memory, outside the tmpfs's size)
    "write_quota_mb": 64,
    "write_quota_files": 4096,
}

_RLIMITS = {
    "cpu_seconds": (resource.RLIMIT_CPU, 1),
    "address_space_mb": (resource.RLIMIT_AS, 1024 * 1024),
    "file_size_mb": (resource.RLIMIT_FSIZE, 1024 * 1024),
    "open_files": (resource.RLIMIT_NOFILE, 1),
}

LAYERS = ("rlimits", "quota", "netns", "capabilities", "landlock", "view", "uid", "seccomp")
# the filesystem layers, strongest first: a worker enters the first one available
FILESYSTEM_LAYERS = ("landlock", "view", "uid")
NO_LAYER = "none"
DEFAULT_WORKER_UID = 65534  # nobody
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None

# prctl options
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NAME, PR_SET_NO_NEW_PRIVS = 1, 4, 15, 38
PR_SET_SECCOMP, PR_SET_CHILD_SUBREAPER, SECCOMP_MODE_FILTER = 22, 36, 2
CLONE_NEWUSER, CLONE_NEWNET, CLONE_THREAD = 0x10000000, 0x40000000, 0x00010000
CLONE_NEWNS = 0x00020000
# mount flags
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 0x1, 0x2, 0x4, 0x8, 0x20
MS_BIND, MS_REC, MS_PRIVATE, MNT_DETACH = 0x1000, 0x4000, 0x40000, 0x2
# flags a bind mount in a user namespace must keep when it is remounted (the kernel locks
# them); statvfs reports them with the same values
MS_NOATIME, MS_NODIRATIME, MS_STRICTATIME = 0x400, 0x800, 0x1000000
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}


def disabled() -> set[str]:
    return {name.strip() for name in os.environ.get("BACKPROP_GRADER_DISABLE", "").split(",")
            if name.strip()}


def prctl(option: int, value: int) -> bool:
    if _libc is None:
        return False
    return _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) == 0


def name_process(name: bytes) -> None:
    """The name ps, top and perf show (at most 15 bytes): bpg-template, bpg-worker."""
    if _libc is not None:
        _libc.prctl(PR_SET_NAME, ctypes.c_char_p(name[:15]), 0, 0, 0)


# ------------------------------------------------------------------------------ rlimits


def apply_rlimits(settings: dict) -> bool:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name, (which, unit) in _RLIMITS.items():
        value = int(settings[name] * unit)
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        # CPU: SIGXCPU at the soft limit, SIGKILL a second later if the signal is caught
        upper = value + 1 if which == resource.RLIMIT_CPU else value
        if hard != resource.RLIM_INFINITY:
            upper = min(upper, hard)
        resource.setrlimit(which, (value, upper))
    return True


# ------------------------------------------------------------------------- namespaces


def enter_user_namespace() -> bool:
    """A new user namespace in which this process keeps its own uid and gid (so the files it
    makes stay its own) and holds the capabilities to make namespaces and mounts of its own."""
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWUSER) != 0:
        return False
    try:  # raw writes: Python's text files cost more, in every worker
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"),
                           ("gid_map", f"{gid} {gid} 1")):
            fd = os.open(f"/proc/self/{name}", os.O_WRONLY | os.O_CLOEXEC)
            try:
                os.write(fd, text.encode())
            finally:
                os.close(fd)
    except OSError:
        return False
    return True


def enter_network_namespace() -> bool:
    """A new, empty network namespace: directly where this process may (root, or inside the
    user namespace the quota made), otherwise inside a new user namespace."""
    if _libc is None:
        return False
    if _libc.unshare(CLONE_NEWNET) == 0:
        return True
    return os.geteuid() != 0 and enter_user_namespace() and _libc.unshare(CLONE_NEWNET) == 0


# ------------------------------------------------------------------------------- quota


def mount_tmpfs_over(folder: str, size_bytes: int, files: int, owner: str = "") -> bool:
    """Cover ``folder`` with an empty tmpfs of at most ``size_bytes`` and ``files`` inodes,
    seen only by this process (and its threads): a private mount namespace, inside a new
    user namespace unless root. Nothing is left behind: the namespace, and the tmpfs with
    it, ends when the process does."""
    return private_mount_namespace() and mount_scratch_tmpfs(folder, size_bytes, files, owner)


def private_mount_namespace() -> bool:
    """A mount namespace of this process's own (inside a new user namespace unless root),
    whose mounts never propagate back to the instructor's."""
    if os.geteuid() != 0 and not enter_user_namespace():
        return False
    if _libc.unshare(CLONE_NEWNS) != 0:
        return False
    # private first, or the new mount would propagate back to the instructor's namespace
    return _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0


def mount_scratch_tmpfs(folder: str, size_bytes: int, files: int, owner: str = "") -> bool:
    """``owner``: ",uid=N,gid=M" when the worker will switch to that uid (the uid layer)."""
    options = f"size={size_bytes},nr_inodes={files},mode=0700{owner}".encode()
    return _libc.mount(b"tmpfs", os.fsencode(folder), b"tmpfs", MS_NOSUID | MS_NODEV,
                       options) == 0


@functools.cache
def quota_possible() -> bool:
    """Whether this process may mount a tmpfs of its own here: tried once, in a throwaway
    child (asked in the template, so forked workers inherit the answer). A worker never
    tries where this failed, so it is never left in a user namespace it cannot use (one
    whose id maps could not be written)."""
    if _libc is None:
        return False
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if mount_tmpfs_over("/", 1 << 20, 8) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def quota_planned() -> bool:
    """Whether workers forked from here will get a write quota (their Landlock ruleset must
    then be built after the mount, by each worker)."""
    return "quota" not in disabled() and quota_possible()


def quota_size(settings: dict) -> tuple[int, int]:
    """The scratch tmpfs's size in bytes and its inodes (tmpfs reads 0 as "no limit"; the
    root folder is one of its inodes)."""
    return (max(int(settings["write_quota_mb"] * 1024 * 1024), 4096),
            max(int(settings["write_quota_files"]), 0) + 1)


def tmpfs_owner(settings: dict) -> str:
    """The scratch tmpfs's owner options: the worker's uid under the uid layer."""
    if settings.get("filesystem") != "uid":
        return ""
    uid, gid = worker_uid()
    return f",uid={uid},gid={gid}"


def apply_write_quota(settings: dict) -> bool:
    """The worker's scratch folder becomes a tmpfs of ``write_quota_mb`` and
    ``write_quota_files`` (past them, writes fail with ENOSPC), and the worker moves into
    it. Before Landlock (its ruleset must be built after the mount: a rule on the folder
    beneath does not cover it) and before seccomp (which forbids unshare and mount)."""
    scratch = settings.get("scratch")
    if not scratch or not quota_possible():
        return False
    size, files = quota_size(settings)
    if not mount_tmpfs_over(scratch, size, files, tmpfs_owner(settings)):
        return False
    os.chdir(scratch)
    return True


# -------------------------------------------------------------------- private view


def mount_flags_of(path: str) -> int:
    """The per-mount flags of the mount holding ``path`` that a remount inside a user
    namespace must keep (the kernel locks them), as mount(2) flags."""
    flag = os.statvfs(path).f_flag
    flags = flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME)
    if not flag & (os.ST_RELATIME | os.ST_NOATIME):
        flags |= MS_STRICTATIME
    return flags


def bind(source: str, target: str, folder: bool, read_only: bool = True) -> bool:
    """Bind ``source`` at ``target`` (made first, in the new root), read-only unless told."""
    try:
        if folder:
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, 0o644))
        locked = mount_flags_of(source) if read_only else 0
    except OSError:
        return False
    target_b = os.fsencode(target)
    if _libc.mount(os.fsencode(source), target_b, None, MS_BIND | MS_REC, None) != 0:
        return False
    return not read_only or _libc.mount(
        None, target_b, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | locked,
        None) == 0


def mirror_links(path: str, new_root: str, depth: int = 0) -> None:
    """Recreate in ``new_root`` the symbolic links on the way to ``path`` (/lib -> usr/lib,
    a virtual environment's lib64 -> lib), so the path resolves there as it does here."""
    current = ""
    for part in path.strip("/").split("/"):
        current += "/" + part
        if depth < 8 and os.path.islink(current):
            made = new_root + current
            if not os.path.lexists(made):
                os.makedirs(os.path.dirname(made), exist_ok=True)
                os.symlink(os.readlink(current), made)
            mirror_links(os.path.realpath(current) + path[len(current):], new_root, depth + 1)
            return


@functools.lru_cache(maxsize=64)
def view_plan(protect: tuple[str, ...],
              provided: tuple[str, ...] = ()) -> tuple[tuple[str, str, bool], ...]:
    """(path as the worker names it, real path to bind, is a folder) for each folder of the
    view: the same read-only roots Landlock would allow (computed once, in the template)."""
    return tuple((root, os.path.realpath(root), folder)
                 for root, folder in read_only_roots(protect, provided))


def enter_view(settings: dict, quota: bool) -> bool:
    """Make this process's root a new, almost empty tmpfs holding only read-only binds of
    the readable roots, /dev/null, /dev/urandom and, read-write, the scratch folder (a
    quota tmpfs when ``quota``): the solutions, the reports, the submissions, homes, /tmp
    and /proc do not exist there. Built on top of the scratch folder, then pivot_root."""
    scratch = settings.get("scratch")
    machine = platform.machine()
    if not scratch or machine not in SYS_PIVOT_ROOT or not private_mount_namespace():
        return False
    keep = os.open(scratch, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        new = scratch.rstrip("/")  # the new root is built where the scratch folder is
        return (view_tree(new, settings) and view_scratch(new + scratch, keep, settings, quota)
                and switch_root(new, scratch, machine))
    except OSError:
        return False
    finally:
        os.close(keep)


def view_tree(new: str, settings: dict) -> bool:
    """A small tmpfs at ``new`` with the read-only roots and the two devices bound in."""
    if _libc.mount(b"tmpfs", os.fsencode(new), b"tmpfs", MS_NOSUID | MS_NODEV,
                   b"size=1m,nr_inodes=4096,mode=0755") != 0:
        return False
    for path, real, folder in view_plan(tuple(settings.get("protect", ())),
                                        tuple(settings.get("provided", ()))):
        if not bind(real, new + real, folder):
            return False
        mirror_links(path, new)
    return all(bind(device, new + device, False, read_only=False)
               for device in ("/dev/null", "/dev/urandom"))


def view_scratch(inside: str, keep: int, settings: dict, quota: bool) -> bool:
    """The scratch folder inside the view: the quota tmpfs, or the folder itself bound in
    (``keep``: a descriptor of it, opened before the tree covered it)."""
    os.makedirs(inside, exist_ok=True)
    if quota:
        size, files = quota_size(settings)
        return mount_scratch_tmpfs(inside, size, files, tmpfs_owner(settings))
    return _libc.mount(f"/proc/self/fd/{keep}".encode(), os.fsencode(inside), None,
                       MS_BIND, None) == 0


def switch_root(new: str, scratch: str, machine: str) -> bool:
    """pivot_root into ``new``, detach the old root, make ``/`` read-only, enter scratch."""
    os.mkdir(new + "/.old")
    if _libc.syscall(SYS_PIVOT_ROOT[machine], os.fsencode(new), os.fsencode(new + "/.old")) != 0:
        return False
    os.chdir("/")
    if _libc.umount2(b"/.old", MNT_DETACH) != 0:
        return False
    os.rmdir("/.old")
    if _libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV,
                   None) != 0:
        return False
    os.chdir(scratch)
    return True


@functools.cache
def view_possible() -> bool:
    """Whether this process may build a private view here: built once, in a throwaway child
    over a throwaway folder (asked in the template, so forked workers inherit the answer)."""
    if _libc is None:
        return False
    import tempfile

    folder = tempfile.mkdtemp(prefix="bpg-view-probe-")
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = 0 if enter_view(dict(DEFAULT_LIMITS, scratch=folder), False) else 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        os.rmdir(folder)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


# --------------------------------------------------------------------- unprivileged uid


def worker_uid() -> tuple[int, int]:
    """``BACKPROP_GRADER_WORKER_UID`` (``UID`` or ``UID:GID``): who workers become under the
    uid layer [default: 65534:65534, nobody]."""
    value = os.environ.get("BACKPROP_GRADER_WORKER_UID", "").strip()
    if not value:
        return DEFAULT_WORKER_UID, DEFAULT_WORKER_UID
    try:
        uid, _, gid = value.partition(":")
        ids = int(uid), int(gid or uid)
    except ValueError:
        raise ValueError(f"BACKPROP_GRADER_WORKER_UID={value!r} is not UID or UID:GID") from None
    if min(ids) <= 0:
        raise ValueError(f"BACKPROP_GRADER_WORKER_UID={value!r}: workers may not run as root")
    return ids


def switch_uid(uid: int, gid: int) -> bool:
    """Become ``uid``:``gid`` with no supplementary groups, for good (real, effective and
    saved ids), having first emptied the bounding set while root could. Changing uid clears
    every capability; the capability drop after this confirms it."""
    if _libc is None or os.geteuid() != 0:
        return False
    prctl5 = capability_calls()[0]
    for capability in range(last_capability() + 1):
        prctl5(PR_CAPBSET_DROP, capability, 0, 0, 0)
    try:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    except OSError:
        return False
    return os.getresuid() == (uid,) * 3 and os.getresgid() == (gid,) * 3 and not os.getgroups()


def give_scratch_to(uid: int, gid: int, scratch: str | None) -> None:
    """The worker's scratch folder on disk (no quota tmpfs) becomes the worker uid's."""
    if scratch:
        try:
            os.chown(scratch, uid, gid)
        except OSError:
            pass


@functools.cache
def uid_possible() -> bool:
    """Whether this process (root) may switch a worker to the worker uid: tried once, in a
    throwaway child (asked in the template)."""
    if _libc is None or os.geteuid() != 0:
        return False
    try:
        uid, gid = worker_uid()
    except ValueError:
        return False
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if switch_uid(uid, gid) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


# --------------------------------------------------------------------------- the chain


def hide_command_line(title: str) -> bool:
    """Replace this process's command line with ``title``: any process may read another's
    ``/proc/<pid>/cmdline``, and under the uid layer that is how a worker would learn the
    paths the grader was given. Children forked afterwards inherit it. False where
    setproctitle is missing (then only the closed inputs hold: SECURITY.md)."""
    try:
        import setproctitle  # noqa: PLC0415  (a compiled module: imported only where needed)
    except ImportError:
        return False
    setproctitle.setproctitle(title)
    return True


def filesystem_layers() -> dict[str, str]:
    """Each filesystem layer, strongest first, -> "" where it is available here, else why
    not. Probing stops at the first available one (the others cost a child process each and
    would not be used): those after it say "not needed"."""
    off = disabled()
    why: dict[str, str] = {}
    for layer, available, reason in (
            ("landlock", landlock_abi, "Landlock needs Linux 5.13 or newer with Landlock "
             "enabled (and, in Docker before 23, a seccomp profile that allows it)"),
            ("view", view_possible, "a private filesystem view needs user namespaces (or "
             "root) and mount namespaces, which this machine or container refuses"),
            ("uid", uid_possible, "an unprivileged uid needs the grader to run as root, "
             "allowed to change uids")):
        if any(not reason for reason in why.values()):
            why[layer] = "not needed"
        elif layer in off:
            why[layer] = "turned off by BACKPROP_GRADER_DISABLE"
        else:
            why[layer] = "" if available() else reason
    return why


def first_layer() -> str:
    """The strongest filesystem layer available here, or "none"."""
    return next((layer for layer, why in filesystem_layers().items() if not why), NO_LAYER)


def cannot_read(paths) -> bool:
    """The proof of a filesystem layer: none of ``paths`` (a canary file the grader made,
    the protected folders) can be opened for reading."""
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
        except OSError:
            continue
        os.close(fd)
        return False
    return True


# ---------------------------------------------------------------------------- landlock

SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION, LANDLOCK_RULE_PATH_BENEATH = 1, 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_MAKE_CHAR, FS_MAKE_BLOCK, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 6, 1 << 11, 1 << 14, 1 << 15
# handled (so denied everywhere) but granted nowhere, the scratch folder included: no device
# node can be made, and no device's ioctl reached through one
DEVICE_RIGHTS = FS_MAKE_CHAR | FS_MAKE_BLOCK | FS_IOCTL_DEV
FS_RIGHTS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1,
                    5: (1 << 16) - 1}
FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1


@functools.cache
def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is missing or disabled (asked once,
    in the template, so forked workers inherit the answer)."""
    if _libc is None or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    version = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    return max(min(version, landlock_abi_cap()), 0)


def landlock_abi_cap() -> int:
    """``BACKPROP_GRADER_LANDLOCK_ABI``: the highest Landlock ABI to use (tests and the red
    team set 5 to see what holds on kernels without the signal scope); unset: no cap."""
    value = os.environ.get("BACKPROP_GRADER_LANDLOCK_ABI", "").strip()
    try:
        return int(value) if value else sys.maxsize
    except ValueError:
        raise ValueError(f"BACKPROP_GRADER_LANDLOCK_ABI={value!r} is not a number") from None


def readable_roots() -> list[str]:
    """What Python and numpy need to keep importing: the interpreter's trees, system libraries."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             "/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/share/zoneinfo", "/etc/ld.so.cache"}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_path(key))
    import numpy

    paths.add(os.path.dirname(os.path.dirname(numpy.__file__)))
    # the grader package itself (students install it too; it holds nothing hidden), but not
    # the folder above it, which in a source checkout also holds solutions/
    paths.add(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # grader/
    return sorted(p for p in paths if p and os.path.exists(p))


def is_within(path: str, root: str) -> bool:
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root.rstrip("/") + "/")


@functools.lru_cache(maxsize=64)
def read_only_roots(protect: tuple[str, ...],
                    provided: tuple[str, ...] = ()) -> tuple[tuple[str, bool], ...]:
    """(root, is a folder) for the readable roots that contain none of the protected paths
    (computed in the template, so a worker does not look them up again); ``provided``: the
    assignment's public helper-module folders, read-only roots too (each may lie inside a
    protected folder, never contain one)."""
    real = {}  # one rule per real path (/lib is often /usr/lib)
    for root in [*readable_roots(), *(p for p in provided if os.path.isdir(p))]:
        if not any(is_within(p, root) for p in protect):
            real.setdefault(os.path.realpath(root), root)
    outermost = [root for path, root in real.items()  # a root inside another adds nothing
                 if not any(other != path and is_within(path, other) for other in real)]
    return tuple((root, os.path.isdir(root)) for root in outermost)


def landlock_ruleset(abi: int, scratch: str, protect: list[str],
                     provided: list[str] = ()) -> int | None:
    """A ruleset descriptor: read-only roots (none of which may contain a protected path),
    read-write scratch; None if the kernel refused a part. Built in the template once per
    scratch folder, so each worker only enforces it (:func:`restrict_with`)."""
    fs_rights = FS_RIGHTS_BY_ABI.get(abi, FS_RIGHTS_BY_ABI[5])
    attr = struct.pack("=Q", fs_rights)
    if abi >= 4:
        attr += struct.pack("=Q", NET_BIND_TCP | NET_CONNECT_TCP)
    if abi >= 6:
        attr += struct.pack("=Q", SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL)
    ruleset = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, attr, len(attr), 0)
    if ruleset < 0:
        return None
    read_only = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
    rules = [(root, read_only, folder)
             for root, folder in read_only_roots(tuple(protect), tuple(provided))]
    rules += [("/dev/null", FS_READ_FILE | FS_WRITE_FILE, False),
              ("/dev/urandom", FS_READ_FILE, False),
              (scratch, fs_rights & ~DEVICE_RIGHTS, True)]
    for path, rights, folder in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue
        if not folder:
            rights &= FILE_RIGHTS
        rule = struct.pack("=Qi", rights & fs_rights, fd)
        result = _libc.syscall(SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, rule, 0)
        os.close(fd)
        if result != 0:
            os.close(ruleset)
            return None
    return ruleset


def restrict_with(ruleset: int) -> bool:
    """Enforce a ruleset on this process (and everything it starts), for good."""
    if not prctl(PR_SET_NO_NEW_PRIVS, 1):
        return False
    return _libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) == 0


def apply_landlock(abi: int, scratch: str, protect: list[str],
                   provided: list[str] = ()) -> bool:
    """Build a ruleset (:func:`landlock_ruleset`) and enforce it."""
    ruleset = landlock_ruleset(abi, scratch, protect, provided)
    if ruleset is None:
        return False
    try:
        return restrict_with(ruleset)
    finally:
        os.close(ruleset)


# ------------------------------------------------------------------------- capabilities

PR_CAPBSET_DROP, PR_SET_SECUREBITS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 28, 47, 4
SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, SECBIT_KEEP_CAPS, SECBIT_NO_CAP_AMBIENT_RAISE = 1, 4, 16, 64
# uid 0 grants nothing on exec, changing uids keeps nothing, ambient raises are refused, each
# locked (a bit's lock is the bit above it); keep-caps locked off
SECUREBITS = (SECBIT_NOROOT | SECBIT_NOROOT << 1 | SECBIT_NO_SETUID_FIXUP
              | SECBIT_NO_SETUID_FIXUP << 1 | SECBIT_NO_CAP_AMBIENT_RAISE
              | SECBIT_NO_CAP_AMBIENT_RAISE << 1 | SECBIT_KEEP_CAPS << 1)
CAPABILITY_VERSION_3 = 0x20080522


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


@functools.cache
def last_capability() -> int:
    """The kernel's highest capability number (read once, in the template)."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 63  # dropping a number the kernel does not know fails harmlessly


@functools.cache
def capability_calls() -> tuple:
    """prctl and capset with their argument types, and capset's empty sets: made once in the
    template, so a worker only calls them."""
    prctl5 = ctypes.CDLL(None, use_errno=True).prctl  # its own handle: argtypes of its own
    prctl5.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    header, data = CapHeader(CAPABILITY_VERSION_3, 0), (CapData * 2)()
    return prctl5, _libc.capset, ctypes.byref(header), data, header


def drop_capabilities(status_fd: int | None = None) -> bool:
    """Give up every capability for good: root's (CAP_LINUX_IMMUTABLE, CAP_MKNOD,
    CAP_SYS_RESOURCE, CAP_KILL...) and those a user namespace granted. Run after the steps
    that need privileges. Returns whether /proc/self/status shows none left
    (:func:`holds_no_capability`)."""
    if _libc is None:
        return False
    prctl5, capset, header, data, _ = capability_calls()
    prctl5(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)  # nothing exec'd can gain any either
    # securebits and the bounding set need CAP_SETPCAP, so they come before capset; without
    # it (an ordinary user outside a user namespace) both fail, and there is nothing to drop
    prctl5(PR_SET_SECUREBITS, SECUREBITS, 0, 0, 0)
    for capability in range(last_capability() + 1):
        if prctl5(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            break
    prctl5(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    capset(header, data)
    return holds_no_capability(process_status(status_fd))


STATUS_FIELDS = (b"CapInh", b"CapPrm", b"CapEff", b"CapBnd", b"CapAmb", b"NoNewPrivs", b"Uid")


def open_status() -> int | None:
    try:
        return os.open("/proc/self/status", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None


def process_status(fd: int | None = None) -> dict[str, str]:
    """The fields of /proc/self/status that say what this process may do ({} without /proc).
    ``fd``: that file opened earlier (a private view has no /proc), read afresh."""
    opened = open_status() if fd is None else fd
    if opened is None:
        return {}
    try:
        text = os.pread(opened, 8192, 0)
    except OSError:
        return {}
    finally:
        if fd is None:
            os.close(opened)
    found = {}
    for line in text.split(b"\n"):
        name, _, value = line.partition(b":\t")
        if name in STATUS_FIELDS:
            found[name.decode()] = value.decode()
    return found


def holds_no_capability(status: dict[str, str] | None = None) -> bool:
    """True when this process holds no capability and can gain none: effective, permitted,
    inheritable and ambient sets empty; the bounding set empty too, or (an ordinary user,
    who may not drop it) no uid 0 and no_new_privs set, so that no exec could use it."""
    status = process_status() if status is None else status
    try:
        held = [int(status[name], 16) for name in ("CapInh", "CapPrm", "CapEff", "CapAmb")]
        bounding, no_new_privs = int(status["CapBnd"], 16), int(status["NoNewPrivs"])
        uids = [int(uid) for uid in status["Uid"].split()]
    except (KeyError, ValueError):
        return False
    if any(held):
        return False
    return bounding == 0 or (no_new_privs == 1 and 0 not in uids)


# ----------------------------------------------------------------------------- seccomp

AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
SYSCALLS = {  # the calls this filter denies or inspects, by architecture
    "x86_64": dict(fork=57, vfork=58, execve=59, execveat=322, clone=56, clone3=435, ptrace=101,
                   kill=62, tkill=200, tgkill=234, rt_sigqueueinfo=129, rt_tgsigqueueinfo=297,
                   fcntl=72, socket=41, socketpair=53, io_uring_setup=425,
                   unshare=272, setns=308, mount=165, bpf=321, perf_event_open=298,
                   userfaultfd=323, process_vm_readv=310, process_vm_writev=311,
                   pidfd_open=434, pidfd_send_signal=424, pidfd_getfd=438, keyctl=250,
                   add_key=248, request_key=249, personality=135, chroot=161,
                   memfd_create=319, memfd_secret=447),
    "aarch64": dict(execve=221, execveat=281, clone=220, clone3=435, ptrace=117, kill=129,
                    tkill=130, tgkill=131, rt_sigqueueinfo=138, rt_tgsigqueueinfo=240,
                    fcntl=25, socket=198, socketpair=199, io_uring_setup=425,
                    unshare=97, setns=268, mount=40, bpf=280, perf_event_open=241,
                    userfaultfd=282, process_vm_readv=270, process_vm_writev=271,
                    pidfd_open=434, pidfd_send_signal=424, pidfd_getfd=438, keyctl=219,
                    add_key=217, request_key=218, personality=92, chroot=51,
                    memfd_create=279, memfd_secret=447),
}
# every call that names the process (or thread) its signal goes to in args[0]: only the
# worker itself may be named (a thread of it by its tgid; tkill names the main thread only)
SIGNAL_CALLS = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")
F_SETOWN, F_SETOWN_EX = 8, 15  # fcntl: who gets SIGIO/F_SETSIG's signal when the file is ready
RET_ALLOW, RET_KILL_PROCESS = 0x7FFF0000, 0x80000000
LD_ABS, JEQ, JSET, JGE, RET = 0x20, 0x15, 0x45, 0x35, 0x06


def ret_errno(code: int) -> int:
    return 0x00050000 | code


def seccomp_filter(machine: str, pid: int) -> list[tuple[int, int, int, int]]:
    """A BPF program: (code, jump-if-true, jump-if-false, k) tuples over seccomp_data."""
    calls = SYSCALLS[machine]
    nr, arg0, arg1, arg2 = 0, 16, 24, 32  # seccomp_data.nr, low halves of args[0..2]
    program = [(LD_ABS, 0, 0, 4), (JEQ, 1, 0, AUDIT_ARCH[machine]), (RET, 0, 0, RET_KILL_PROCESS),
               (LD_ABS, 0, 0, nr)]
    if machine == "x86_64":  # x32 system calls carry this bit
        program += [(JGE, 0, 1, 0x40000000), (RET, 0, 0, RET_KILL_PROCESS)]
    # clone: threads only; clone3 makes glibc fall back to clone
    program += [(JEQ, 0, 4, calls["clone"]), (LD_ABS, 0, 0, arg0), (JSET, 0, 1, CLONE_THREAD),
                (RET, 0, 0, RET_ALLOW), (RET, 0, 0, ret_errno(errno.EPERM))]
    program += [(JEQ, 0, 1, calls["clone3"]), (RET, 0, 0, ret_errno(errno.ENOSYS))]
    for call in SIGNAL_CALLS:  # signals to itself only, however they are sent
        program += [(JEQ, 0, 4, calls[call]), (LD_ABS, 0, 0, arg0), (JEQ, 0, 1, pid),
                    (RET, 0, 0, RET_ALLOW), (RET, 0, 0, ret_errno(errno.EPERM))]
    # fcntl: a file's owner gets a signal when the file is ready (F_SETSIG picks any, SIGKILL
    # too): the owner is the worker or nobody; F_SETOWN_EX's owner hides behind a pointer
    program += [(JEQ, 0, 8, calls["fcntl"]), (LD_ABS, 0, 0, arg1),
                (JEQ, 5, 0, F_SETOWN_EX), (JEQ, 0, 3, F_SETOWN), (LD_ABS, 0, 0, arg2),
                (JEQ, 1, 0, pid), (JEQ, 0, 1, 0),
                (RET, 0, 0, RET_ALLOW), (RET, 0, 0, ret_errno(errno.EPERM))]
    inspected = {"clone", "clone3", "fcntl", *SIGNAL_CALLS}
    for name, number in calls.items():
        if name not in inspected:
            program += [(JEQ, 0, 1, number), (RET, 0, 0, ret_errno(errno.EPERM))]
    return program + [(RET, 0, 0, RET_ALLOW)]


PID_SLOT = 0xFFFFFFFF  # stands for the worker's pid in the packed filter (no pid is this big)


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@functools.cache
def packed_filter(machine: str) -> tuple[bytes, tuple[int, ...]]:
    """The filter as the kernel reads it, and the byte offsets where the worker's pid goes:
    packed once in the template, patched in each worker."""
    program = seccomp_filter(machine, PID_SLOT)
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    slots = tuple(8 * n + 4 for n, (code, _, _, k) in enumerate(program)
                  if code == JEQ and k == PID_SLOT)
    return raw, slots


@functools.cache
def filter_buffer(machine: str) -> tuple[ctypes.Array, SockFprog, tuple[int, ...]]:
    """The packed filter in a C buffer, and the sock_fprog pointing at it: made in the
    template; a forked worker writes its pid into its own copy of the buffer."""
    raw, slots = packed_filter(machine)
    buffer = ctypes.create_string_buffer(raw, len(raw))
    return buffer, SockFprog(len(raw) // 8, ctypes.addressof(buffer)), slots


def apply_seccomp() -> bool:
    machine = platform.machine()
    if _libc is None or machine not in SYSCALLS:
        return False
    buffer, fprog, slots = filter_buffer(machine)
    pid = os.getpid()
    for offset in slots:
        struct.pack_into("=I", buffer, offset, pid)
    if not prctl(PR_SET_NO_NEW_PRIVS, 1):
        return False
    return _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


# ------------------------------------------------------------------------------- entry


def prepare() -> None:
    """Work every worker would repeat, done once in the template before it forks any."""
    landlock_abi()
    if "quota" not in disabled():
        quota_possible()
    last_capability()
    filesystem_layers()  # probes the view and the uid in throwaway children, once
    if _libc is not None:
        capability_calls()
    if _libc is not None and platform.machine() in SYSCALLS:
        filter_buffer(platform.machine())


def probe() -> dict:
    """What this machine offers, for the grader to decide before grading anything."""
    off = disabled()
    linux = _libc is not None
    return {"landlock_abi": 0 if "landlock" in off else landlock_abi(),
            "filesystem_layers": filesystem_layers(),
            "seccomp": linux and "seccomp" not in off and platform.machine() in SYSCALLS,
            "quota": "quota" not in off and quota_possible(),
            "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
            "root": os.geteuid() == 0 if hasattr(os, "geteuid") else False}


def enter(limits: dict, ruleset: int | None = None) -> dict:
    """Apply every available layer to this process; returns which ones took hold, and under
    ``filesystem`` the filesystem layer this worker proved (or "none").
    ``limits["filesystem"]``: the layer the grader chose [default: the first available];
    ``ruleset``: a Landlock ruleset descriptor built for these limits by the template
    (closed here, used or not); without one, the ruleset is built here."""
    settings = dict(DEFAULT_LIMITS, **limits)
    off = disabled()
    layer = settings.get("filesystem") or first_layer()
    active: dict = dict.fromkeys(LAYERS, False)
    status_fd = open_status() if layer == "view" else None  # no /proc in the view
    try:
        active["rlimits"] = apply_rlimits(settings)
        quota = "quota" not in off and quota_possible()
        if layer == "view":
            active["view"] = enter_view(settings, quota)
            active["quota"] = active["view"] and quota
        elif quota:
            active["quota"] = apply_write_quota(settings)
        seccomp_possible = ("seccomp" not in off and _libc is not None
                            and platform.machine() in SYSCALLS)
        if "netns" not in off and not seccomp_possible:  # seccomp already forbids every socket
            active["netns"] = enter_network_namespace()
        if layer == "uid":  # while root: before the capability drop
            uid, gid = worker_uid()
            if not active["quota"]:
                give_scratch_to(uid, gid, settings.get("scratch"))
            active["uid"] = switch_uid(uid, gid)
        # after what needs privileges (namespaces, mounts), before Landlock (which needs none
        # once no_new_privs is set) hides /proc/self/status, where the drop is verified
        active["capabilities"] = ("capabilities" not in off
                                  and drop_capabilities(status_fd))
    finally:
        if status_fd is not None:
            os.close(status_fd)
    abi = 0 if "landlock" in off or layer != "landlock" else landlock_abi()
    # a rule on the scratch folder does not reach into a mount on top of it (Landlock skips
    # mount points on its walk up), so with the quota the ruleset is built here, after it
    cached = None if active["quota"] else ruleset
    try:
        if abi and cached is not None:
            active["landlock"] = restrict_with(cached)
        elif abi and settings.get("scratch"):
            active["landlock"] = apply_landlock(abi, settings["scratch"],
                                                settings.get("protect", []),
                                                settings.get("provided", []))
    finally:
        if ruleset is not None:
            os.close(ruleset)
    if "seccomp" not in off:
        active["seccomp"] = apply_seccomp()  # last: it forbids calls the others make
    proof = [path for path in (settings.get("canary"), *settings.get("protect", ())) if path]
    held = layer != NO_LAYER and active.get(layer) is True
    active["filesystem"] = layer if held and cannot_read(proof) else NO_LAYER
    return active
