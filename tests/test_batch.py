"""Batches: shards that partition a class, merging them, progress lines, and one bad
submission never stopping the rest."""

from __future__ import annotations

import io
import json
import os
import shutil

import pytest
from conftest import EXAMPLES, SOLUTIONS

from grader.batch import grade, shard_of
from grader.loading.submission import discover
from grader.progress import PlainProgress


def test_shards_partition_the_class_deterministically(tmp_path):
    for i in range(11):
        (tmp_path / f"student{i:02d}.py").write_text("x = 1\n")
    everyone = discover([tmp_path])
    slices = [shard_of(everyone, k, 3) for k in (1, 2, 3)]
    names = [{s.student for s in part} for part in slices]
    assert set().union(*names) == {s.student for s in everyone}
    assert sum(len(part) for part in names) == 11
    assert sorted(len(part) for part in names) == [3, 4, 4]
    shuffled = list(reversed(everyone))
    assert [s.student for s in shard_of(shuffled, 2, 3)] == [s.student for s in slices[1]]


def test_shards_graded_apart_merge_into_one_class(cli, tmp_path):
    for k in (1, 2):
        result = cli("-a", "one_hidden_layer", "-o", tmp_path / f"shard{k}", "--solutions",
                     SOLUTIONS, "--shard", f"{k}/2", EXAMPLES)
        assert result.exit_code == 0, result.output
    graded = [{p.name for p in (tmp_path / f"shard{k}").iterdir() if p.is_dir()} for k in (1, 2)]
    assert not graded[0] & graded[1] and len(graded[0] | graded[1]) == 4
    merged = cli("merge", "-o", tmp_path / "class", tmp_path / "shard1", tmp_path / "shard2")
    assert merged.exit_code == 0, merged.output
    scores = {p.parent.name: json.loads(p.read_text())["score"]
              for p in (tmp_path / "class").glob("*/results.json")}
    assert scores == {"correct": 100, "keepdims": 96, "missing_1_over_m": 78, "stub": 0}
    assert "4 submission(s) merged" in merged.output


def test_merge_refuses_conflicting_results(cli, tmp_path):
    for name in ("a", "b"):
        grade(assignment="one_hidden_layer", paths=[EXAMPLES / "correct.py"],
              out=tmp_path / name, solutions=SOLUTIONS)
    model = tmp_path / "b" / "correct" / "grader.json"
    data = json.loads(model.read_text())
    data["checks"][0]["points"] = 0
    model.write_text(json.dumps(data))
    result = cli("merge", "-o", tmp_path / "c", tmp_path / "a", tmp_path / "b")
    assert result.exit_code == 2 and "graded in two shards" in result.output


@pytest.mark.parametrize("value", ["3", "0/2", "3/2", "a/b"])
def test_bad_shard_values_are_usage_errors(cli, value):
    result = cli("-a", "one_hidden_layer", "-o", "x", "--shard", value, EXAMPLES)
    assert result.exit_code == 2 and "--shard" in result.output


def test_plain_progress_prints_rate_and_eta():
    stream = io.StringIO()
    progress = PlainProgress(3, stream=stream, interval=0)
    for _ in range(3):
        progress.advance()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[-1].startswith("graded 3/3 (") and "/s" in lines[-1]


def test_a_rejected_submission_scores_zero_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(EXAMPLES / "correct.py", folder / "honest.py")
    os.symlink(SOLUTIONS / "one_hidden_layer" / "reference.py", folder / "sneaky.py")
    os.mkfifo(folder / "blocking.py")
    rows = grade(assignment="one_hidden_layer", paths=[folder], out=tmp_path / "out",
                 solutions=SOLUTIONS)
    scores = {row.student: row.score for row in rows}
    assert scores == {"honest": 100, "sneaky": 0, "blocking": 0}
    sneaky = json.loads((tmp_path / "out" / "sneaky" / "results.json").read_text())
    assert "symbolic link" in sneaky["tests"][0]["output"]
    blocking = json.loads((tmp_path / "out" / "blocking" / "results.json").read_text())
    assert "not a regular file" in blocking["tests"][0]["output"]


