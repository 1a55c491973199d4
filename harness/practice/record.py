"""Where the candidate stands on a kata, from the practice history.

Kept apart from the grading report (`grading.results.CheckReport`), which says only
what the suite found in this file: the two meet only in the output formats
(`report.check_document`, `report.terminal`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PracticeRecord:
    previously_reached: int = 0  # the best stage reached before this check
    since_start_s: float | None = None  # since the first change to the stub
    # When each stage was first passed, in seconds since start: {stage number: seconds}.
    splits: dict[int, float] = field(default_factory=dict)
    best_s: float | None = None  # personal best time to pass this kata
