"""``grade diff OLD NEW``: what a regrade changed, student by student.

Both folders are read back from their grader.json files (one at a time). For each student:
the score before and after, and every check whose outcome (passed, failed, error) or points
changed; students only in one run are listed too. The runs' hidden-test hashes and grader
versions are compared, so a changed score can be told apart from changed tests.
"""

from __future__ import annotations

from pathlib import Path

from grader.grading.results import safe_text
from grader.reports.classwide import graded_students, read_back


def outcomes(result) -> dict:
    return {check.name: (check.status, check.points) for check in result.checks}


def compare(old: str | Path, new: str | Path) -> dict:
    """Plain data: ``{"old", "new", "changed": [...], "only_old", "only_new", ...}``."""
    old, new = Path(old), Path(new)
    before = {r.student: (r.score, r.status, outcomes(r), r.provenance)
              for r in read_back(old, graded_students(old))}
    changed, provenances = [], {"old": set(), "new": set()}
    for value in before.values():
        provenances["old"].add(value[3].get("tests_hash", "unrecorded"))
    after_students = set()
    for result in read_back(new, graded_students(new)):
        after_students.add(result.student)
        provenances["new"].add(result.provenance.get("tests_hash", "unrecorded"))
        if result.student not in before:
            continue
        score, status, checks, _ = before[result.student]
        now = outcomes(result)
        moved = [{"check": name, "old": list(checks.get(name, ("absent", 0))),
                  "new": list(now.get(name, ("absent", 0)))}
                 for name in dict.fromkeys([*checks, *now])
                 if checks.get(name) != now.get(name)]
        if moved or score != result.score or status != result.status:
            changed.append({"student": result.student, "old_score": score,
                            "new_score": result.score, "old_status": status,
                            "new_status": result.status, "checks": moved})
    return {"old": str(old), "new": str(new), "changed": changed,
            "only_old": sorted(set(before) - after_students),
            "only_new": sorted(after_students - set(before)),
            "old_tests": sorted(provenances["old"]), "new_tests": sorted(provenances["new"]),
            "same_tests": provenances["old"] == provenances["new"]}


def render_text(changes: dict) -> str:
    lines = []
    if not changes["same_tests"]:
        lines.append(f"hidden tests differ: {', '.join(changes['old_tests'])} -> "
                     f"{', '.join(changes['new_tests'])}")
    for change in changes["changed"]:
        lines.append(f"{safe_text(change['student'])}: {change['old_score']:g} -> "
                     f"{change['new_score']:g}" + (
                         f" ({change['old_status']} -> {change['new_status']})"
                         if change["old_status"] != change["new_status"] else ""))
        for check in change["checks"]:
            lines.append(f"  {safe_text(check['check'])}: {check['old'][0]} -> "
                         f"{check['new'][0]} ({check['old'][1]:g} -> {check['new'][1]:g})")
    for key, label in (("only_old", "only in the old run"), ("only_new", "only in the new run")):
        if changes[key]:
            lines.append(f"{label}: " + ", ".join(map(safe_text, changes[key])))
    lines.append(f"{len(changes['changed'])} student(s) changed")
    return "\n".join(lines)
