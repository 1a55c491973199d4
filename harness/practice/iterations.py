"""The iterations of a practice session: `kata history`.

A session is one start of a kata (`kata start` or `kata reset`). Each practice check is
one point of its timeline; an iteration is a check of content the previous check did not
have (checking the same file twice is one iteration, checked twice). The first iteration
is compared with the stub the session started from.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from harness.catalog import Kata
from harness.errors import UsageError
from harness.practice.history import Start, Store


@dataclass(frozen=True)
class CheckPoint:
    """One practice check on the session's timeline."""

    iteration: int
    checked_at: float
    since_start_s: float | None
    reached: int  # stages passed in order
    passed: bool
    passed_tests: int
    total: int


@dataclass(frozen=True)
class Iteration:
    number: int  # 1-based
    sha256: str
    source: str | None  # None: checked before sources were kept, or forgotten
    checked_at: float
    since_start_s: float | None
    reached: int
    passed: bool
    passed_tests: int
    total: int
    stages: tuple[dict, ...]  # {"number", "passed", "tests", "passed_tests"}
    checks: int  # how many checks graded this very content in a row
    added: int | None  # lines added and removed since the previous iteration (None: unknown)
    removed: int | None

    def to_dict(self, with_source: bool = False) -> dict:
        document = {
            "number": self.number, "sha256": self.sha256,
            "since_start_s": _round(self.since_start_s), "checked_at": self.checked_at,
            "stages_passed": self.reached, "passed": self.passed,
            "tests": {"passed": self.passed_tests, "total": self.total},
            "stages": list(self.stages), "checks": self.checks,
            "lines": {"added": self.added, "removed": self.removed},
            "source_kept": self.source is not None,
        }
        if with_source:
            document["source"] = self.source
        return document


@dataclass(frozen=True)
class Session:
    kata: Kata
    start: Start
    stub: str
    iterations: tuple[Iteration, ...]
    timeline: tuple[CheckPoint, ...]
    splits: dict[int, float]  # stage -> first passed, seconds since start

    def iteration(self, number: int) -> Iteration:
        if not 1 <= number <= len(self.iterations):
            have = (f"1 to {len(self.iterations)}" if self.iterations else "none yet")
            raise UsageError(f"no iteration {number} of {self.kata.slug} (iterations: {have})")
        return self.iterations[number - 1]

    def source_of(self, number: int) -> str:
        """The source of iteration `number`; 0 is the stub."""
        if number == 0:
            return self.stub
        source = self.iteration(number).source
        if source is None:
            raise UsageError(f"the source of iteration {number} is not kept (checked before "
                             "kata kept sources, or forgotten with --forget)")
        return source

    def diff(self, old: int, new: int) -> str:
        """A unified diff from iteration `old` to `new` (0: the stub)."""
        a, b = self.source_of(old), self.source_of(new)
        name = Path(self.start.file).name
        return "".join(difflib.unified_diff(
            a.splitlines(keepends=True), b.splitlines(keepends=True),
            f"{name} ({_label(old)})", f"{name} ({_label(new)})"))

    def to_dict(self) -> dict:
        return {
            "kata": self.kata.slug,
            "file": self.start.file,
            "started_at": self.start.started_at,
            "clock_from": self.start.clock_from,
            "iterations": [it.to_dict() for it in self.iterations],
            "timeline": [
                {"iteration": c.iteration, "checked_at": c.checked_at,
                 "since_start_s": _round(c.since_start_s), "stages_passed": c.reached,
                 "passed": c.passed, "tests": {"passed": c.passed_tests, "total": c.total}}
                for c in self.timeline
            ],
            "splits": [{"stage": n, "since_start_s": _round(s)}
                       for n, s in sorted(self.splits.items())],
        }


def load_session(store: Store, kata: Kata, start: Start) -> Session:
    stub = kata.stub_path.read_text(encoding="utf-8")
    iterations: list[Iteration] = []
    timeline: list[CheckPoint] = []
    previous_text: str | None = stub
    for row in store.checks_of(start):
        if iterations and iterations[-1].sha256 == row["file_sha256"]:
            last = iterations[-1]
            iterations[-1] = replace(last, checks=last.checks + 1)
        else:
            source = row["source"]
            added = removed = None
            if source is not None and previous_text is not None:
                added, removed = _changed_lines(previous_text, source)
            iterations.append(Iteration(
                number=len(iterations) + 1, sha256=row["file_sha256"], source=source,
                checked_at=row["checked_at"], since_start_s=row["since_start_s"],
                reached=row["reached"], passed=bool(row["passed"]),
                passed_tests=row["passed_tests"], total=row["total"],
                stages=tuple(json.loads(row["stages"])), checks=1,
                added=added, removed=removed))
            previous_text = source
        timeline.append(CheckPoint(
            iteration=len(iterations), checked_at=row["checked_at"],
            since_start_s=row["since_start_s"], reached=row["reached"],
            passed=bool(row["passed"]), passed_tests=row["passed_tests"], total=row["total"]))
    return Session(kata, start, stub, tuple(iterations), tuple(timeline), store.splits(start))


def _label(number: int) -> str:
    return "stub" if number == 0 else f"iteration {number}"


def _changed_lines(old: str, new: str) -> tuple[int, int]:
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return added, removed


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
