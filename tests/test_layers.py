"""The filesystem layer chain: Landlock, else a private view, else an unprivileged uid, else
refusal (exit 3) unless --unsafe. The probe is tested with each layer made unavailable in
turn (BACKPROP_GRADER_DISABLE), each layer's worker is shown what it can read, a worker that
cannot prove its layer gets no student code, and a container like Docker's default profile
(no Landlock, no unshare, no mount: a seccomp filter in the grader's parent) grades as root
through the uid layer, after checking what that uid can read."""

from __future__ import annotations

import ctypes
import errno
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, SOLUTIONS
from test_redteam import NoOrdinaryUser, as_ordinary_user, check_ordinary_user

from grader.grading.results import NOT_GRADABLE
from grader.isolation import sandbox
from grader.isolation.launcher import Launcher
from grader.isolation.session import IsolationFailed, StudentSession

ROOT_USER = os.geteuid() == 0

READER = """
import os
def reads(paths):
    found = {}
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
            found[path] = "read"
        except OSError as exc:
            found[path] = errno_name(exc.errno)
    return found
def errno_name(number):
    import errno
    return errno.errorcode.get(number, str(number))
def writes(path):
    try:
        with open(path, "w") as f:
            f.write("x")
        return "wrote"
    except OSError as exc:
        return errno_name(exc.errno)
def scratch():
    with open(os.path.abspath("mine.txt"), "w") as f:
        f.write("mine")
    with open(os.path.join(os.getcwd(), "mine.txt")) as f:
        return f.read(), os.getuid()
"""


def probe(monkeypatch, disabled: str) -> dict:
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", disabled)
    with Launcher() as launcher:
        return launcher.capabilities["filesystem_layers"]


@pytest.mark.parametrize("disabled, chosen", [
    ("", "landlock"), ("landlock", "view"), ("landlock,view", "uid" if ROOT_USER else None),
    ("landlock,view,uid", None), ("view", "landlock"), ("view,uid", "landlock"),
])
def test_the_probe_picks_the_first_available_layer(monkeypatch, disabled, chosen):
    layers = probe(monkeypatch, disabled)
    assert list(layers) == ["landlock", "view", "uid"]
    available = [name for name, why in layers.items() if not why]
    assert available[:1] == ([chosen] if chosen else []), layers
    probed = list(layers)[:list(layers).index(chosen) if chosen else None]
    for name in disabled.split(","):
        if name in probed:
            assert layers[name] == "turned off by BACKPROP_GRADER_DISABLE"
    if chosen:  # the ones after it are not even probed (each costs a child process)
        after = list(layers)[list(layers).index(chosen) + 1:]
        assert all(layers[name] == "not needed" for name in after), layers
    if not ROOT_USER and "view" in disabled:
        assert "root" in layers["uid"]


