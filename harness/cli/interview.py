"""The interviewer's commands: `kata interview list|plan|sheet` and `kata grade`.

A thin layer: parse, call harness.interview (planning, grade) and harness.report, print.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from pathlib import Path

import click

from harness.cli.options import limit_options, usage_errors
from harness.errors import UsageError
from harness.levels import FORMATS, LEVELS


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


_LEVEL = click.Choice(LEVELS)



@click.group()
def interview() -> None:
    """For interviewers: pick prompts, plan a session, print an interview sheet.

    \b
    kata interview plan --minutes 45 --level mid
    kata interview sheet retry --format html --output sheet.html
    """


@interview.command("list")
@click.option("--level", type=_LEVEL, help="Only katas of this level.")
@click.option("--minutes", type=click.IntRange(min=1), help="Only katas whose time box fits.")
@click.option("--topic", help="Only katas with this topic.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@usage_errors
def list_prompts(level: str | None, minutes: int | None, topic: str | None,
                 as_json: bool) -> None:
    """The prompts that fit, with level, minutes, topics and stage titles."""
    from harness.interview import planning
    from harness.report import interview_text as render_interview

    katas = planning.matching_katas(level, minutes, topic)
    if as_json:
        click.echo(json.dumps(render_interview.kata_list_json(katas), indent=2))
    else:
        click.echo(render_interview.kata_list(katas))


@interview.command()
@click.option("--minutes", type=click.IntRange(min=1), required=True, help="Length of the slot.")
@click.option("--level", type=_LEVEL, help="The candidate's level.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Choose among fitting katas with this seed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@usage_errors
def plan(minutes: int, level: str | None, seed: int, as_json: bool) -> None:
    """A session plan that fits the slot: katas, stage time boxes, follow-ups, questions."""
    from harness.interview import planning
    from harness.report import interview_text as render_interview

    session = planning.plan_session(minutes, level, seed)
    if as_json:
        click.echo(json.dumps(session.to_dict(), indent=2))
    else:
        click.echo(render_interview.plan_text(session))


@interview.command("sheet")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md",
              show_default=True, help="Markdown, or one self-contained HTML page.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of stdout.")
@usage_errors
def sheet_command(slug: str, fmt: str, output: Path | None) -> None:
    """The interviewer's sheet: prompt, questions, follow-ups, rubric, mistakes, solution."""
    from harness.practice import session as practice
    from harness.report import sheet

    text = sheet.render(practice.get_kata(slug), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, text)
        click.echo(f"Wrote {output}", err=True)


@click.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--kata", "slug", required=True, help="The kata the attempts are for.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="the number of CPUs", help="Attempts graded at once.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV on stdout.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to FILE.")
@functools.partial(limit_options, output=False)
@click.option("--no-bench", is_flag=True,
              help="Skip timing fully passing attempts against the reference.")
@click.option("--unsandboxed", is_flag=True,
              help="Grade without the operating-system sandbox (where none can be made).")
@usage_errors
def grade(folder: Path, slug: str, jobs: int, as_json: bool, as_csv: bool,
          html_file: Path | None, test_timeout: float, wall_timeout: float,
          memory_mb: int, no_bench: bool, unsandboxed: bool) -> None:
    """Grade every attempt file (*.py, one per candidate) in DIR, in parallel.

    Each file is graded exactly as `kata check` grades it. Exit status 0 when
    grading ran, whatever the verdicts; 2 on a usage error.
    """
    from harness.grading import sandbox
    from harness.grading.runner import Limits
    from harness.interview import grade as batch
    from harness.practice import session as practice
    from harness.report import grade_report

    if as_json and as_csv:
        raise UsageError("choose one of --json and --csv")
    kata = practice.get_kata(slug)
    files = batch.attempt_files(folder)
    if html_file is not None and not html_file.resolve().parent.is_dir():
        raise UsageError(f"no such directory for --html: {html_file.parent}")
    found = sandbox.available()
    if not (found.ok or unsandboxed):
        raise UsageError(f"no sandbox on this machine ({found.reason}): candidates' files "
                         "would run with your own rights. Grade in a disposable VM or "
                         "container, and pass --unsandboxed to go ahead anyway.")
    limits = Limits(test_timeout_s=test_timeout, wall_timeout_s=wall_timeout,
                    memory_mb=memory_mb, benchmark=not no_bench, sandbox=not unsandboxed)
    with click.progressbar(length=len(files), label=f"Grading {len(files)} attempts",
                           file=sys.stderr, show_pos=True) as bar:
        results = batch.grade_files(kata, files, jobs, limits,
                                    on_graded=lambda _graded: bar.update(1))
    if as_json:
        click.echo(json.dumps(grade_report.to_json(kata, results), indent=2))
    elif as_csv:
        click.echo(grade_report.to_csv(results), nl=False)
    else:
        click.echo(grade_report.text_table(kata, results))
    if html_file is not None:
        _write(html_file, grade_report.html_report(kata, results, time.strftime("%Y-%m-%d %H:%M")))
        click.echo(f"Wrote {html_file}", err=True)
    sys.exit(0)
