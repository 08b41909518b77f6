"""The results data model: every report format is rendered from these two classes.

A check that could not be evaluated because the grader itself failed is ``error``, and a
submission with such a check (or one the grader could not run at all) is ``not_gradable``:
that is not a score of zero, and reports say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

PASSED, FAILED, ERROR = "passed", "failed", "error"
GRADED, NOT_GRADABLE = "graded", "not_gradable"


@dataclass
class CheckResult:
    name: str
    function: str
    points: float
    max_points: float
    status: str  # PASSED | FAILED | ERROR
    message: str = ""
    data: dict = field(default_factory=dict)
    # a named mistake that fits the evidence: {"id", "name", "explanation", "fix"} (issue 7)
    mistake: dict | None = None


@dataclass
class SubmissionResult:
    student: str
    assignment: str
    source_file: str
    status: str = GRADED  # GRADED | NOT_GRADABLE
    reason: str = ""
    checks: list[CheckResult] = field(default_factory=list)
    execution_time: float = 0.0
    output: str = ""  # tail of what the student's code printed
    protections: dict = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(check.points for check in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(check.max_points for check in self.checks), 6)

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if check.status != PASSED]

    def to_dict(self) -> dict:
        """Plain data for JSON; shares the checks' data (asdict's deep copy costs ~1 ms)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["checks"] = [dict(vars(check)) for check in self.checks]
        return dict(data, score=self.score, max_score=self.max_score)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        fields = {k: v for k, v in data.items() if k not in ("score", "max_score", "checks")}
        return cls(**fields, checks=[CheckResult(**c) for c in data.get("checks", [])])
