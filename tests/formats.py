"""Validators for the report formats, used by the report tests: each checks a file against the
rules of its format, not against this project's own code."""

from __future__ import annotations

import base64
import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

# Gradescope's results.json, as its autograder specification describes it.
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
OUTPUT_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
GRADESCOPE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "output_format": OUTPUT_FORMAT,
        "test_output_format": OUTPUT_FORMAT,
        "test_name_format": OUTPUT_FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "leaderboard": {"type": "array"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "status"],
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
                "name_format": OUTPUT_FORMAT, "number": {"type": "string"},
                "output": {"type": "string"}, "output_format": OUTPUT_FORMAT,
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY, "extra_data": {"type": "object"},
            },
        }},
    },
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
}


def validate_gradescope(data: dict) -> None:
    import jsonschema  # slow to import: only where a results.json is checked

    jsonschema.validate(data, GRADESCOPE_SCHEMA)


class Page(HTMLParser):
    """Everything a self-containment check needs from an HTML page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^)'\"]*)")
URL_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "action", "background")


def external_resources(page: Page) -> list[str]:
    """What a browser would fetch from outside the file (links to other pages excluded)."""
    found = []
    for tag, attrs in page.tags:
        for name in URL_ATTRIBUTES:
            value = attrs.get(name) or ""
            if tag == "a" and name == "href":
                continue  # navigation, not a resource
            if value and not value.startswith("data:"):
                found.append(f"<{tag} {name}={value}>")
        if tag == "link":
            found.append(f"<link {attrs}>")
        if tag == "script" and "src" in attrs:
            found.append(f"<script src={attrs['src']}>")
        found += [f"<{tag} style url({url})>" for url in CSS_URL.findall(attrs.get("style", ""))
                  if not url.startswith("data:")]
    for css in page.styles:
        found += [f"css url({url})" for url in CSS_URL.findall(css) if not url.startswith("data:")]
        found += [f"css {rule}" for rule in re.findall(r"@import[^;]*", css)]
    return found


def assert_self_contained(path: Path) -> Page:
    page = Page(path.read_text(encoding="utf-8"))
    assert external_resources(page) == []
    for attrs in page.all("a"):
        assert not EXTERNAL.match(attrs.get("href", "")), attrs
    assert not page.all("script")
    return page


def png_images(page: Page) -> list[bytes]:
    images = []
    for attrs in page.all("img"):
        prefix = "data:image/png;base64,"
        assert attrs["src"].startswith(prefix), attrs["src"][:40]
        data = base64.b64decode(attrs["src"][len(prefix):], validate=True)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        images.append(data)
    return images


SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_BLOCK = re.compile(r"<svg\b.*?</svg>", re.S)


def svg_charts(text: str) -> dict[str, ET.Element]:
    """The inline SVG charts of an HTML page, by id, each parsed as the XML it must be, with
    the accessible name a screen reader announces (a title it is labelled by, or a label)."""
    charts = {}
    for number, block in enumerate(SVG_BLOCK.findall(text)):
        root = ET.fromstring(block)
        assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img", block[:80]
        labelled_by = (root.get("aria-labelledby") or "").split()
        titles = {node.get("id"): node.text for node in root.iter(f"{SVG_NS}title")}
        assert root.get("aria-label") or (labelled_by and all(titles.get(i) for i in labelled_by
                                                            if not i.endswith("-desc"))), block[:80]
        for image in root.iter(f"{SVG_NS}image"):
            assert image.get("href", "").startswith("data:image/png;base64,")
        charts[root.get("id") or f"chart{number}"] = root
    return charts


def svg_png(image: ET.Element) -> bytes:
    """The PNG an SVG <image> embeds."""
    data = base64.b64decode(image.get("href").split(",", 1)[1], validate=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return data


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"\n")  # RFC 4180 line ends
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert len({len(row) for row in rows}) == 1, "every row has as many fields as the header"
    return rows


def parse_junit(path: Path) -> ET.Element:
    """Parse junit.xml and check the structure JUnit consumers (GitLab, Jenkins) rely on."""
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    for suite in root:
        assert suite.tag == "testsuite" and suite.get("name")
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(len(c.findall("failure")) for c in cases)
        assert int(suite.get("errors")) == sum(len(c.findall("error")) for c in cases)
        float(suite.get("time"))
        for case in cases:
            assert case.get("name") and case.get("classname")
            float(case.get("time"))
            for child in case:
                assert child.tag in ("failure", "error", "skipped", "system-out")
        assert {child.tag for child in suite} <= {"properties", "testcase", "system-out",
                                                   "system-err"}
    return root


def markdown_table(text: str, header: str) -> list[list[str]]:
    """The rows of the GitHub-flavoured Markdown table that starts with ``header``."""
    lines = text.splitlines()
    start = lines.index(header)
    assert re.fullmatch(r"\|(\s*-+:?\s*\|)+|\|(\s*:?-+:?\s*\|)+", lines[start + 1])
    width = len(cells(lines[start]))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        row = cells(line)
        assert len(row) == width, f"a cell broke the table: {line}"
        rows.append(row)
    return rows


def cells(line: str) -> list[str]:
    """Split a table row on the pipes that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
