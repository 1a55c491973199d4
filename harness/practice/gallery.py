"""After the pass: the other ways to solve a kata (`kata solutions`), each timed against the
reference in one run next to the candidate's own passing iterations."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from harness.catalog import Kata, SolutionNote
from harness.practice import session as practice

YOUR_ITERATIONS_TIMED = 3  # the latest distinct passing sources of the candidate


@dataclass(frozen=True)
class Solution:
    name: str  # "reference", a known_good stem, or "yours"
    note: SolutionNote | None
    path: Path | None
    source: str
    benchmark: dict | None  # {"ratio", "growth", "reference_growth", "workload"}

    def to_dict(self, with_source: bool = True) -> dict:
        document = {
            "name": self.name,
            "title": self.note.title if self.note else None,
            "approach": self.note.approach if self.note else None,
            "tradeoffs": self.note.tradeoffs if self.note else None,
            "growth": self.note.growth if self.note else None,
            "measured": self.benchmark,
        }
        if with_source:
            document["source"] = self.source
        return document


@dataclass(frozen=True)
class Gallery:
    kata: Kata
    solutions: tuple[Solution, ...]
    yours: Solution | None  # the fastest of your latest passing iterations, if any
    workload: str | None


def gallery(kata: Kata, time_them: Callable[[Kata, Path], dict | None] | None) -> Gallery:
    """Every correct solution with its note, and, when `time_them` is given, each one's
    benchmark against the reference (and your fastest recent passing iteration's)."""
    solutions = []
    for name, note, path in kata.solutions():
        if not path.is_file():
            continue
        bench = time_them(kata, path) if time_them else None
        solutions.append(Solution(name, note, path,
                                  path.read_text(encoding="utf-8"), bench))
    yours = None
    store = practice.open_store()
    try:
        mine = store.passing_sources(kata.slug, YOUR_ITERATIONS_TIMED)
    finally:
        store.close()
    timed = []
    for row in mine:
        bench = None
        if time_them:
            with tempfile.TemporaryDirectory(prefix="kata-yours-") as tmp:
                path = Path(tmp) / kata.file
                path.write_text(row["text"], encoding="utf-8")
                bench = time_them(kata, path)
        timed.append(Solution("yours", None, None, row["text"], bench))
    if timed:
        yours = min(timed, key=lambda s: s.benchmark["ratio"] if s.benchmark else float("inf"))
    workload = next((s.benchmark["workload"] for s in solutions if s.benchmark), None)
    return Gallery(kata, tuple(solutions), yours, workload)


def benchmark_with_defaults(kata: Kata, path: Path) -> dict | None:
    from harness.grading import runner

    return runner.benchmark_file(kata, path, runner.Limits())
