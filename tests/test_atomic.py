"""grader.atomic: a reader sees a whole file or none of it, also when the write is deferred."""

from __future__ import annotations

import os

import pytest

from grader.atomic import PendingFiles, write_atomic


def test_a_file_replaced_atomically_never_shows_a_partial_state(tmp_path):
    path = tmp_path / "deep" / "results.json"
    write_atomic(path, "old\n")
    write_atomic(path, b"new\n")
    assert path.read_text() == "new\n"
    assert sorted(os.listdir(path.parent)) == ["results.json"]


def test_pending_files_appear_only_when_committed_and_in_order(tmp_path, monkeypatch):
    pending = PendingFiles()
    write_atomic(tmp_path / "s" / "report.html", "<p>report</p>", pending=pending)
    write_atomic(tmp_path / "s" / "grader.json", b"{}\n", pending=pending)
    assert not (tmp_path / "s" / "report.html").exists()  # written, not yet visible
    assert len(list((tmp_path / "s").glob(".*.tmp"))) == 2
    seen = []
    real_replace = os.replace

    def watched(source, target):
        seen.append(os.path.basename(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watched)
    pending.commit()
    assert seen == ["report.html", "grader.json"]  # the completion marker last
    assert (tmp_path / "s" / "report.html").read_text() == "<p>report</p>"
    assert (tmp_path / "s" / "grader.json").read_bytes() == b"{}\n"
    assert not list((tmp_path / "s").glob(".*.tmp"))


def test_discarded_or_failed_pending_files_leave_nothing(tmp_path, monkeypatch):
    pending = PendingFiles()
    write_atomic(tmp_path / "a.txt", "a", pending=pending)
    pending.discard()
    assert os.listdir(tmp_path) == []

    pending = PendingFiles()
    for name in ("b.txt", "c.txt", "d.txt"):
        write_atomic(tmp_path / name, name, pending=pending)
    real_replace = os.replace

    def failing(source, target):
        if str(target).endswith("c.txt"):
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="No space left"):
        pending.commit()
    assert sorted(os.listdir(tmp_path)) == ["b.txt"]  # committed before the failure; no .tmp
