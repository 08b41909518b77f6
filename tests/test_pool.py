"""grader.pool: grading processes forked per job, fed one index at a time, with real forks."""

from __future__ import annotations

import os

import pytest

from grader.pool import HELD, GradingProcessError, grade_in_processes


def run(count, processes, task, fallback=lambda index: {"by": "fallback", "index": index}):
    rows, events = {}, []

    def on_row(index, row):
        assert index not in rows, "each index is delivered once"
        rows[index] = row

    def setup(k):
        return lambda index: task(k, index)

    grade_in_processes(count, processes, setup, on_row=on_row, fallback=fallback,
                       on_start=lambda: events.append(("started", os.getpid())))
    return rows, events


def test_every_index_is_graded_once_in_a_forked_process_and_rows_come_back_as_data():
    parent = os.getpid()
    rows, events = run(50, 2, lambda k, index: {"square": index * index, "pid": os.getpid(),
                                                "k": k})
    assert sorted(rows) == list(range(50))
    assert all(row["square"] == index ** 2 for index, row in rows.items())
    pids = {row["pid"] for row in rows.values()}
    assert parent not in pids and 1 <= len(pids) <= 2
    assert {row["k"] for row in rows.values()} <= {0, 1}
    assert events == [("started", parent)]


def test_work_is_dealt_one_at_a_time_so_a_slow_task_does_not_hold_up_the_rest():
    import time

    def task(k, index):
        if index == 0:
            time.sleep(1.0)
        return {"pid": os.getpid()}

    rows, _ = run(20, 2, task)
    slow = rows[0]["pid"]
    assert sum(row["pid"] != slow for row in rows.values()) >= 15


def test_a_grading_process_that_dies_loses_only_what_it_held_which_is_graded_here():
    def task(k, index):
        if index == 3:
            os._exit(9)  # a crash of the grading process itself (OOM kill, a bug in C code)
        return {"by": "child", "index": index}

    rows, _ = run(12, 2, task)
    assert sorted(rows) == list(range(12))
    assert rows[3] == {"by": "fallback", "index": 3}
    regraded = [i for i in range(12) if rows[i]["by"] == "fallback"]
    assert 3 in regraded and len(regraded) <= HELD  # the one it graded, the one it held next


def test_rows_finished_in_the_background_come_back_in_full():
    import time

    def task(k, index):
        started = os.getpid()

        def finish():  # runs on the grading process's background thread
            time.sleep(0.01)
            return {"index": index, "pid": os.getpid(), "started": started}
        return finish if index % 2 else {"index": index, "pid": os.getpid(), "started": started}

    rows, _ = run(30, 2, task)
    assert sorted(rows) == list(range(30))
    assert all(row["index"] == index and row["pid"] == row["started"]
               for index, row in rows.items())


def test_a_background_failure_of_the_grader_stops_the_batch_with_its_reason():
    def task(k, index):
        def finish():
            raise OSError(28, "No space left on device")
        return finish if index == 4 else {}

    with pytest.raises(GradingProcessError, match="No space left on device"):
        run(10, 2, task)


def test_a_failure_of_the_grader_itself_stops_the_batch_with_its_reason():
    def task(k, index):
        if index == 5:
            raise OSError(28, "No space left on device")
        return {}

    with pytest.raises(GradingProcessError, match="No space left on device"):
        run(10, 2, task)


def test_fewer_tasks_than_processes_and_no_tasks_at_all():
    assert sorted(run(1, 2, lambda k, index: {})[0]) == [0]
    assert run(0, 2, lambda k, index: {})[0] == {}


def test_with_on_error_a_failing_task_is_reported_and_the_rest_go_on():
    errors = {}

    def task(k, index):
        if index in (2, 7):
            raise ValueError(f"broken {index}")
        if index == 5:
            def finish():
                raise OSError(28, "No space left on device")
            return finish
        return {"index": index}

    rows = {}
    grade_in_processes(10, 2, lambda k: lambda index: task(k, index),
                       on_row=lambda index, row: rows.setdefault(index, row),
                       fallback=lambda index: {"by": "fallback"},
                       on_error=lambda index, error: errors.setdefault(index, error))
    assert sorted(errors) == [2, 5, 7] and sorted(rows) == [0, 1, 3, 4, 6, 8, 9]
    assert "ValueError: broken 2" in errors[2] and "No space left" in errors[5]
