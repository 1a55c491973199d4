"""The results contract of a check: what `kata check --json` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

OUTCOMES = ("passed", "failed", "error", "skipped", "timeout")
# How the message of a test that never reported begins.
NOT_RUN = "not run: "  # the run stopped early on purpose
NO_RESULT = "no result: "  # the run ended abnormally


@dataclass
class TestResult:
    name: str
    outcome: str
    duration_s: float
    message: str | None = None
    example: str | None = None  # Hypothesis' falsifying example, when there is one
    output: str | None = None  # a capped excerpt of what the attempt printed
    doc: str | None = None


@dataclass
class StageResult:
    number: int
    title: str
    tests: list[TestResult]
    # Practice checks stop after the first stage that fails: the later ones are locked,
    # not run, and carry no tests (so no counts either).
    locked: bool = False

    @property
    def passed(self) -> bool:
        return bool(self.tests) and all(t.outcome == "passed" for t in self.tests)

    @property
    def passed_count(self) -> int:
        return sum(t.outcome == "passed" for t in self.tests)


@dataclass
class Timing:
    tests_s: float  # time inside the tests, as pytest measured it
    tests_cpu_s: float | None = None  # CPU time of the grading process from collection on
    wall_s: float = 0.0  # the whole check, child start-up included
    benchmark: dict | None = None  # {"ratio", "growth", "reference_growth", "workload"}


@dataclass
class CheckReport:
    kata: str
    file: str
    error: str | None
    stages: list[StageResult]
    timing: Timing
    # Reaches into the grader seen by the tripwire or the static scan: never a pass.
    tampering: list[str] = field(default_factory=list)
    sandboxed: bool = False  # graded inside the operating-system sandbox

    @property
    def total(self) -> int:
        return sum(len(s.tests) for s in self.stages)

    @property
    def passed_count(self) -> int:
        return sum(s.passed_count for s in self.stages)

    @property
    def passed(self) -> bool:
        return (self.error is None and not self.tampering and self.total > 0
                and all(s.passed for s in self.stages))

    @property
    def verdict(self) -> str:
        """passed, not passed, tampering, or not graded (nothing could be run)."""
        if self.tampering:
            return "tampering"
        if self.passed:
            return "passed"
        if self.error is not None and self.total == 0:
            return "not graded"
        return "not passed"

    @property
    def stages_passed_in_order(self) -> int:
        """How many stages, from the first, have passed: the candidate's progress."""
        count = 0
        for stage in self.stages:
            if not stage.passed:
                break
            count += 1
        return count

    def to_dict(self) -> dict:
        return {
            "kata": self.kata,
            "file": self.file,
            "passed": self.passed,
            "verdict": self.verdict,
            "error": self.error,
            "tampering": list(self.tampering),
            "sandboxed": self.sandboxed,
            "summary": {
                "total": self.total,
                "passed": self.passed_count,
                "failed": self.total - self.passed_count,
            },
            "stages": [
                {
                    "number": s.number,
                    "title": s.title,
                    "passed": s.passed,
                    "locked": s.locked,
                    "tests": [asdict(t) for t in s.tests],
                }
                for s in self.stages
            ],
            "timing": {
                "tests_s": round(self.timing.tests_s, 4),
                "wall_s": round(self.timing.wall_s, 4),
                "tests_cpu_s": (None if self.timing.tests_cpu_s is None
                                else round(self.timing.tests_cpu_s, 4)),
                "benchmark": self.timing.benchmark,
            },
        }
