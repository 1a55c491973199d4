"""From what a grading child left behind to the report: a pure function, no processes.

The child's records are evidence, not truth: the attempt ran in the same
process and may have written records of its own. A pass counts only when the
child exited normally after `finished`, reported every collected test exactly
once, and nothing came after `finished`. Anything else is "not graded: the
grading process was interfered with", never a pass. Tampering seen by the
tripwire (in the child) or by the static scan (in the parent) makes the
verdict `tampering`.
"""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harness.catalog import Kata
from harness.grading import protocol as p
from harness.grading.results import NO_RESULT, NOT_RUN, CheckReport, StageResult, TestResult, Timing

INTERFERED = "not graded: the grading process was interfered with"


@dataclass
class ChildRun:
    """What the child left behind: its result records and how it ended."""

    records: list[dict]
    returncode: int | None
    timed_out: bool
    stderr_tail: str
    wall_s: float
    overrun: str | None = None  # id of a test that could not be interrupted
    wall_timeout_s: float = 60.0
    output_mb: int = 64
    tampering: list[str] = field(default_factory=list)  # found before the child ran
    sandboxed: bool = False
    benchmark: dict | None = None  # from the separate benchmark phase, if it ran
    token: str | None = None  # the secret every genuine record carries


def how_it_ended(run: ChildRun) -> str:
    if run.overrun:
        name = run.overrun.rpartition("::")[2]
        return (f"{name} ran past its time limit and could not be interrupted "
                "(signals ignored or swallowed?), so the run was stopped")
    if run.timed_out:
        return (f"the check took longer than the wall-clock limit of "
                f"{run.wall_timeout_s:g} s and was stopped (an endless loop?)")
    code = run.returncode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        if -code == signal.SIGKILL:
            return f"the grading process was killed ({name}; out of memory?)"
        if -code == signal.SIGSEGV:
            return f"the grading process crashed ({name}, a segmentation fault)"
        if -code == signal.SIGXFSZ:
            return (f"the attempt wrote more than {run.output_mb} MB of output "
                    f"and was stopped ({name})")
        return f"the grading process was ended by {name}"
    if code == p.EXIT_OUT_OF_MEMORY:
        return ("the grading process ran out of memory between tests (MemoryError: the "
                "attempt holds on to too much?)")
    if code == p.EXIT_GRADER_FAILED:
        # The worker printed the error last: its last line names it.
        lines = [line.strip() for line in run.stderr_tail.splitlines() if line.strip()]
        what = f": {lines[-1][:300]}" if lines else ""
        return f"the grading process failed between tests{what}"
    return f"the grading process exited early with status {code} (sys.exit or os._exit?)"


def interference(run: ChildRun) -> str | None:
    """Why the record stream cannot be trusted, or None."""
    records = run.records
    if run.token is not None and any(r.get("token") != run.token for r in records):
        return "records that the grader did not write"
    unknown = sorted({r["event"] for r in records} - p.EVENTS)
    if unknown:
        return f"unknown records {', '.join(map(str, unknown))}"
    once = Counter(r["event"] for r in records if r["event"] in (
        p.START, p.ATTEMPT_LOADED, p.COLLECTED, p.FINISHED, p.BENCHMARK))
    repeated = sorted(e for e, n in once.items() if n > 1)
    if repeated:
        return f"records written twice: {', '.join(repeated)}"
    finished_at = next((i for i, r in enumerate(records) if r["event"] == p.FINISHED), None)
    if finished_at is not None and any(r["event"] != p.BENCHMARK
                                       for r in records[finished_at + 1:]):
        return "records arrived after the run had finished"
    collected = next((r.get("tests", []) for r in records if r["event"] == p.COLLECTED), [])
    ids = [t.get("id") for t in collected if isinstance(t, dict)]
    if len(ids) != len(set(ids)):
        return "a test was collected twice"
    reported = Counter(r.get("id") for r in records if r["event"] == p.TEST)
    if any(n > 1 for n in reported.values()):
        return "a test reported more than one result"
    if set(reported) - set(ids):
        return "results for tests that were never collected"
    return None