def test_hard_links_are_refused(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    shutil.copy(EXAMPLES / "correct.py", tmp_path / "original.py")
    os.link(tmp_path / "original.py", folder / "linked.py")
    rows = grade(assignment="one_hidden_layer", paths=[folder], out=tmp_path / "out",
                 solutions=SOLUTIONS)
    assert rows[0].score == 0
    report = json.loads((tmp_path / "out" / "linked" / "results.json").read_text())
    assert "hard link" in report["tests"][0]["output"]


AFFINITY = (EXAMPLES / "correct.py").read_text() + (
    "\nimport os\nprint('cpus', sorted(os.sched_getaffinity(0)))\n")


@pytest.mark.parametrize("pinning", [True, False])
def test_each_grading_process_keeps_its_workers_on_one_cpu(tmp_path, monkeypatch, pinning):
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        pytest.skip(f"needs 2 CPUs to see pinning, this process may use {allowed}")
    if not pinning:
        monkeypatch.setenv("BACKPROP_GRADER_NO_PINNING", "1")
    for i in range(6):
        (tmp_path / f"s{i}.py").write_text(AFFINITY)
    rows = grade(assignment="one_hidden_layer", paths=[tmp_path], out=tmp_path / "out",
                 solutions=SOLUTIONS, jobs=2, plots=False)
    assert [row.score for row in rows] == [100.0] * 6
    seen = set()
    for row in rows:
        output = json.loads((tmp_path / "out" / row.student / "grader.json").read_text())["output"]
        cpus = json.loads(output.split("cpus ")[1].splitlines()[0])
        assert cpus == (cpus[:1] if pinning else allowed)
        seen.add(tuple(cpus))
    if pinning:  # two grading processes, two CPUs (which one grades what is up to timing)
        assert seen <= {(allowed[0],), (allowed[1],)}
    assert sorted(os.sched_getaffinity(0)) == allowed  # the caller's own CPUs are untouched


def test_grading_in_this_process_pins_it_only_while_grading(tmp_path):
    allowed = sorted(os.sched_getaffinity(0))
    (tmp_path / "s.py").write_text(AFFINITY)
    rows = grade(assignment="one_hidden_layer", paths=[tmp_path], out=tmp_path / "out",
                 solutions=SOLUTIONS, jobs=1, plots=False)
    output = json.loads((tmp_path / "out" / "s" / "grader.json").read_text())["output"]
    assert rows[0].score == 100.0 and "cpus [" in output
    assert len(json.loads(output.split("cpus ")[1].splitlines()[0])) == 1
    assert sorted(os.sched_getaffinity(0)) == allowed


@pytest.mark.slow
def test_ctrl_c_stops_every_process_at_once_and_leaves_only_whole_reports(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    for i in range(600):
        (tmp_path / f"s{i:03d}.py").write_text((EXAMPLES / "correct.py").read_text())
    out = tmp_path / "out"
    grade_cli = [sys.executable, "-c", "from grader.cli import main; main()"]
    process = subprocess.Popen(
        [*grade_cli, "-a", "one_hidden_layer", "-o", str(out), "--solutions", str(SOLUTIONS),
         "--jobs", "2", "--no-plots", str(tmp_path)], start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as at a terminal
    deadline = time.monotonic() + 60
    while len(list(out.glob("*/grader.json"))) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    started = time.monotonic()
    output = process.communicate(timeout=30)[0].decode()
    assert process.returncode != 0 and time.monotonic() - started < 5, output
    assert "Traceback" not in output, output  # no process prints a KeyboardInterrupt
    time.sleep(0.5)
    group = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True).stdout
    alive = [line for line in group.splitlines()
             if line.split()[0] == str(process.pid) and not line.split()[1].startswith("Z")]
    assert alive == [], alive
    done = list(out.glob("*/grader.json"))
    assert 20 <= len(done) < 600  # it stopped early, and kept what it had finished
    for model in done:
        json.loads(model.read_text())  # whole files only
    resumed = subprocess.run([*grade_cli, "-a", "one_hidden_layer", "-o", str(out), "--resume",
                              "--solutions", str(SOLUTIONS), "--no-plots", str(tmp_path)],
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert len(list(out.glob("*/grader.json"))) == 600
    assert not list(out.glob("*/.*.tmp"))  # a file an interrupted write left is gone
