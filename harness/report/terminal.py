"""Human-readable text for the terminal. Pure functions: data in, text out."""

from __future__ import annotations

import textwrap

import click

from harness.catalog import Kata, Stage
from harness.grading.results import NO_RESULT, NOT_RUN, CheckReport, StageResult
from harness.practice.record import PracticeRecord
from harness.report.check_document import stage_reached
from harness.report.safe_text import safe

OK = "✔"
FAIL = "✘"
LOCKED = "·"


def _style(text: str, **kw) -> str:
    return click.style(text, **kw)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def indent(text: str, prefix: str = "    ") -> str:
    return textwrap.indent(text, prefix)


def stage_prompt(kata: Kata, stage: Stage) -> str:
    head = _style(f"Stage {stage.number}/{len(kata.stages)}: {stage.title}", bold=True)
    box = f" ({stage.minutes} min)" if stage.minutes else ""
    return f"{head}{box}\n{wrap(stage.prompt, '  ')}"


def wrap(text: str, prefix: str = "") -> str:
    """Paragraphs filled to the terminal's width (at most 100 columns)."""
    import shutil

    width = min(100, shutil.get_terminal_size((100, 24)).columns) - len(prefix)
    return "\n".join(
        textwrap.fill(line, width=max(40, width), initial_indent=prefix,
                      subsequent_indent=prefix) if line.strip() else ""
        for line in text.splitlines())


def check_report(kata: Kata, report: CheckReport, record: PracticeRecord | None = None, *,
                 blind: bool = False) -> str:
    """The terminal view of a check: the grading report, with the practice record (when
    the check was the candidate's own practice) for progress and timing."""
    lines = [_style(f"{kata.title}", bold=True) + f"  ({report.kata}: {safe(report.file)})", ""]
    if report.tampering:
        lines += [_style("Tampering: the attempt reached into the grader. It is not graded "
                         "as passed; read it by hand.", fg="red", bold=True)]
        lines += [f"  - {safe(reason)}" for reason in report.tampering] + [""]
    if report.error:
        head = "The check did not complete:" if report.total else "Could not grade the attempt:"
        lines += [_style(head, fg="red", bold=True), indent(safe(report.error), "  "), ""]
    current = report.stages_passed_in_order + 1  # the stage being worked on
    reached = stage_reached(report, record)
    for stage in report.stages:
        lines += _stage_lines(stage, stage.number <= reached, stage.number == current, blind)
    lines.append("")
    lines += _verdict_lines(kata, report, record.previously_reached if record else 0)
    lines += _timing_lines(report, record or PracticeRecord())
    return "\n".join(lines)


def _timing_lines(report: CheckReport, record: PracticeRecord) -> list[str]:
    timing = report.timing
    lines = [_style(
        f"Timing: {duration(timing.tests_s)} in tests (summed over both workers) · "
        f"wall {duration(timing.wall_s)}"
        f" · since start {duration(record.since_start_s)}", dim=True)]
    if record.splits:
        splits = " · ".join(f"{n}: {duration(s)}" for n, s in sorted(record.splits.items()))
        lines.append(_style(f"Stages first passed at {splits}", dim=True))
    if record.best_s is not None:
        lines.append(_style(f"Personal best: {duration(record.best_s)}", dim=True))
    bench = timing.benchmark
    if bench:
        from harness.grading.benchmark import grows_worse

        lines.append(f"Performance: {bench['ratio']:g}× the reference's time, growth "
                     f"{bench['growth']} (reference {bench['reference_growth']}) "
                     f"— {bench['workload']}")
        if grows_worse(bench):
            lines.append(_style(f"Slow growth: your time grows as {bench['growth']}, the "
                                f"reference's as {bench['reference_growth']}. An interviewer "
                                "would ask about it.", fg="yellow", bold=True))
    return lines


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)


