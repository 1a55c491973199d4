"""`kata history` for the terminal: the iterations of a practice session, one, or a diff."""

from __future__ import annotations

import click

from harness.practice.iterations import Session
from harness.report.safe_text import safe
from harness.report.terminal import duration


def iterations(session: Session) -> str:
    kata = session.kata
    count = len(session.iterations)
    lines = [click.style(f"{kata.title}: {count} iteration{'s' * (count != 1)}", bold=True)
             + f"  ({kata.slug}: {safe(session.start.file)})", ""]
    if not session.iterations:
        return "\n".join([*lines, "No checks yet: save your attempt and run kata check."])
    lines.append(f"  {'#':>3}  {'since start':>12}  {'stages':>6}  {'tests':>9}  "
                 f"{'lines':>11}  checks")
    stages = len(kata.stages)
    for it in session.iterations:
        changed = "?" if it.added is None else f"+{it.added} -{it.removed}"
        row = (f"  {it.number:>3}  {duration(it.since_start_s):>12}  "
               f"{it.reached:>4}/{stages}  {it.passed_tests:>4}/{it.total:<4}  "
               f"{changed:>11}  {it.checks:>6}")
        if it.passed:
            row += "  " + click.style("passed", fg="green")
        lines.append(row)
    if session.splits:
        splits = " · ".join(f"{n}: {duration(s)}" for n, s in sorted(session.splits.items()))
        lines += ["", f"Stages first passed at {splits}"]
    lines += ["", f"kata history {kata.slug} --show N   ·   --diff N [M]   ·   "
                  f"--html replay.html"]
    return "\n".join(lines)


def one(session: Session, number: int) -> str:
    it = session.iteration(number)
    head = (f"# Iteration {it.number} of {session.kata.slug}: {duration(it.since_start_s)} "
            f"since start, {it.reached}/{len(session.kata.stages)} stages, "
            f"{it.passed_tests}/{it.total} tests")
    return f"{click.style(head, dim=True)}\n{safe(session.source_of(number))}"


def diff(text: str) -> str:
    if not text:
        return "No change."
    colours = {"+": "green", "-": "red", "@": "cyan"}
    lines = []
    for line in safe(text).splitlines():
        colour = None if line.startswith(("+++", "---")) else colours.get(line[:1])
        lines.append(click.style(line, fg=colour) if colour else line)
    return "\n".join(lines)
