"""The candidate's commands: list, start, check, watch, stats, plan, prompt, hint, solution,
reset. A thin layer: parse, call harness.practice, print."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from pathlib import Path

import click

from harness.cli.options import ExitStatus, limit_options, sandbox_notice, usage_errors
from harness.errors import UsageError


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@usage_errors
def list_command(as_json: bool) -> None:
    """Every kata with its level, time box, topics and your status."""
    from harness.practice import session as practice

    rows = practice.list_katas()
    if as_json:
        click.echo(json.dumps([{
            "slug": r.kata.slug, "title": r.kata.title, "level": r.kata.level,
            "minutes": r.kata.minutes, "topics": list(r.kata.topics),
            "status": r.status, "stages_passed": r.stages_passed, "stages": len(r.kata.stages),
        } for r in rows], indent=2))
        return
    for r in rows:
        progress = (f"{r.status} ({r.stages_passed}/{len(r.kata.stages)})" if r.status != "new"
                    else "new")
        click.echo(f"{r.kata.slug:<14} {r.kata.title:<42} {r.kata.level:<7} "
                   f"{r.kata.minutes:>3} min  {progress:<14} {', '.join(r.kata.topics)}")


@click.command()
@click.argument("slug")
@click.option("--dir", "workspace", type=click.Path(file_okay=False, path_type=Path),
              default=".", help="Workspace directory (default: the current one).")
@usage_errors
def start(slug: str, workspace: Path) -> None:
    """Write the stub of SLUG into the workspace and show the first prompt.

    An existing attempt is never overwritten: it continues.
    """
    from harness.practice import session as practice
    from harness.report import terminal as render

    started = practice.start(slug, workspace)
    kata = started.kata
    stage = kata.stage(1)
    if started.created:
        click.echo(f"Wrote {started.path}")
    else:
        click.echo(f"{started.path} already exists: your attempt continues (nothing overwritten).")
        # Where the attempt stands: the prompt of the stage it is on, not stage 1 again.
        stage = practice.reached_stages(slug, started.path.parent)[1][-1]
        if practice.has_passed(slug):
            click.echo(f"You have passed {slug}. For a timed re-run from a fresh stub: "
                       f"kata reset {slug}")
    click.echo("")
    click.echo(render.stage_prompt(kata, stage))
    click.echo("")
    click.echo(f"Edit {kata.file}, then run: kata check   (kata hint {slug} if you are stuck)")


@click.command()
@click.argument("slug", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="The attempt to grade (default: the kata's file in this directory).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@limit_options
@click.option("--no-bench", is_flag=True,
              help="Skip timing a fully passing attempt against the reference.")
@click.option("--blind", is_flag=True,
              help="Candidate-facing: stage verdicts and counts only, no hidden test details.")
@click.option("--all-stages", is_flag=True,
              help="Grade every stage, not only up to the first that fails (as --blind and "
                   "kata grade do).")
@usage_errors
def check(slug: str | None, file: Path | None, as_json: bool, test_timeout: float,
          wall_timeout: float, memory_mb: int, output_chars: int, output_mb: int,
          no_bench: bool, blind: bool, all_stages: bool) -> None:
    """Grade an attempt against the kata's hidden suite, stage by stage.

    Without SLUG: the kata last started in this directory. The stages run in
    order and the check stops after the first that fails: the later ones are
    locked (--all-stages grades them all). Exit status: 0 passed, 1 not
    passed, 2 usage error, 130 interrupted.

    The attempt runs in a child process with stdin closed, in a fresh
    directory, under the limits below; after two tests time out the run stops
    early, and a test that cannot be interrupted ends the run 2 s past its limit.
    """
    from harness.grading import sandbox

    sandbox.probe_ahead()  # it runs while the rest is imported
    from harness.grading.runner import Limits
    from harness.practice import session as practice

    kata, path = practice.resolve_target(slug, file, Path.cwd())
    sandbox_notice()
    limits = Limits(test_timeout_s=test_timeout, wall_timeout_s=wall_timeout,
                    memory_mb=memory_mb, output_chars=output_chars, output_mb=output_mb,
                    benchmark=not no_bench, all_stages=all_stages or blind)
    report, record = practice.check(kata, path, limits, practice=not blind)
    from harness.report import terminal as render
    from harness.report.check_document import blind_document, check_document

    if as_json:
        document = (blind_document if blind else check_document)(report, record)
        click.echo(json.dumps(document, indent=2))
    else:
        click.echo(render.check_report(kata, report, record, blind=blind))
    sys.exit(ExitStatus.PASSED if report.passed else ExitStatus.NOT_PASSED)


@click.command()
@click.argument("slug", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="The attempt to watch (default: the kata's file in this directory).")
@click.option("--json", "as_json", is_flag=True,
              help="Print each report as one JSON document per line.")
@click.option("--no-bench", is_flag=True,
              help="Skip timing a fully passing attempt against the reference (~0.2 s a save).")
@click.option("--all-stages", is_flag=True,
              help="Grade every stage, not only up to the first that fails.")
@usage_errors
def watch(slug: str | None, file: Path | None, as_json: bool, no_bench: bool,
          all_stages: bool) -> None:
    """Grade the attempt now and again on every save, until Ctrl-C.

    Each check is as isolated as `kata check` (same limits and report) but runs
    in a pre-loaded grader, so the verdict comes faster.
    """
    from harness.grading.runner import Limits
    from harness.practice import session as practice
    from harness.practice import watch as watching
    from harness.report import terminal as render

    kata, path = practice.resolve_target(slug, file, Path.cwd())
    sandbox_notice()

    from harness.report.check_document import check_document

    def show(report, record, timing: bool = False) -> None:
        if as_json:
            click.echo(json.dumps(check_document(report, record)))
        else:
            click.clear()
            click.echo(render.check_report(kata, report, record))
            if timing:
                click.echo(render.TIMING_NOW)
            else:
                click.echo(f"\nWatching {path.name}: save to grade again, Ctrl-C to stop.")

    if not as_json:
        click.echo(f"Watching {path} (Ctrl-C to stop)…")
    with contextlib.suppress(KeyboardInterrupt):
        watching.watch(kata, path, Limits(benchmark=not no_bench, all_stages=all_stages), show,
                       on_grading=None if as_json else lambda: click.echo("Grading…"),
                       on_stage=None if as_json else lambda number, passed: click.echo(
                           render.stage_progress(kata, number, passed)),
                       # The verdict at once; its timing replaces it a moment later.
                       on_verdict=None if as_json else functools.partial(show, timing=True),
                       on_missing=lambda: click.echo(
                           f"{path.name} is gone (deleted or renamed): waiting for it to "
                           "come back. Ctrl-C to stop.", err=as_json))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@usage_errors
def stats(as_json: bool) -> None:
    """Where you stand: per kata and readiness by topic.

    \b
    Readiness of a kata, 0 to 100:
      not started: 0; started: 20 per stage passed (at most 60);
      passed: 70 + 30 x min(1, time box / best time to pass).
    A topic's readiness is the mean over every kata with that topic
    (katas not started count 0). The weakest topic is the lowest.
    """
    from harness.practice import progress
    from harness.practice import session as practice
    from harness.report import terminal as render

    document = progress.stats_document(practice.all_progress())
    click.echo(json.dumps(document, indent=2) if as_json else render.stats(document))


@click.command()
@click.option("--days", type=click.IntRange(1, 60), default=7, show_default=True)
@click.option("--topic", help="Focus on this topic instead of the weakest.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@usage_errors
def plan(days: int, topic: str | None, as_json: bool) -> None:
    """A focused practice plan on your weakest topic: katas, stages, target times."""
    from harness.practice import progress
    from harness.practice import session as practice
    from harness.report import terminal as render

    document = progress.practice_plan(practice.all_progress(), days, topic)
    if topic and document["readiness"] is None:
        raise UsageError(f"no kata has the topic {topic!r}")
    click.echo(json.dumps(document, indent=2) if as_json else render.plan(document))


@click.command()
@click.argument("slug", required=False)
@click.option("--all", "show_all", is_flag=True, help="Every stage, even those not reached.")
@usage_errors
def prompt(slug: str, show_all: bool) -> None:
    """The prompts of the stages you have reached so far (SLUG: default, the kata last
    started here)."""
    from harness.practice import session as practice
    from harness.report import terminal as render

    kata, stages = practice.reached_stages(practice.started_slug(slug, Path.cwd()), Path.cwd())
    shown = kata.stages if show_all else stages
    click.echo(f"{kata.title} ({kata.level}, {kata.minutes} min), file {kata.file}\n")
    click.echo("\n\n".join(render.stage_prompt(kata, s) for s in shown))


@click.command()
@click.argument("slug", required=False)
@usage_errors
def hint(slug: str) -> None:
    """The next hint for the stage you are on (each call reveals one more; SLUG: default,
    the kata last started here)."""
    from harness.practice import session as practice
    from harness.report import terminal as render

    slug = practice.started_slug(slug, Path.cwd())
    found = practice.next_hint(slug, Path.cwd())
    click.echo(f"Hint {found.number}/{len(found.stage.hints)} for stage "
               f"{found.stage.number} ({found.stage.title}):")
    click.echo(render.wrap(found.text, "  "))
    if found.exhausted:
        click.echo(f"That was the last hint for stage {found.stage.number}: there are no more. "
                   f"`kata solution {slug}` shows the reference (it asks first).")


@click.command()
@click.argument("slug", required=False)
@click.option("--yes", is_flag=True, help="Show it without asking.")
@usage_errors
def solution(slug: str, yes: bool) -> None:
    """The reference solution. Asks first unless you passed the kata."""
    from harness.practice import session as practice

    slug = practice.started_slug(slug, Path.cwd())
    _kata, text, passed = practice.solution(slug)
    if not (passed or yes):
        click.confirm(f"You have not passed {slug} yet. Show the reference solution?",
                      abort=True, err=True)
    click.echo(text, nl=False)


@click.command()
@click.argument("slug", required=False)
@click.option("--dir", "workspace", type=click.Path(file_okay=False, path_type=Path),
              default=".", help="Workspace directory (default: the current one).")
@usage_errors
def reset(slug: str, workspace: Path) -> None:
    """Start SLUG afresh: the old attempt is moved to a backup, never deleted."""
    from harness.practice import session as practice

    done = practice.reset(practice.started_slug(slug, workspace), workspace)
    if done.backup:
        click.echo(f"Moved your attempt to {done.backup}")
    click.echo(f"Wrote a fresh stub to {done.path}; the clock starts again at your first "
               "change to it.")
