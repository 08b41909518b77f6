"""junit.xml: one <testsuite> per student, one <testcase> per check, scores as properties.

CI systems (GitLab merge requests, Jenkins, GitHub test reporters) read this format. A failed
check is a <failure> carrying its message; a check the grader could not evaluate is an
<error>, and a submission that could not be graded at all is one <error> testcase named
"grading", with the reason: never a quiet zero. Text from student code is stripped of
characters XML cannot hold.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

from grader.grading.results import ERROR, FAILED, NOT_GRADABLE, SubmissionResult, safe_text
from grader.reports.cells import number_cell
from grader.reports.streamed import StreamedFile

FILENAME = "junit.xml"
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value, limit: int = 20000) -> str:
    return NOT_XML.sub("\ufffd", safe_text(str(value)))[:limit]


def first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:limit]


def failure_text(check) -> str:
    text = check.message
    if check.mistake:
        text += (f"\n\nLikely mistake: {check.mistake.get('name', '')}. "
                 f"{check.mistake.get('explanation', '')}\nFix: {check.mistake.get('fix', '')}")
    return text


def suite(result: SubmissionResult, assignment: str) -> ET.Element:
    errors = sum(check.status == ERROR for check in result.checks)
    failures = sum(check.status == FAILED for check in result.checks)
    cases = len(result.checks)
    if result.status == NOT_GRADABLE and not result.checks:
        errors, cases = 1, 1
    element = ET.Element("testsuite", {
        "name": xml_text(result.student), "tests": str(cases), "failures": str(failures),
        "errors": str(errors), "skipped": "0", "time": f"{result.execution_time:.3f}"})
    properties = ET.SubElement(element, "properties")
    gradable = result.status != NOT_GRADABLE
    for name, value in (("score", number_cell(result.score) if gradable else "not gradable"),
                        ("max_score", number_cell(result.max_score)),
                        ("status", result.status), ("reason", result.reason)):
        if value:
            ET.SubElement(properties, "property", {"name": name, "value": xml_text(value)})
    for check in result.checks:
        case = ET.SubElement(element, "testcase", {
            "classname": xml_text(f"{assignment or result.assignment}.{check.function}"),
            "name": xml_text(check.name), "time": "0"})
        if check.status in (FAILED, ERROR):
            tag = "failure" if check.status == FAILED else "error"
            message = check.message if check.status == FAILED else f"not gradable: {check.message}"
            detail = ET.SubElement(case, tag, {
                "message": xml_text(first_line(message)),
                "type": "failed" if tag == "failure" else "not_gradable"})
            detail.text = xml_text(failure_text(check) + f"\n({number_cell(check.points)} / "
                                   f"{number_cell(check.max_points)} points)")
    if result.status == NOT_GRADABLE and not result.checks:
        case = ET.SubElement(element, "testcase", {
            "classname": xml_text(assignment or result.assignment), "name": "grading",
            "time": f"{result.execution_time:.3f}"})
        detail = ET.SubElement(case, "error", {
            "message": xml_text(first_line(f"not gradable: {result.reason}")),
            "type": "not_gradable"})
        detail.text = xml_text(f"Not gradable (this is not a score of 0): {result.reason}")
    if result.output.strip():
        ET.SubElement(element, "system-out").text = xml_text(result.output, 8192)
    return element


class Writer(StreamedFile):
    FILENAME = FILENAME

    def __init__(self, out: Path, *, assignment: str):
        super().__init__(out)
        self.assignment = assignment

    def begin(self) -> None:
        self.file.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.file.write(f"<testsuites name={quoteattr(xml_text(self.assignment))}>\n")

    def add(self, result: SubmissionResult) -> None:
        ET.indent(element := suite(result, self.assignment), level=1)
        self.file.write("  " + ET.tostring(element, encoding="unicode") + "\n")

    def end(self) -> None:
        self.file.write("</testsuites>\n")