def build_report(kata: Kata, attempt: Path, run: ChildRun) -> CheckReport:
    file_name = attempt.name
    events: dict[str, dict] = {}
    results: dict[str, dict] = {}
    for record in run.records:
        if record["event"] == p.TEST:
            results.setdefault(record.get("id"), record)
        else:
            events.setdefault(record["event"], record)
    collected = [t for t in events.get(p.COLLECTED, {}).get("tests", []) if isinstance(t, dict)]
    tampering = [*run.tampering, *(str(r.get("reason")) for r in run.records
                                   if r["event"] == p.TAMPERING)]

    locked = _locked_stages(events)
    error = None
    if p.ATTEMPT_ERROR in events:
        error = str(events[p.ATTEMPT_ERROR].get("message"))
    elif p.START not in events:
        error = ("the grader could not start: "
                 + (run.stderr_tail.strip()[-1000:] or how_it_ended(run)))
    elif p.COLLECT_ERROR in events:
        error = ("the hidden suite could not be collected:\n"
                 + str(events[p.COLLECT_ERROR].get("message")))
    elif p.ATTEMPT_LOADED not in events:
        error = f"while {file_name} was being imported, {how_it_ended(run)}"
    elif p.COLLECTED not in events:
        error = how_it_ended(run)
    elif p.STOPPED in events:
        error = str(events[p.STOPPED].get("reason"))
    elif p.FINISHED not in events or run.returncode != 0:
        error = how_it_ended(run)
    elif _unreported(results, collected, locked):
        error = "the run ended before every test had run"
    suspicious = interference(run)
    if suspicious is not None:
        error = f"{INTERFERED} ({suspicious})"

    missing = (NOT_RUN if p.STOPPED in events else NO_RESULT) + (
        error or "the test did not report")
    by_stage: dict[int, list[TestResult]] = {s.number: [] for s in kata.stages}
    for test in collected:
        stage = test.get("stage")
        if stage not in by_stage:
            error = error or f"hidden suite problem: {test.get('id')} has no valid stage marker"
            continue
        if stage in locked:
            # After a failing stage, by design: locked, shown without counts. (A worker
            # may have run a few of its tests before the failure was known.)
            continue
        result = results.get(test.get("id"))
        if result is None and test.get("id") == run.overrun:
            result = {"outcome": "timeout", "duration_s": 0.0, "example": None, "output": None,
                      "message": "ran past its time limit and could not be interrupted"}
        by_stage[stage].append(TestResult(
            name=str(test.get("name")),
            outcome=str(result.get("outcome")) if result else "error",
            duration_s=round(float(result.get("duration_s") or 0.0), 4) if result else 0.0,
            message=result.get("message") if result else missing,
            example=result.get("example") if result else None,
            output=result.get("output") if result else None,
            doc=test.get("doc"),
        ))
    stages = [StageResult(s.number, s.title, by_stage[s.number], locked=s.number in locked)
              for s in kata.stages]
    tests_s = sum(float(r.get("duration_s") or 0.0) for r in results.values())  # all that ran
    benchmark = run.benchmark if error is None and not tampering else None
    cpu = events.get(p.FINISHED, {}).get("tests_cpu_s")
    return CheckReport(kata=kata.slug, file=str(attempt), error=error, stages=stages,
                       timing=Timing(tests_s=tests_s, wall_s=run.wall_s, tests_cpu_s=cpu,
                                     benchmark=benchmark),
                       tampering=tampering, sandboxed=run.sandboxed)


def _locked_stages(events: dict[str, dict]) -> set[int]:
    """The stages after the first failing one of a stage-by-stage run. Claiming a stage
    locked can only make a verdict worse (a locked stage never passes), so a forged
    record wins nothing."""
    stages = events.get(p.LOCKED, {}).get("stages")
    return {n for n in stages if isinstance(n, int)} if isinstance(stages, list) else set()


def _unreported(results: dict[str, dict], collected: list[dict], locked: set[int]) -> bool:
    """Did a test of a stage that ran (not locked) never report?"""
    return any(t.get("id") not in results for t in collected if t.get("stage") not in locked)
