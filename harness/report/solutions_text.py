"""`kata solutions` and `kata review` for the terminal."""

from __future__ import annotations

import click

from harness.catalog import Kata
from harness.practice.gallery import Gallery, Solution
from harness.report.terminal import indent, wrap


def _measured(solution: Solution) -> tuple[str, str]:
    bench = solution.benchmark
    if not bench:
        return "—", "—"
    return f"{bench['ratio']:.2f}×", bench["growth"]


def gallery(shown: Gallery, show_code: bool) -> str:
    kata = shown.kata
    lines = [click.style(f"{kata.title}: {len(shown.solutions)} correct solutions", bold=True)]
    if shown.workload:
        lines.append(f"Timed in one run against the reference on: {shown.workload} "
                     "(a ratio below 1 is faster).")
    rows = [*shown.solutions, *([shown.yours] if shown.yours else [])]
    titles = ["your fastest passing iteration" if s.name == "yours"
              else (s.note.title if s.note else s.name) for s in rows]
    width = min(44, max(len("solution"), *map(len, titles)))
    lines += ["", f"  {'solution':<{width}} {'growth (note)':>13} {'measured':>10} {'time':>7}"]
    for solution, title in zip(rows, titles, strict=True):
        ratio, growth = _measured(solution)
        stated = solution.note.growth if solution.note else "—"
        lines.append(f"  {title[:width]:<{width}} {stated:>13} {growth:>10} {ratio:>7}")
    for number, solution in enumerate(shown.solutions, 1):
        note = solution.note
        where = ("the reference" if solution.name == "reference"
                 else f"known_good/{solution.path.name}")
        heading = f"{number}. {note.title if note else solution.name}  ({where})"
        lines += ["", click.style(heading, bold=True)]
        if note:
            lines += [wrap(note.approach, "  "), "", wrap("Trade-offs: " + note.tradeoffs, "  "),
                      f"  Growth: {note.growth} on the benchmark's workload."]
        if show_code:
            lines += ["", indent(solution.source.rstrip(), "    | ")]
    if not shown.yours:
        lines += ["", "No passing iteration of yours with a stored source to compare."]
    return "\n".join(lines)


def review(kata: Kata) -> str:
    """A self-check list to go through aloud: per stage, what interviewers listen for."""
    lines = [click.style(f"Review: {kata.title}", bold=True),
             "Go through it aloud, as you would explain your solution to an interviewer.", ""]
    lines.append(click.style("Clarifying questions (did you ask them?)", bold=True))
    for question in kata.questions:
        lines += [wrap("[ ] " + question.ask, "  "), wrap("Answer: " + question.answer, "      ")]
    for stage in kata.stages:
        lines += ["", click.style(f"Stage {stage.number}: {stage.title}", bold=True),
                  "  What a strong answer shows:"]
        lines += [wrap("[ ] " + signal, "    ") for signal in stage.strong]
        lines.append("  What interviewers note as weak:")
        lines += [wrap("[ ] " + signal, "    ") for signal in stage.weak]
    lines += ["", click.style("Common mistakes (check your code for each)", bold=True)]
    lines += [wrap("[ ] " + mistake, "  ") for mistake in kata.mistakes]
    return "\n".join(lines)
