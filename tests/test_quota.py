"""The write quota: each worker's scratch folder is a tmpfs of its own (64 MiB, 4096 files by
default), as root and as an ordinary user; past it writes fail, and nothing it wrote
outlives it. Where it cannot be had (or is turned off) the worker still runs and every
report says ``quota: false``."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, SOLUTIONS
from test_redteam import NOBODY, as_ordinary_user

from grader.isolation import sandbox
from grader.isolation.launcher import Launcher
from grader.isolation.session import StudentSession
from grader.isolation.template import Template

REFUSED = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}

STUDENT = '''
import os

def fill(size, count):
    """Files of ``size`` bytes until refused: [bytes written, the errno that stopped it]."""
    written = 0
    try:
        for n in range(count):
            fd = os.open(f"fill-{n}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                left = size
                while left:
                    step = os.write(fd, bytes(min(left, 1 << 20)))
                    written, left = written + step, left - step
            finally:
                os.close(fd)
    except OSError as error:
        return [written, error.errno]
    return [written, 0]

def touch(count):
    """Empty files until refused: [files made, the errno that stopped it]."""
    made = 0
    try:
        for n in range(count):
            os.close(os.open(f"empty-{n}", os.O_WRONLY | os.O_CREAT, 0o600))
            made += 1
    except OSError as error:
        return [made, error.errno]
    return [made, 0]

def listing():
    return sorted(os.listdir("."))

def crash():
    os._exit(3)
'''

# Runs in a fresh interpreter, as the invoking user or as nobody: the same steps either way.
DRIVER = '''
import json, os, sys
from grader.isolation.launcher import Launcher
from grader.isolation.session import StudentSession

STUDENT = sys.stdin.read()
out = {}
with Launcher() as launcher:
    out["capability"] = launcher.capabilities.get("quota")
    with StudentSession(STUDENT, "backprop.py", launcher=launcher) as student:
        out["big"] = student.call("fill", (16 << 20, 64))
        out["protections"] = student.protections
        out["seen_by_grader"] = os.listdir(student.limits["scratch"])
    with StudentSession(STUDENT, "backprop.py", launcher=launcher) as student:
        out["small"] = student.call("touch", (50_000,))
    limits = {"write_quota_mb": 4, "write_quota_files": 10}
    with StudentSession(STUDENT, "backprop.py", launcher=launcher, limits=limits) as student:
        out["custom"] = [student.call("fill", (1 << 20, 64)), student.call("touch", (100,))]
    with StudentSession(STUDENT, "backprop.py", launcher=launcher) as student:
        first = [student.call("fill", (1 << 20, 1)), student.call("listing")]
        try:
            student.call("crash")
        except Exception as crash:
            first.append(type(crash).__name__)
        # the next call gets a new worker: a new, empty tmpfs its Landlock rule covers
        out["restarted"] = first + [student.call("listing", seed=1),
                                    student.call("fill", (1 << 20, 1), seed=1)]
os.environ["BACKPROP_GRADER_DISABLE"] = "seccomp"  # a network namespace too, then
with Launcher() as launcher:
    with StudentSession(STUDENT, "backprop.py", launcher=launcher) as student:
        out["without_seccomp"] = [student.call("fill", (1 << 20, 128)), student.protections]
out["tmp_left"] = os.listdir(os.environ["TMPDIR"])
print(json.dumps(out))
'''


def quota_here() -> None:
    if not sandbox.quota_possible():
        pytest.skip("this machine lets no process here mount a tmpfs of its own (no root, "
                    "and user namespaces refused): the quota is reported off, tested below")


def run_driver(user: str) -> dict:
    """DRIVER's findings, run as ``user`` from a copy of the grader that user can read."""
    base = Path(tempfile.mkdtemp(prefix="bpg-quota-"))
    try:
        base.chmod(0o755)
        shutil.copytree(ROOT / "grader", base / "repo" / "grader",
                        ignore=shutil.ignore_patterns("__pycache__"))
        (base / "tmp").mkdir()
        command = [sys.executable, "-c", DRIVER]
        if user == "ordinary_user":
            for folder, dirs, files in os.walk(base):
                for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                    os.lchown(name, NOBODY, NOBODY)
            command = as_ordinary_user(command, base)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
               "TMPDIR": str(base / "tmp"), "PYTHONPATH": str(base / "repo"),
               "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(command, input=STUDENT, capture_output=True, text=True,
                              env=env, cwd=base / "repo", timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("user", ["current_user", "ordinary_user"])
