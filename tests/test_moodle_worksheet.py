"""Moodle's grading worksheet comes back filled: each participant's score in its Grade column,
matched by the Identifier Moodle wrote, every other cell as it was."""

from __future__ import annotations

import csv
import io
import json

import exports
from conftest import SOLUTIONS

HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
          "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
          "Feedback comments"]


def worksheet(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for participant, name in rows:
        writer.writerow([f"Participant {participant}", name, f"{participant}@example.edu",
                         "Submitted for grading", "", "100.00", "Yes",
                         "Monday, 3 March 2025, 10:00 AM", "-", ""])
    return "\ufeff" + out.getvalue()  # Moodle writes a byte-order mark


def test_the_worksheet_is_filled_from_the_reports(cli, tmp_path):
    export = exports.moodle_export(tmp_path / "build")
    ran = cli("-a", "one_hidden_layer", "-o", tmp_path / "reports", "--solutions", SOLUTIONS,
              "--no-plots", export)
    assert ran.exit_code == 0, ran.output
    scores = {}
    for participant in exports.MOODLE_IDS.values():
        report = next(json.loads(p.read_text()) for p in (tmp_path / "reports").glob(
            "*/grader.json") if json.loads(p.read_text())["origin"].get("id") == participant)
        scores[participant] = report["score"]
    sheet = tmp_path / "grades.csv"
    sheet.write_text(worksheet([("101", "Ada Lovelace"), ("103", "Alan Turing"),
                                ("104", "Nobody Submitted")]), encoding="utf-8")
    filled = cli("moodle-worksheet", sheet, tmp_path / "reports", "--format", "json")
    assert filled.exit_code == 0, filled.output
    summary = json.loads(filled.output)
    assert summary["graded"] == ["101", "103"] and summary["not_in_worksheet"] == ["102"]
    rows = list(csv.reader(io.StringIO((tmp_path / "reports" / "moodle-worksheet.csv")
                                       .read_text())))
    assert rows[0] == HEADER
    grade = {row[0]: row[4] for row in rows[1:]}
    assert grade == {"Participant 101": f"{scores['101']:g}",
                     "Participant 103": f"{scores['103']:g}", "Participant 104": ""}
    assert scores["101"] == 100 and scores["103"] < 100  # the correct and the 1/m mistake
    original = list(csv.reader(io.StringIO(sheet.read_text().lstrip("\ufeff"))))
    assert [row[:4] + row[5:] for row in rows] == [row[:4] + row[5:] for row in original]


def test_a_file_that_is_not_a_worksheet_is_a_usage_error(cli, tmp_path):
    (tmp_path / "reports").mkdir()
    sheet = tmp_path / "roster.csv"
    sheet.write_text("id,name\n1,Ada\n")
    refused = cli("moodle-worksheet", sheet, tmp_path / "reports")
    assert refused.exit_code == 2 and "not a Moodle grading worksheet" in refused.output
