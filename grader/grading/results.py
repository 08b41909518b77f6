"""The results data model: every report format is rendered from these two classes.

A check that could not be evaluated because the grader itself failed is ``error``, and a
submission with such a check (or one the grader could not run at all) is ``not_gradable``:
that is not a score of zero, and reports say so.

Text that came from student code (exception messages, printed output, names of their
functions and classes, file names) is made safe as it enters the model: every string
assigned to a field that can hold it, also inside check ``data``, passes through
:func:`safe_text`, so no report format and no terminal ever receives a control character
from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

PASSED, FAILED, ERROR = "passed", "failed", "error"
GRADED, NOT_GRADABLE = "graded", "not_gradable"

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a CSI on its own), lone
# surrogates (a UTF-8 report cannot hold them), and Unicode's format characters and line or
# paragraph separators (category Cf, Zl, Zp: bidirectional overrides and isolates that make
# text render in another order, zero-width spaces and joiners that make two names look alike,
# tag characters that carry invisible text)
FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
          "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd"
          "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
          "\U000e0001\U000e0020-\U000e007f")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + FORMAT + "]")
COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # SGR: honest programs' coloured output


def safe_text(text: str) -> str:
    """``text`` without control characters: a line end stays a line end, a colour code goes,
    any other control character (ESC, BEL, NUL, DEL, U+009B...) becomes a visible ``\\x1b``,
    and a format character (a right-to-left override, a zero-width space) a visible
    ``\\u202e``, so an escape sequence can neither act on a terminal nor hide in a file, and
    text renders in the order and with the characters it holds."""
    if UNSAFE.search(text) is None:
        return text
    text = COLOURS.sub("", text.replace("\r\n", "\n")).replace("\r", "\n")
    return UNSAFE.sub(visible, text)


def visible(match: re.Match) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xff else f"\\u{code:04x}" if code <= 0xffff \
        else f"\\U{code:08x}"


PLAIN = (float, int, bool, type(None))


def safe_value(value):
    """``value`` with :func:`safe_text` applied to every string in it, dict keys included
    (containers are copied; a list of numbers, as most check data is, is kept as it is)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_value(key): safe_value(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        if all(type(item) in PLAIN for item in value):
            return value
        return type(value)(safe_value(item) for item in value)
    return value


class SafeFields:
    """A value assigned to one of the ``UNTRUSTED`` fields goes through :func:`safe_value`
    first, in the constructor (``from_dict`` too) as afterwards."""

    UNTRUSTED: frozenset = frozenset()

    def __setattr__(self, name: str, value) -> None:
        if name in self.UNTRUSTED:
            value = safe_value(value)
        super().__setattr__(name, value)


@dataclass
class CheckResult(SafeFields):
    name: str
    function: str
    points: float
    max_points: float
    status: str  # PASSED | FAILED | ERROR
    message: str = ""
    data: dict = field(default_factory=dict)
    # a named mistake that fits the evidence: {"id", "name", "explanation", "fix"}
    mistake: dict | None = None
    # Gradescope's vocabulary: visible | hidden | after_due_date | after_published
    visibility: str = "visible"

    UNTRUSTED = frozenset({"message", "data"})  # what student code's values and errors say


@dataclass
class SubmissionResult(SafeFields):
    student: str
    assignment: str
    source_file: str
    status: str = GRADED  # GRADED | NOT_GRADABLE
    reason: str = ""
    checks: list[CheckResult] = field(default_factory=list)
    execution_time: float = 0.0
    output: str = ""  # tail of what the student's code printed
    protections: dict = field(default_factory=dict)
    # who submitted it, where the platform says (Gradescope's submission_metadata.json)
    submitter: str = ""
    # what the grader left out or accepted, in the student's terms ("`import sklearn`
    # (alice.py, line 3) skipped: not available to the grader")
    notes: list[str] = field(default_factory=list)
    # from a platform's export (grader.loading.layouts): platform, id, name, email, sid, late,
    # submitted_at, files, chosen (which file was graded and why); late work: raw_score...
    origin: dict = field(default_factory=dict)
    # what produced this grade (grader.grading.provenance): grader version, tests hash, machine
    provenance: dict = field(default_factory=dict)
    feedback: str = "full"  # what students are shown: full | summary | score
    penalty: dict = field(default_factory=dict)  # late work: days late, percent, raw score

    UNTRUSTED = frozenset({"student", "source_file", "reason", "output", "notes", "submitter",
                           "origin"})

    @property
    def raw_score(self) -> float:
        return round(sum(check.points for check in self.checks), 6)

    @property
    def score(self) -> float:
        """The raw score, less a late penalty (a percentage of it) when one applies."""
        percent = float(self.penalty.get("percent", 0) or 0)
        return round(self.raw_score * (1 - min(max(percent, 0.0), 100.0) / 100), 6)

    @property
    def max_score(self) -> float:
        return round(sum(check.max_points for check in self.checks), 6)

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if check.status != PASSED]

    def to_dict(self) -> dict:
        """Plain data for JSON; shares the checks' data (asdict's deep copy is dear)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["checks"] = [dict(vars(check)) for check in self.checks]
        return dict(data, score=self.score, max_score=self.max_score, raw_score=self.raw_score)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        fields = {k: v for k, v in data.items()
                  if k not in ("score", "max_score", "checks", "raw_score")}
        return cls(**fields, checks=[CheckResult(**c) for c in data.get("checks", [])])
