"""`kata check --json`: the grading report, with the practice record merged in for output.

`check_document` is the full document; `blind_document` is the candidate-facing one of
`kata check --blind --json`: each stage carries counts only (no test names, messages,
falsifying examples or output from the hidden suite), and the titles of stages not
reached yet stay hidden.
"""

from __future__ import annotations

from harness.grading.results import CheckReport
from harness.practice.record import PracticeRecord


def check_document(report: CheckReport, record: PracticeRecord | None) -> dict:
    document = report.to_dict()
    record = record or PracticeRecord()
    timing = document["timing"]
    benchmark = timing.pop("benchmark")
    timing.update({
        "since_start_s": _round(record.since_start_s),
        "splits": [{"stage": n, "since_start_s": _round(s)}
                   for n, s in sorted(record.splits.items())],
        "best_s": _round(record.best_s),
        "benchmark": benchmark,
    })
    return document


def blind_document(report: CheckReport, record: PracticeRecord | None) -> dict:
    document = check_document(report, record)
    reached = stage_reached(report, record)
    document["blind"] = True
    document["stages"] = [
        {
            "number": stage.number,
            "title": stage.title if stage.number <= reached else None,
            "passed": stage.passed,
            "locked": stage.locked,
            "summary": {"total": len(stage.tests), "passed": stage.passed_count,
                        "failed": len(stage.tests) - stage.passed_count},
        }
        for stage in report.stages
    ]
    return document


def stage_reached(report: CheckReport, record: PracticeRecord | None) -> int:
    """The furthest stage whose prompt the candidate has seen: one past the best of
    this check and the practice record."""
    previously = record.previously_reached if record else 0
    return max(report.stages_passed_in_order, previously) + 1


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)
