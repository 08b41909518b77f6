"""The grader's own memory stays bounded whatever replies the workers send (a blob referenced
48 times; honest-looking 60 MiB replies, one call at a time): a real CLI batch, --jobs 2, two
memory-hungry submissions graded at once, its grading processes' peak RSS measured from /proc.

Target (the second round of hostile submissions): under 1 GiB for the whole batch. Before
the fix, the blob referenced 48 times alone took 3.1 GiB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SOLUTIONS
from test_redteam import CORPUS, assemble

pytestmark = pytest.mark.slow

GIB = 1 << 30
# student -> (its attack, the functions whose checks it must fail, what each message says);
# a grading process is dealt two students at a time, in order of their ids, so both
# processes start with a 60 MiB-reply student: two of them graded at once
CANNOT_READ = "returned data the grader cannot read"
TOO_MUCH = "more data than the grader keeps for one submission (256 MiB)"
STUDENTS = {
    "a_huge": ("huge_honest_replies", ("backward_propagation",), TOO_MUCH),
    "b_blob": ("blob_referenced_48_times", ("predict",), CANNOT_READ),
    "c_huge": ("huge_honest_replies", ("backward_propagation",), TOO_MUCH),
    "d_blob": ("blob_referenced_48_times", ("predict",), CANNOT_READ),
    "e_victim": ("a_victim", (), None),
}


def peak_rss(pid: int) -> int:
    """VmHWM: the most resident memory ``pid`` has had, in bytes (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def grader_processes(root: int) -> set[int]:
    """``root`` and the processes forked from it that still run the grader's command line:
    the batch and its grading processes (templates are exec'd anew, workers fork those)."""
    parents, command = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            command[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = {root}, [root]
    while todo:
        parent = todo.pop()
        for pid, its_parent in parents.items():
            if its_parent == parent and b"-m\0grader\0" in command.get(pid, b"") and \
                    pid not in found:
                found.add(pid)
                todo.append(pid)
    return found


def test_hostile_replies_keep_the_batchs_memory_bounded(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for student, (attack, _, _) in STUDENTS.items():
        (corpus / f"{student}.py").write_text(assemble(CORPUS / f"{attack}.py"))
    command = [sys.executable, "-m", "grader", "--assignment", "one_hidden_layer", "--out",
               str(tmp_path / "out"), "--solutions", str(SOLUTIONS), "--jobs", "2",
               "--no-plots", str(corpus)]
    batch = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, env=dict(os.environ, TMPDIR=str(tmp_path)))
    peaks: dict[int, int] = {}
    seen: dict[int, int] = {}  # samples in which each pid still ran the grader
    while batch.poll() is None:
        for pid in grader_processes(batch.pid):
            peaks[pid] = max(peaks.get(pid, 0), peak_rss(pid))
            seen[pid] = seen.get(pid, 0) + 1
        time.sleep(0.02)
    # a child caught between fork and exec (a template being started) shows the grader's
    # command line for an instant: it is not a grading process
    peaks = {pid: peak for pid, peak in peaks.items() if seen[pid] >= 3 or pid == batch.pid}
    console = batch.stdout.read().decode(errors="replace")
    assert batch.returncode == 0, console[-3000:]
    assert len(peaks) == 3, peaks  # the batch and its two grading processes were measured
    total = sum(peaks.values())
    print(f"peak RSS per grader process (MiB): {[p >> 20 for p in peaks.values()]}, "
          f"sum {total >> 20}")
    assert total < GIB, f"the batch's processes peaked at {total >> 20} MiB together"
    for student, (_, functions, text) in STUDENTS.items():
        report = json.loads((tmp_path / "out" / student / "grader.json").read_text())
        assert report["status"] == "graded", (student, report["reason"])
        failed = [check for check in report["checks"] if check["status"] != "passed"]
        assert {check["name"].split(" ")[0].rstrip(":") for check in failed} == set(functions), (
            student, [check["message"][:200] for check in failed])
        assert all(text in check["message"] for check in failed), student