def test_a_worker_writes_up_to_its_quota_and_no_further(user):
    if user == "ordinary_user" and os.geteuid() != 0:
        pytest.skip(f"already running as uid {os.geteuid()}, an ordinary user (the "
                    "current_user run is that run); switching users needs root")
    quota_here()
    found = run_driver(user)
    assert found["capability"] is True
    assert found["protections"]["quota"] is True and found["protections"]["landlock"] is True
    written, refused = found["big"]  # 16 MiB files: 64 MiB, then refused
    assert 60 << 20 <= written <= 64 << 20 and refused in REFUSED, found["big"]
    made, refused = found["small"]  # empty files: about 4096, then refused
    assert 4000 <= made <= 4096 and refused in REFUSED, found["small"]
    (written, refused), (made, refused_too) = found["custom"]  # limits set 4 MiB, 10 files
    assert 3 << 20 <= written <= 4 << 20 and refused in REFUSED, found["custom"]
    assert made < 10 and refused_too in REFUSED, found["custom"]
    # what the worker wrote was never in the instructor's filesystem, and went with it
    assert found["seen_by_grader"] == []
    assert found["restarted"] == [[1 << 20, 0], ["fill-0"], "StudentCallError", [],
                                  [1 << 20, 0]]
    (written, refused), protections = found["without_seccomp"]
    assert protections["quota"] is True and protections["netns"] is True
    assert 60 << 20 <= written <= 64 << 20 and refused in REFUSED
    assert found["tmp_left"] == []


def test_with_the_quota_off_the_worker_runs_and_every_report_says_so(cli, tmp_path):
    off = {"BACKPROP_GRADER_DISABLE": "quota"}
    done = cli("-a", "one_hidden_layer", "-o", tmp_path / "o", "--solutions", SOLUTIONS,
               EXAMPLES / "correct.py", env=off)
    assert done.exit_code == 0, done.output
    assert "no write quota" in done.output  # the terminal says so before grading
    for name in ("results.json", "grader.json"):
        report = json.loads((tmp_path / "o" / "correct" / name).read_text())
        protections = report.get("extra_data", report)["protections"]
        assert protections["quota"] is False and protections["landlock"] is True, name
        assert report["score"] == 100


def test_with_the_quota_off_a_worker_still_writes_in_its_scratch_folder(monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "quota")
    with Launcher() as launcher, StudentSession(STUDENT, "backprop.py",
                                                launcher=launcher) as student:
        assert launcher.capabilities["quota"] is False
        assert student.call("fill", (1 << 20, 1)) == [1 << 20, 0]
        assert student.protections["quota"] is False
        assert os.listdir(student.limits["scratch"]) == ["fill-0"]  # on the real disk


def landlocked_write(folder: Path, rule_before_mount: bool) -> tuple[bool, bool]:
    """In a forked child: a tmpfs over ``folder``, a Landlock ruleset whose only writable
    folder is ``folder`` (built before or after the mount), then a write inside it and one
    in the folder next to it; whether each succeeded."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        result = b"??"
        try:
            abi = sandbox.landlock_abi()
            ruleset = sandbox.landlock_ruleset(abi, str(folder), []) if rule_before_mount else 0
            assert sandbox.mount_tmpfs_over(str(folder), 1 << 20, 8)
            if not rule_before_mount:
                ruleset = sandbox.landlock_ruleset(abi, str(folder), [])
            assert sandbox.restrict_with(ruleset)
            result = b""
            for target in (folder / "probe", folder.parent / "beside" / "probe"):
                try:
                    target.write_text("x")
                    result += b"y"
                except PermissionError:
                    result += b"n"
        finally:
            os.write(write, result)
            os._exit(0)
    os.close(write)
    answer = os.read(read, 2)
    os.close(read)
    os.waitpid(pid, 0)
    assert answer in (b"yy", b"yn", b"ny", b"nn"), "the child could not set up the test"
    return answer[0:1] == b"y", answer[1:2] == b"y"


def test_landlock_rules_must_be_made_after_the_tmpfs_is_mounted(tmp_path):
    """Landlock skips mount points on its walk up from a file: a rule on the folder under
    the tmpfs does not cover the tmpfs. So a worker with a quota builds its ruleset itself,
    after the mount (and the template does not build one for it)."""
    quota_here()
    if not sandbox.landlock_abi():
        pytest.skip("Landlock is not available on this kernel")
    (tmp_path / "scratch").mkdir()
    (tmp_path / "beside").mkdir()
    assert landlocked_write(tmp_path / "scratch", rule_before_mount=True) == (False, False)
    assert landlocked_write(tmp_path / "scratch", rule_before_mount=False) == (True, False)
    assert list((tmp_path / "scratch").iterdir()) == []  # the probe was in the tmpfs


def test_the_template_builds_no_ruleset_that_a_quota_would_make_useless(tmp_path):
    quota_here()
    import socket

    ours, theirs = socket.socketpair()
    try:
        limits = {"scratch": str(tmp_path), "protect": [str(SOLUTIONS)]}
        assert Template(theirs).ruleset_for(limits) is None  # each worker builds its own
    finally:
        ours.close()
        theirs.close()