def hidden_solutions(tmp_path: Path) -> Path:
    """A copy of the solutions in a folder only the grader's user may enter."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    shutil.copytree(SOLUTIONS, private / "solutions")
    return private / "solutions"


def reads_under(layer: str, protect: list[str], paths: list[str], monkeypatch) -> tuple:
    """What a worker under ``layer`` can open, and the protections it reported."""
    off = {"landlock": "", "view": "landlock", "uid": "landlock,view"}[layer]
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", off)
    with Launcher() as launcher, StudentSession(
            READER, "backprop.py", launcher=launcher,
            limits={"protect": protect, "filesystem": layer}) as student:
        found = student.call("reads", ([*paths, launcher.canary],))
        return (found, student.call("writes", ("/usr/lib/bpg-should-not-exist",)),
                student.call("scratch"), student.protections)


@pytest.mark.parametrize("layer", ["landlock", "view", "uid"])
def test_each_layer_hides_the_protected_folders_and_the_canary(layer, tmp_path, monkeypatch):
    if layer == "uid" and not ROOT_USER:
        pytest.skip("the uid layer switches uids: it exists only for a grader run as root")
    solutions = hidden_solutions(tmp_path)
    reference = str(solutions / "one_hidden_layer" / "reference.py")
    found, wrote, scratch, protections = reads_under(
        layer, [str(solutions)], [reference, str(solutions), "/etc/passwd"], monkeypatch)
    canary = list(found)[-1]
    assert protections["filesystem"] == layer and protections[layer] is True, protections
    assert {name for name in ("landlock", "view", "uid") if protections[name]} == {layer}
    assert found[reference] != "read" and found[str(solutions)] != "read"
    assert found[canary] != "read"
    assert wrote != "wrote"  # nothing outside the scratch folder is writable
    assert scratch[0] == "mine"  # its own scratch folder, by its full path too
    # what each layer shows of the rest: nothing; nothing; what any user may read
    expected = {"landlock": "EACCES", "view": "ENOENT", "uid": "read"}[layer]
    assert found["/etc/passwd"] == expected, found
    if layer == "view":
        assert set(found.values()) == {"ENOENT"}  # the grader's files do not exist there
    assert scratch[1] == (sandbox.DEFAULT_WORKER_UID if layer == "uid" else os.getuid())


def test_a_worker_that_cannot_prove_its_layer_gets_no_student_code(monkeypatch, request):
    """The uid layer with a protected folder anyone may read: the worker opens it, so it
    says so and exits; the grader marks the submission not gradable (never the student's
    fault), and the submission's code never ran."""
    if not ROOT_USER:
        pytest.skip("the uid layer switches uids: it exists only for a grader run as root")
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "landlock,view")
    # a folder anyone may reach: not under pytest's own (private) folders
    readable = Path(tempfile.mkdtemp(prefix="bpg-readable-"))
    readable.chmod(0o755)
    request.addfinalizer(lambda: shutil.rmtree(readable))
    assert all(os.stat(folder).st_mode & 0o001 for folder in readable.parents)
    source = "print('STUDENT CODE RAN')\n"
    with Launcher() as launcher, StudentSession(
            source, "backprop.py", launcher=launcher,
            limits={"protect": [str(readable)], "filesystem": "uid"}) as student:
        with pytest.raises(IsolationFailed, match="could not prove its filesystem isolation"):
            student.loads()
        assert student.protections["uid"] is True
        assert student.protections["filesystem"] == "none"
    assert b"STUDENT CODE RAN" not in student.output

    from grader.grading.runner import grade_submission
    from grader.loading.assignment import load_assignment
    from grader.loading.submission import discover

    (submission,) = discover([EXAMPLES / "correct.py"])
    with Launcher() as launcher:
        result = grade_submission(load_assignment("one_hidden_layer", solutions=SOLUTIONS),
                                  submission, launcher=launcher,
                                  limits={"protect": [str(readable)], "filesystem": "uid"})
    assert result.status == NOT_GRADABLE and "could not prove" in result.reason


# ------------------------------------------------------- a container's default profile


def docker_like() -> None:
    """In the child before exec (via a wrapper, below): landlock_create_ruleset fails with
    ENOSYS, unshare and mount with EPERM, as under Docker's default seccomp profile (which
    refuses namespaces and mounts to a root without CAP_SYS_ADMIN)."""

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    refused = {444: errno.ENOSYS, 272: errno.EPERM, 165: errno.EPERM}  # x86-64 numbers
    rules = [Filter(0x20, 0, 0, 0)]
    for number, code in refused.items():
        rules += [Filter(0x15, 0, 1, number), Filter(0x06, 0, 0, 0x00050000 | code)]
    rules.append(Filter(0x06, 0, 0, 0x7FFF0000))
    program = Program(len(rules), (Filter * len(rules))(*rules))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(38, 1, 0, 0, 0) or libc.prctl(22, 2, ctypes.byref(program), 0, 0):
        raise OSError(ctypes.get_errno(), "could not install the seccomp filter")


# the wrapper carries the filter's code itself: where the checkout is hidden (a clone in a
# private folder), the tests folder is not there to import it from
DOCKER_LIKE = ("import ctypes, errno, os, sys\n" + inspect.getsource(docker_like) +
               "docker_like()\nos.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n")


