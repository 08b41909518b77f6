"""Isolation as instructors meet it: refusal without Landlock, --unsafe, protections recorded
in reports, --resume after the grader is killed, and no process outliving its grading."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES, SOLUTIONS

from grader.isolation import sandbox
from grader.isolation.launcher import Launcher
from grader.isolation.session import StudentSession

# a write quota wherever a process here may mount a tmpfs of its own (root, or user
# namespaces allowed); tests/test_quota.py tests it
QUOTA = sandbox.quota_possible()


def test_refuses_without_filesystem_isolation_unless_unsafe(cli, tmp_path):
    """With no filesystem layer at all: exit 3 (not a usage error), naming each layer tried
    and why it is missing."""
    off = {"BACKPROP_GRADER_DISABLE": "landlock,view,uid"}
    refused = cli("-a", "one_hidden_layer", "-o", tmp_path / "o", "--solutions", SOLUTIONS,
                  EXAMPLES / "correct.py", env=off)
    assert refused.exit_code == 3, refused.output
    assert "filesystem isolation is not available" in refused.output
    assert "Cannot grade safely here" in refused.output and "--unsafe" in refused.output
    for tried in ("Landlock: turned off", "a private filesystem view (user and mount "
                  "namespaces): turned off", "an unprivileged uid: turned off"):
        assert tried in refused.output
    assert not (tmp_path / "o").exists()

    allowed = cli("-a", "one_hidden_layer", "-o", tmp_path / "o", "--solutions", SOLUTIONS,
                  "--unsafe", EXAMPLES / "correct.py", env=off)
    assert allowed.exit_code == 0, allowed.output
    report = json.loads((tmp_path / "o" / "correct" / "results.json").read_text())
    assert report["extra_data"]["protections"]["landlock"] is False
    assert report["extra_data"]["protections"]["filesystem"] == "none"
    assert report["extra_data"]["protections"]["unsafe"] is True
    assert report["score"] == 100
    assert "files protected by NOTHING (--unsafe)" in " ".join(allowed.output.split())


def test_reports_record_the_active_protections(cli, tmp_path):
    result = cli("-a", "one_hidden_layer", "-o", tmp_path, "--solutions", SOLUTIONS,
                  EXAMPLES / "correct.py")
    assert result.exit_code == 0, result.output
    protections = json.loads((tmp_path / "correct" / "results.json").read_text())[
        "extra_data"]["protections"]
    # a network namespace only where seccomp (which forbids every socket) is missing
    assert protections == {"rlimits": True, "quota": QUOTA, "netns": False, "landlock": True,
                           "view": False, "uid": False, "filesystem": "landlock",
                           "capabilities": True, "seccomp": True, "subreaper": True,
                           "unsafe": False}
    assert "files protected by Landlock" in " ".join(result.output.split())


def test_a_killed_batch_loses_nothing_with_resume(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    slow = (EXAMPLES / "correct.py").read_text() + "\nimport time\ntime.sleep(3)\n"
    for i in range(6):
        (folder / f"s{i}.py").write_text(slow if i == 3 else (EXAMPLES / "correct.py").read_text())
    out = tmp_path / "out"
    command = [sys.executable, "-m", "grader", "-a", "one_hidden_layer", "-o", str(out),
               "--solutions", str(SOLUTIONS), "--jobs", "1", str(folder)]
    batch = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True,  # what SIGKILL leaves stays in tmp_path
                             env=dict(os.environ, TMPDIR=str(tmp_path)))
    deadline = time.monotonic() + 30
    while not (out / "s2" / "grader.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(batch.pid, signal.SIGKILL)  # mid-batch, while s3 sleeps at import
    batch.wait()
    done_before = {p.parent.name for p in out.glob("*/grader.json")}
    assert {"s0", "s1", "s2"} <= done_before and "s5" not in done_before
    stamps = {name: (out / name / "grader.json").stat().st_mtime_ns for name in done_before}
    assert not list(out.glob("*/.*.tmp")), "no half-written report is left behind"

    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    for i in range(6):
        assert json.loads((out / f"s{i}" / "results.json").read_text())["score"] == 100
    for name, stamp in stamps.items():
        assert (out / name / "grader.json").stat().st_mtime_ns == stamp, "regraded " + name


def test_processes_started_without_seccomp_die_with_their_worker(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "seccomp,landlock")  # neither stops exec
    marker = f"bpg-orphan-{os.getpid()}"
    source = f"""
import os, subprocess, sys
SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)", "{marker}"]
def escape():
    subprocess.Popen(SLEEPER, start_new_session=True)
    if os.fork() == 0:
        os.setsid()
        subprocess.Popen(SLEEPER)
        os._exit(0)
    return 1