def stats(document: dict) -> str:
    lines = [_style("Katas", bold=True)]
    lines.append(f"  {'kata':<14} {'status':<8} {'stages':>6} {'checks':>6} "
                 f"{'best':>12}  {'ready':>5}  time to pass, oldest first")
    for row in document["katas"]:
        lines.append(
            f"  {row['slug']:<14} {row['status']:<8} {row['stages_passed']:>4}/4 "
            f"{row['checks']:>6} {duration(row['best_s']):>12}  {row['readiness']:>5}  "
            f"{sparkline(row['pass_times_s'])}")
    lines += ["", _style("Readiness by topic", bold=True)]
    for topic in sorted(document["topics"], key=lambda t: (t["readiness"], t["topic"])):
        bar = "█" * (topic["readiness"] // 10) + "·" * (10 - topic["readiness"] // 10)
        lines.append(f"  {topic['topic']:<22} {bar} {topic['readiness']:>3}  "
                     f"({', '.join(topic['katas'])})")
    weakest = document["weakest_topic"]
    if weakest:
        lines += ["", f"Weakest topic: {_style(weakest, bold=True)}. "
                      f"Next: kata plan   (a focused plan on {weakest})"]
    return "\n".join(lines)


def plan(document: dict) -> str:
    if not document["days"]:
        return "Nothing to plan: no kata has that topic."
    lines = [_style(f"Plan: {len(document['days'])} days on {document['topic']} "
                    f"(readiness {document['readiness']}/100)", bold=True)]
    for day in document["days"]:
        stages = ", ".join(map(str, day["stages"]))
        lines.append(f"  Day {day['day']}: {day['title']} ({day['slug']}), stages {stages}, "
                     f"target {day['target_minutes']} min")
        lines.append(f"         {day['goal']}.  Run: {day['command']}")
    return "\n".join(lines)


TIMING_NOW = "\nTiming it against the reference…"


def stage_progress(kata: Kata, number: int, passed: bool) -> str:
    """`kata watch`, while a check runs: a stage whose tests have all finished."""
    if passed:
        more = " Grading the next…" if number < len(kata.stages) else ""
        return f"  {_style(OK, fg='green')} Stage {number} passed.{more}"
    return f"  {_style(FAIL, fg='red')} Stage {number} not passed."


def _stage_lines(stage: StageResult, reached: bool, current: bool, blind: bool) -> list[str]:
    count = "locked" if stage.locked else f"{stage.passed_count}/{len(stage.tests)}"
    if stage.passed:
        mark, colour = OK, "green"
    elif reached and not stage.locked:
        mark, colour = FAIL, "red"
    else:
        mark, colour = LOCKED, None
    title = stage.title if reached else "(not reached yet)"
    lines = [f"  {_style(mark, fg=colour)} Stage {stage.number}  {title:<34} {count:>7}"]
    if current and not stage.passed and not blind:
        failing = [t for t in stage.tests if t.outcome != "passed"]
        unrun = [t for t in failing if t.message and t.message.startswith((NOT_RUN, NO_RESULT))]
        failing = [t for t in failing if t not in unrun]
        if failing and all("could not be loaded" in (t.message or "") for t in failing):
            failing = []  # the attempt did not load: the reason is above, once
        for test in failing[:8]:
            label = test.outcome if test.outcome != "failed" else ""
            lines.append(f"      {_style(FAIL, fg='red')} {test.name}"
                         + (f"  [{label}]" if label else ""))
            if test.message:
                lines.append(indent(safe(test.message), "          "))
            if test.example:
                lines.append(_style(indent(safe(test.example), "          "), fg="yellow"))
            if test.output:
                lines.append(_style(indent("attempt printed: " + safe(test.output),
                                           "          "), dim=True))
        if len(failing) > 8:
            lines.append(f"      … and {len(failing) - 8} more failing tests in this stage")
        if unrun:
            lines.append(f"      … and {len(unrun)} tests without a result")
    return lines


def _verdict_lines(kata: Kata, report: CheckReport, previously_reached: int) -> list[str]:
    done = report.stages_passed_in_order
    if report.tampering:
        lines = [_style(f"TAMPERING: {report.passed_count}/{report.total} tests reported "
                        "passed, but the attempt reached into the grader.", fg="red", bold=True)]
    elif report.passed:
        lines = [_style(f"PASSED: all {len(report.stages)} stages, "
                        f"{report.passed_count}/{report.total} tests.", fg="green", bold=True)]
    else:
        lines = [_style(f"NOT PASSED: {report.passed_count}/{report.total} tests.",
                        fg="red", bold=True)]
        locked = [s.number for s in report.stages if s.locked]
        if locked:
            which = (f"Stage {locked[0]} is" if len(locked) == 1
                     else f"Stages {locked[0]}–{locked[-1]} are")
            lines.append(f"{which} locked until stage {done + 1} passes "
                         "(--all-stages grades them all).")
        if report.error is None:
            lines.append(f"Keep going on stage {done + 1}: "
                         f"{kata.stage(done + 1).title}.")
    # The interviewer's follow-ups, each shown once, when its stage is first unlocked:
    # passing two stages in one check shows both, in order.
    for passed in range(previously_reached + 1, min(done, len(kata.stages) - 1) + 1):
        lines += ["", _style(f"Stage {passed} passed. The interviewer follows up:", fg="cyan"),
                  stage_prompt(kata, kata.stage(passed + 1))]
    lines.append("")
    return lines