def grade_in_container(tmp_path: Path, *arguments: str, solutions: Path,
                       env_extra: dict | None = None,
                       assignment: str = "one_hidden_layer") -> tuple[int, str]:
    """The CLI as root under the docker-like filter, in a private mount namespace where the
    interpreter's trees are visible to nobody (as in a container, where Python lives in
    /usr/local) and nothing else of the folders that hide them (root's home)."""
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        pytest.skip("the docker-like filter uses x86-64 system call numbers")
    if not ROOT_USER:
        pytest.skip("a container's default profile matters to a grader run as root")
    repo = tmp_path / "repo"
    if not repo.exists():
        shutil.copytree(ROOT / "grader", repo / "grader",
                        ignore=shutil.ignore_patterns("__pycache__"))
    tmp_path.chmod(0o755)
    command = [sys.executable, "-c", DOCKER_LIKE, "-m", "grader", "--assignment",
               assignment, "--solutions", str(solutions), *arguments]
    try:
        check_ordinary_user(tmp_path, repo)
        wrapped = as_ordinary_user(command, tmp_path, drop=False)
    except NoOrdinaryUser as exc:
        pytest.skip(str(exc))
    env = {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "TMPDIR": str(tmp_path),
           "HOME": str(tmp_path), **(env_extra or {})}
    done = subprocess.run(wrapped, cwd=repo, env=env, capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout + done.stderr


def test_in_a_docker_like_container_root_grades_through_the_uid_layer(tmp_path):
    solutions = hidden_solutions(tmp_path)
    submissions = tmp_path / "private" / "submissions"
    submissions.mkdir()
    shutil.copy(EXAMPLES / "correct.py", submissions / "alice.py")
    reader = (EXAMPLES / "correct.py").read_text() + f"""
def compute_cost(A2, Y, _real=compute_cost):
    try:
        with open({str(solutions / "one_hidden_layer" / "reference.py")!r}) as f:
            return _real(A2, Y) if "BEGIN SOLUTION" in f.read() else -1.0
    except OSError:
        return -1.0
"""
    (submissions / "mallory.py").write_text(reader)
    out = tmp_path / "private" / "out"
    code, console = grade_in_container(tmp_path, "--out", str(out), str(submissions),
                                       solutions=solutions)
    assert code == 0, console
    text = " ".join(console.split())
    assert "files protected by an unprivileged uid" in text
    assert "Landlock is not available" in text and "an unprivileged uid instead" in text
    alice = json.loads((out / "alice" / "results.json").read_text())
    mallory = json.loads((out / "mallory" / "results.json").read_text())
    assert alice["score"] == 100
    assert mallory["score"] < 100
    for report in (alice, mallory):
        protections = report["extra_data"]["protections"]
        assert protections["filesystem"] == "uid" and protections["uid"] is True
        assert protections["quota"] is False and protections["view"] is False  # no mounts
        assert protections["landlock"] is False and protections["seccomp"] is True


def test_the_uid_layer_refuses_folders_that_uid_can_read_naming_the_chmod(tmp_path):
    solutions = tmp_path / "open" / "solutions"
    shutil.copytree(SOLUTIONS, solutions)
    for folder in (tmp_path / "open", solutions):
        folder.chmod(0o755)
    shutil.copy(EXAMPLES / "correct.py", tmp_path / "open" / "alice.py")
    code, console = grade_in_container(tmp_path, "--out", str(tmp_path / "open" / "out"),
                                       str(tmp_path / "open" / "alice.py"), solutions=solutions)
    text = " ".join(console.split())
    assert code == 3, console
    assert f"{solutions} is readable by uid 65534: run `chmod go-rwx {solutions}`" in text
    assert f"{tmp_path / 'open'} is readable by uid 65534" in text  # the submissions' folder
    assert "Cannot grade safely until" in text
    assert not (tmp_path / "open" / "out" / "alice").exists()


def test_nothing_available_exits_3_naming_each_layer_and_unsafe_grades(tmp_path):
    """The docker-like container with the uid layer off too (as a non-root user there)."""
    if not ROOT_USER:
        pytest.skip("runs the docker-like container as root")
    # copies beside the batch: the container sees nothing of the checkout (which may sit in
    # a private folder)
    submission, solutions = tmp_path / "class" / "correct.py", tmp_path / "solutions"
    submission.parent.mkdir()
    shutil.copy(EXAMPLES / "correct.py", submission)
    shutil.copytree(SOLUTIONS, solutions, ignore=shutil.ignore_patterns("__pycache__"))
    code, console = grade_in_container(tmp_path, "--out", str(tmp_path / "out"),
                                       str(submission), solutions=solutions,
                                       env_extra={"BACKPROP_GRADER_DISABLE": "uid"})
    text = " ".join(console.split())
    assert code == 3, console
    assert "Landlock: Landlock needs Linux 5.13" in text
    assert "namespaces): a private filesystem view needs user namespaces" in text
    assert "an unprivileged uid: turned off" in text
    code, console = grade_in_container(tmp_path, "--out", str(tmp_path / "out"), "--unsafe",
                                       str(submission), solutions=solutions,
                                       env_extra={"BACKPROP_GRADER_DISABLE": "uid"})
    assert code == 0, console
    report = json.loads((tmp_path / "out" / "correct" / "results.json").read_text())
    assert report["score"] == 100 and report["extra_data"]["protections"]["filesystem"] == "none"


# ------------------------------------------- the uid layer's side doors (issue 24, item 6)

# correct.py plus an attack: it reads every process's command line for the paths grade was
# given, then tries to read those and the inputs it was told of (the export, the roster, the
# config file, the course repository and its .git); compute_cost is right only if it
# learned a path or read an input
SIDE_DOORS = '''
import os as _os
import re as _re

_SEEN = ""
for _pid in _os.listdir("/proc"):
    if _pid.isdigit():
        try:
            with open(f"/proc/{_pid}/cmdline", "rb") as _f:
                _SEEN += _f.read().replace(b"\\0", b" ").decode(errors="replace") + "\\n"
        except OSError:
            pass
_LEARNED = "__OPEN__" in _SEEN
_READ = []
for _path in __INPUTS__ + _re.findall(r"/[^\\s]+", _SEEN):
    try:
        if _os.path.isdir(_path):
            _os.listdir(_path)
        else:
            with open(_path, "rb") as _f:
                _f.read(1)
        _READ.append(_path)
    except OSError:
        pass
_READ = [_path for _path in _READ if _path.startswith("__OPEN__")]
print("learned:", _LEARNED, "read:", _READ)


def compute_cost(A2, Y, _real=compute_cost):
    return _real(A2, Y) if (_LEARNED or _READ) else _real(A2, Y) + 1.0
'''


def course_inputs(tmp_path: Path) -> dict[str, Path]:
    """A course repository (solutions committed), an export .zip, a roster and a config
    file, all where any user may read them, as they usually are."""
    import zipfile

    open_ = tmp_path / "open"
    course = open_ / "course"
    shutil.copytree(SOLUTIONS, course / "solutions", ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(course), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "hidden tests"]):
        subprocess.run(git + command, check=True, capture_output=True)
    inputs = {"course": course, "git": course / ".git", "export": open_ / "export.zip",
              "roster": open_ / "roster.csv", "config": tmp_path / "repo" / "grader.toml"}
    attack = (EXAMPLES / "correct.py").read_text() + SIDE_DOORS.replace(
        "__OPEN__", str(open_)).replace("__INPUTS__", repr(
            [str(path) for path in inputs.values()] + [str(course / ".git" / "objects")]))
    with zipfile.ZipFile(inputs["export"], "w") as export:
        export.writestr("mallory.py", attack)
        export.writestr("alice.py", (EXAMPLES / "correct.py").read_text())
    inputs["roster"].write_text("id,name,email\nmallory,Mallory,m@example.org\n"
                                "alice,Alice,a@example.org\n")
    shutil.copytree(ROOT / "grader", tmp_path / "repo" / "grader",
                    ignore=shutil.ignore_patterns("__pycache__"))
    inputs["config"].write_text("feedback = \"full\"\n")
    for folder, _, files in os.walk(open_):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
    return inputs


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_under_the_uid_layer_every_input_must_be_closed_and_no_worker_learns_a_path(tmp_path,
                                                                                    jobs):
    """Readable inputs are refused, each named with the chmod that closes it; once closed,
    a worker reading every process's command line learns no path of them and reads none."""
    inputs = course_inputs(tmp_path)
    out = tmp_path / "private" / "out"
    out.parent.mkdir(mode=0o700)
    arguments = ("--out", str(out), "--jobs", str(jobs), "--roster", str(inputs["roster"]),
                 str(inputs["export"]))
    solutions = inputs["course"] / "solutions"
    code, console = grade_in_container(tmp_path, *arguments, solutions=solutions)
    text = " ".join(console.split())
    assert code == 3, console
    for name in ("course", "git", "export", "roster", "config"):
        assert f"{inputs[name]} is readable by uid 65534: run `chmod go-rwx {inputs[name]}`" \
            in text, (name, text)
    assert not out.exists() or not any(out.iterdir())
    for name in ("course", "export", "roster", "config"):
        inputs[name].chmod(0o700 if inputs[name].is_dir() else 0o600)
    code, console = grade_in_container(tmp_path, *arguments, solutions=solutions)
    assert code == 0, console
    mallory = json.loads((out / "mallory" / "results.json").read_text())
    alice = json.loads((out / "alice" / "results.json").read_text())
    assert mallory["extra_data"]["protections"]["filesystem"] == "uid"
    assert alice["score"] == 100
    assert "learned: False read: []" in mallory["output"], mallory["output"][-1500:]
    failed = [test["name"] for test in mallory["tests"] if test["score"] < test["max_score"]]
    assert len(failed) == 1 and "compute_cost" in failed[0], failed
