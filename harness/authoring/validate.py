"""`kata validate`: prove a kata sound, through the real grading engine.

For each kata: the metadata is complete and has no TODO left; every stage has
tests; the stub imports and fails; the reference passes every stage, in about
a second; every known-bad attempt is rejected by the stage it names; every
known-good attempt passes; a second run gives the same verdicts; every solution's
note states the growth class the benchmark measures for it. With
`--mutate`, mutants of the reference must be killed too (harness/mutation.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import statistics
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from harness.authoring import scaffold
from harness.catalog import Kata
from harness.grading import shards
from harness.grading.results import CheckReport
from harness.grading.runner import Limits, benchmark_file, check_attempt
from harness.grading.warm import WarmGraderPool

# The per-test limit of `kata check`: a known-bad attempt that hangs costs two of them.
LIMITS = Limits(test_timeout_s=Limits().test_timeout_s, wall_timeout_s=120, benchmark=False)
STAGED = dataclasses.replace(LIMITS, all_stages=False)
REFERENCE_BUDGET_S = 2.0  # "about a second", with room for a slower machine
DURATION_RUNS = 5
CAUGHT_BY = re.compile(r"^Caught by: stage (\d+)\s*$", re.MULTILINE)
GROWTH_RUNS = 3  # runs of the benchmark, at most, to find one that supports a note's growth


@dataclass
class Validation:
    slug: str
    problems: list[str] = field(default_factory=list)
    # Failures a candidate cannot act on (no input or no result shown). Those a known-bad
    # attempt or the stub provokes are problems too; those only a mutant provokes
    # (`--mutate`) are listed for the author, since a mutant can fail in ways no
    # candidate would.
    silent_failures: list[str] = field(default_factory=list)
    known_bad: dict = field(default_factory=lambda: {"total": 0, "rejected": 0})
    known_good: dict = field(default_factory=lambda: {"total": 0, "passed": 0})
    mutation: dict | None = None
    reference_tests_s: float | None = None
    growth: dict[str, list[str]] = field(default_factory=dict)  # solution -> classes measured

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"slug": self.slug, "valid": self.valid, "problems": self.problems,
                "known_bad": self.known_bad, "known_good": self.known_good,
                "mutation": self.mutation, "reference_tests_s": self.reference_tests_s,
                "silent_failures": self.silent_failures, "growth": self.growth}


def _verdict(report: CheckReport) -> tuple:
    """What a practising candidate is told: passed or not, and how many stages passed in
    order. (Which test of a stage catches a race may vary from run to run; the stage's
    verdict may not.)"""
    return (report.passed, report.stages_passed_in_order)


def _same_verdict(full: CheckReport, staged: CheckReport) -> bool:
    """A full run and a stage-by-stage one agree on the verdict, and on the error when the
    staged run met one (it never runs the later stages where a full run may meet its own)."""
    return (_verdict(full) == _verdict(staged)
            and (staged.error is None or staged.error == full.error))


def validate(kata: Kata, jobs: int = 2, mutate: bool = False,
             progress: Callable[[int, int], None] | None = None) -> Validation:
    result = Validation(kata.slug)
    problems = result.problems
    problems += kata.problems
    todo = scaffold.todo_files(kata.dir)
    if todo:
        problems.append(f"still has TODO placeholders in: {', '.join(todo)}")
    if not (kata.dir / "CONTRACT.md").is_file():
        problems.append("no CONTRACT.md: the kata's contract, which the suite follows")
    if not kata.stub_path.is_file() or not kata.reference_path.is_file():
        problems.append("the stub or the reference solution is missing")
        return result
    bad = kata.attempts_in("known_bad")
    good = kata.attempts_in("known_good")
    if not bad:
        problems.append("no known-bad attempts in known_bad/")

    with tempfile.TemporaryDirectory(prefix="kata-validate-") as tmp:
        stub = Path(tmp) / kata.file  # graded under its real name, as `kata start` writes it
        shutil.copy(kata.stub_path, stub)
        attempts = [kata.reference_path, stub, *bad, *good]
        # Determinism, as practice grades it: stage by stage, the same verdicts again.
        again = [kata.reference_path, *bad]
        total, done = len(attempts) + len(again), [0]

        with WarmGraderPool(kata, jobs, LIMITS.sandbox) as graders:
            # Through the pre-loaded grader of `kata watch`: the same engine and isolation
            # as a cold check (tests/grading/test_watch.py holds them equal), without
            # paying an interpreter's start-up for each of some eighty checks.
            def grade(path: Path, limits: Limits = LIMITS) -> CheckReport:
                report = graders.check(kata, path, limits)
                done[0] += 1
                if progress is not None:
                    progress(done[0], total)
                return report

            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                first = list(pool.map(grade, attempts))
                second = list(pool.map(lambda path: grade(path, STAGED), again))
        reference, stub_report = first[0], first[1]
        _check_reference(kata, reference, result)
        _check_durations(kata, reference, result)
        if stub_report.error is not None:
            problems.append(f"the stub cannot be graded: {stub_report.error}")
        elif any(s.passed for s in stub_report.stages):
            problems.append("the stub passes a stage: the suite is too weak or the stub solves")

        bad_reports = first[2:2 + len(bad)]
        result.known_bad = {"total": len(bad), "rejected": 0}
        for path, report in zip(bad, bad_reports, strict=True):
            stage = _caught_by(path)
            if report.passed:
                problems.append(f"known-bad {path.name} passes every stage")
                continue
            result.known_bad["rejected"] += 1
            if stage is None:
                problems.append(f"known-bad {path.name} does not say 'Caught by: stage N'")
            elif stage > len(report.stages) or report.stages[stage - 1].passed:
                problems.append(f"known-bad {path.name} should be caught by stage {stage}, "
                                "which it passes")
        _check_feedback([(stub, stub_report), *zip(bad, bad_reports, strict=True)], result)
        result.known_good = {"total": len(good), "passed": 0}
        for path, report in zip(good, first[2 + len(bad):], strict=True):
            if report.passed:
                result.known_good["passed"] += 1
            else:
                problems.append(f"known-good {path.name} is rejected: "
                                f"{report.error or _first_failure(report)}")
        passing = {path for path, report in zip([kata.reference_path, *good],
                                                [reference, *first[2 + len(bad):]],
                                                strict=True) if report.passed}
        _check_growth_notes(kata, passing, result)
        for path, one, two in zip([kata.reference_path, *bad], [reference, *bad_reports],
                                  second, strict=True):
            if not _same_verdict(one, two):
                problems.append(f"{path.name} got different verdicts on two runs (the second "
                                "stage by stage): "
                                f"{_difference(one, two)}")

    if mutate and reference.passed:
        from harness.authoring import mutation

        result.mutation = mutation.run(kata, jobs)
        for name, mutant in result.mutation["silent_failures"].items():
            result.silent_failures.append(
                f"{name} fails without showing the input and what the attempt did "
                f"(e.g. on the mutant {mutant}): add 'input:' and 'got:' lines")
        killed, total = result.mutation["killed"], result.mutation["total"]
        if total and killed / total < mutation.REQUIRED_KILL_RATE:
            problems.append(f"the suite kills {killed} of {total} mutants of the reference "
                            f"({killed / total:.0%}); at least "
                            f"{mutation.REQUIRED_KILL_RATE:.0%} are needed")
    return result


def _check_growth_notes(kata: Kata, passing: set[Path], result: Validation) -> None:
    """Each note's growth is backed by the benchmark: within one class of a model that fits
    the timings about as well as the best (benchmark.growth_fits), in a run of up to
    GROWTH_RUNS. Three sizes on a busy machine cannot tell neighbouring classes apart (a
    dict of 10,000 entries falls out of the CPU's caches and looks O(log n)); they never
    make O(n^2) timings fit O(n)."""
    if not (kata.dir / "bench.py").is_file():
        return
    for name, note, path in kata.solutions():
        if note is None or path not in passing:
            continue
        measured: list[str] = []
        supported = False
        while not supported and len(measured) < GROWTH_RUNS:
            bench = benchmark_file(kata, path, LIMITS)
            measured.append(bench["growth"] if bench else "not measured")
            supported = bool(bench) and _near(note.growth, bench.get("fits", [bench["growth"]]))
        result.growth[name] = measured
        if not supported:
            result.problems.append(
                f"the note of {name} says growth {note.growth}, but no run of the benchmark "
                f"comes within a class of it (measured {', '.join(measured)})")


def _near(growth: str, fits: list[str]) -> bool:
    from harness.grading.benchmark import MODELS

    order = [name for name, _ in MODELS]
    return growth in order and any(
        fit in order and abs(order.index(fit) - order.index(growth)) <= 1 for fit in fits)


# "KeyError: 'x'", "FlakyStrategyDefinition: ...": an exception raised by the attempt or by
# Hypothesis, not the suite's own words (which begin with the rule).
_RAISED = re.compile(r"^([A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Iteration|Warning)\b"
                     r"|[A-Z][A-Za-z0-9_.]*(:|$))")


def unhelpful_failures(report: CheckReport) -> list[str]:
    """Failing tests whose message shows neither the input (an `input:` line or a
    falsifying example) nor what the attempt did (a `got:` line). An exception the
    attempt raised speaks for itself and is not counted."""
    found = []
    for stage in report.stages:
        for test in stage.tests:
            message = test.message or ""
            if test.outcome != "failed" or _RAISED.match(message):
                continue
            lines = [line.strip().lower() for line in message.splitlines()]
            has_input = test.example is not None or any(ln.startswith("input:") for ln in lines)
            has_got = any(ln.startswith("got:") for ln in lines)
            if not (has_input and has_got):
                found.append(test.name)
    return found


def _check_feedback(graded, result: Validation) -> None:
    """Every failure a known-bad attempt or the stub provokes must be one a candidate can
    act on: it shows the input and what the attempt did."""
    silent: dict[str, str] = {}
    for path, report in graded:
        for name in unhelpful_failures(report):
            silent.setdefault(name, path.name)
    for name, example in sorted(silent.items()):
        line = (f"{name} fails without showing the input and what the attempt did (e.g. on "
                f"{example}): add 'input:' and 'got:' lines to its message")
        result.silent_failures.append(line)
        result.problems.append(line)


def _check_reference(kata: Kata, reference: CheckReport, result: Validation) -> None:
    result.reference_tests_s = round(reference.timing.tests_cpu_s or reference.timing.tests_s, 3)
    if reference.error:
        result.problems.append(f"the reference cannot be graded: {reference.error}")
        return
    for stage in reference.stages:
        if not stage.tests:
            result.problems.append(f"stage {stage.number} has no tests")
        elif not stage.passed:
            failing = next(t for t in stage.tests if t.outcome != "passed")
            result.problems.append(f"the reference fails stage {stage.number}: "
                                   f"{failing.name}: {failing.message}")
    # CPU time, so that a busy machine does not make a kata invalid.
    spent = reference.timing.tests_cpu_s or reference.timing.tests_s
    if spent > REFERENCE_BUDGET_S:
        result.problems.append(
            f"the suite takes {spent:.1f} s of CPU on the reference "
            f"(at most {REFERENCE_BUDGET_S:g} s; aim for about one)")


def write_durations(kata: Kata, runs: int = DURATION_RUNS) -> Path:
    """Record each test's mean time on the reference, in seconds: the grader splits
    the tests between its workers by them (see grading/shards.py). The mean, not the
    median: a test with threads that is now 4 ms and now 40 ms costs a worker about
    its mean, run after run."""
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        report = check_attempt(kata, kata.reference_path, LIMITS)
        for stage in report.stages:
            for test in stage.tests:
                times.setdefault(test.name, []).append(test.duration_s)
    path = kata.durations_path
    means = {name: round(statistics.fmean(spent), 4) for name, spent in sorted(times.items())}
    path.write_text(json.dumps(means, indent=1) + "\n", encoding="utf-8")
    return path


def _check_durations(kata: Kata, reference: CheckReport, result: Validation) -> None:
    path = kata.durations_path
    if reference.error or not path.is_file():
        return  # without it, the split guesses from the kind of test
    recorded = set(shards.load_durations(str(path)))
    names = {t.name for s in reference.stages for t in s.tests}
    if recorded != names:
        result.problems.append(
            f"suite/durations.json is out of date ({len(names - recorded)} tests missing, "
            f"{len(recorded - names)} unknown): run kata validate {kata.slug} --write-durations")


def _difference(one: CheckReport, two: CheckReport) -> str:
    if two.error is not None and one.error != two.error:
        return f"error {one.error!r} then {two.error!r}"
    return (f"{_word(one.passed)} with {one.stages_passed_in_order} stages passed in order, "
            f"then {_word(two.passed)} with {two.stages_passed_in_order}")


def _word(passed: bool) -> str:
    return "passed" if passed else "failed"


def _caught_by(path: Path) -> int | None:
    match = CAUGHT_BY.search(path.read_text(encoding="utf-8", errors="replace"))
    return int(match.group(1)) if match else None


def _first_failure(report: CheckReport) -> str:
    for stage in report.stages:
        for test in stage.tests:
            if test.outcome != "passed":
                return f"{test.name}: {test.message}"
    return "no failing test"