"""

    def survivors():
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if marker.encode() in f.read():
                        found.append(pid)
            except OSError:
                pass
        return found

    with Launcher() as launcher:
        with StudentSession(source, "backprop.py", launcher=launcher) as student:
            assert student.call("escape") == 1
            assert student.protections["seccomp"] is False
            time.sleep(0.2)
            assert len(survivors()) == 2  # the attack worked while the worker lived
        deadline = time.monotonic() + 5
        while survivors() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert survivors() == []


LANDLOCK = {"landlock": True, "view": False, "uid": False, "filesystem": "landlock"}


@pytest.mark.parametrize("disabled, expected", [
    ("", {"rlimits": True, "quota": QUOTA, "netns": False, **LANDLOCK, "seccomp": True}),
    ("landlock", {"rlimits": True, "quota": QUOTA, "netns": False, "landlock": False,
                  "view": True, "uid": False, "filesystem": "view", "seccomp": True}),
    ("seccomp", {"rlimits": True, "quota": QUOTA, "netns": True, **LANDLOCK,
                 "seccomp": False}),
    ("seccomp,netns", {"rlimits": True, "quota": QUOTA, "netns": False, **LANDLOCK,
                       "seccomp": False}),
    ("quota", {"rlimits": True, "quota": False, "netns": False, **LANDLOCK,
               "seccomp": True}),
    ("capabilities", {"rlimits": True, "quota": QUOTA, "netns": False, **LANDLOCK,
                      "seccomp": True, "capabilities": False}),
])
def test_layers_can_be_turned_off_for_testing_and_are_reported(disabled, expected, monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", disabled)
    with Launcher() as launcher, StudentSession("x = 1\n", "backprop.py",
                                                launcher=launcher) as student:
        assert student.loads() is None
        assert student.protections == dict({"capabilities": True}, **expected, subreaper=True)


def test_without_seccomp_the_network_namespace_stops_udp_and_tcp(monkeypatch):
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "seccomp")
    source = """
import socket
def reach():
    out = []
    targets = ((socket.SOCK_DGRAM, ("8.8.8.8", 53)), (socket.SOCK_STREAM, ("127.0.0.1", 9)))
    for kind, address in targets:
        s = socket.socket(socket.AF_INET, kind)  # allowed without seccomp
        s.settimeout(0.5)
        try:
            s.sendto(b"x", address) if kind == socket.SOCK_DGRAM else s.connect(address)
            out.append("reached")
        except OSError as e:
            out.append(e.errno)
    return out
"""
    with Launcher() as launcher, StudentSession(source, "backprop.py",
                                                launcher=launcher) as student:
        outcome = student.call("reach")
        assert student.protections["netns"] is True
        assert len(outcome) == 2 and "reached" not in outcome, outcome


def test_the_packed_seccomp_filter_gets_each_workers_pid_where_the_filter_checks_it():
    raw, slots = sandbox.packed_filter("x86_64")
    assert len(slots) == 6  # kill, tkill, tgkill, rt_(tg)sigqueueinfo: to itself; fcntl owner
    patched = bytearray(raw)
    for offset in slots:
        struct.pack_into("=I", patched, offset, 4242)
    built = b"".join(struct.pack("=HBBI", *instruction)
                     for instruction in sandbox.seccomp_filter("x86_64", 4242))
    assert bytes(patched) == built


def test_read_only_roots_cover_every_readable_root_once_and_never_a_protected_path():
    protect = (str(SOLUTIONS),)
    kept = [root for root, _ in sandbox.read_only_roots(protect)]
    assert len({os.path.realpath(root) for root in kept}) == len(kept)
    assert not any(a != b and sandbox.is_within(a, b) for a in kept for b in kept)
    for root in sandbox.readable_roots():
        if not any(sandbox.is_within(path, root) for path in protect):
            assert any(sandbox.is_within(root, other) for other in kept), root
    assert not any(sandbox.is_within(str(SOLUTIONS), root) for root in kept)


def test_a_sandboxed_worker_holds_only_its_pipes():
    source = """
import os
def open_fds():
    found = []
    for fd in range(64):
        try:
            os.fstat(fd)
            found.append(fd)
        except OSError:
            pass
    return found
"""
    with Launcher() as launcher, StudentSession(source, "backprop.py",
                                                launcher=launcher) as student:
        assert student.call("open_fds") == [0, 1, 2, 3, 4]  # the Landlock ruleset is closed
        assert student.protections["landlock"] is True


def landlocked_write(ruleset: int, folder) -> bool:
    """In a forked child: enforce ``ruleset``, then try to create a file in ``folder``."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            if sandbox.restrict_with(ruleset):
                with open(os.path.join(folder, "probe"), "w") as probe:
                    probe.write("x")
                code = 0
        except OSError:
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) in (0, 1), "the ruleset could not be enforced"
    return os.WEXITSTATUS(status) == 0


def test_the_template_builds_a_ruleset_once_per_scratch_folder_and_anew_for_a_new_folder(
        tmp_path, monkeypatch):
    import socket

    from grader.isolation import template

    # with a write quota each worker builds its own, after mounting (tests/test_quota.py)
    monkeypatch.setenv("BACKPROP_GRADER_DISABLE", "quota")

    ours, theirs = socket.socketpair()
    keeper = template.Template(theirs)
    before = len(os.listdir("/proc/self/fd"))
    scratch, outside = tmp_path / "scratch", tmp_path / "outside"
    scratch.mkdir()
    outside.mkdir()
    limits = {"scratch": str(scratch), "protect": [str(SOLUTIONS)]}
    first = keeper.ruleset_for(limits)
    assert first is not None and keeper.ruleset_for(limits) == first  # built once
    assert landlocked_write(first, scratch) and not landlocked_write(first, outside)
    (scratch / "probe").unlink()
    scratch.rmdir()
    scratch.mkdir()  # same name, new folder: the old rule does not cover it
    assert not landlocked_write(first, scratch)
    second = keeper.ruleset_for(limits)
    assert second not in (None, first) and landlocked_write(second, scratch)
    for n in range(template.RULESETS):  # old ones are closed as new folders come
        (tmp_path / f"s{n}").mkdir()
        keeper.ruleset_for(dict(limits, scratch=str(tmp_path / f"s{n}")))
    assert len(keeper.rulesets) == template.RULESETS
    assert len(os.listdir("/proc/self/fd")) - before == template.RULESETS  # no other is open
    for fd in keeper.rulesets.values():
        os.close(fd)
    ours.close()
    theirs.close()
