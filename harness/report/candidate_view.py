"""The candidate-facing verdict of a check: `kata check --blind --json`.

The same document as `kata check --json`, but each stage carries counts only:
no test names, messages, falsifying examples or output from the hidden suite,
and the titles of stages not reached yet stay hidden.
"""

from __future__ import annotations

from harness.grading.results import CheckReport


def blind_dict(report: CheckReport) -> dict:
    document = report.to_dict()
    reached = max(report.stages_passed_in_order, report.previously_reached) + 1
    document["blind"] = True
    document["stages"] = [
        {
            "number": stage.number,
            "title": stage.title if stage.number <= reached else None,
            "passed": stage.passed,
            "summary": {"total": len(stage.tests), "passed": stage.passed_count,
                        "failed": len(stage.tests) - stage.passed_count},
        }
        for stage in report.stages
    ]
    return document
