"""The candidate's commands for learning from a session: history (iterations, diffs, a
replay page), solutions (the other ways to solve it) and review (what interviewers listen
for). A thin layer: parse, call harness.practice, print."""

from __future__ import annotations

import json
from pathlib import Path

import click

from harness.cli.options import usage_errors
from harness.errors import UsageError


def _split_history_arguments(words: tuple[str, ...]) -> tuple[str | None, list[int]]:
    """`kata history [SLUG] [--diff N [M]]`: the slug, and any bare numbers after it."""
    slug, numbers = None, []
    for word in words:
        if word.isdigit():
            numbers.append(int(word))
        elif slug is None and not numbers:
            slug = word
        else:
            raise UsageError(f"unexpected argument {word!r}: kata history [SLUG] "
                             "[--show N | --diff N [M] | --html FILE | --forget]")
    return slug, numbers


@click.command()
@click.argument("words", nargs=-1, metavar="[SLUG]")
@click.option("--show", "show", type=click.IntRange(1), metavar="N",
              help="Print the source of iteration N.")
@click.option("--diff", "diff", type=click.IntRange(0), metavar="N [M]",
              help="A unified diff: iteration N against the one before it (0: the stub), "
                   "or, with M, N against M.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a self-contained replay page of the session to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--forget", is_flag=True,
              help="Delete the stored sources of SLUG's checks (results are kept).")
@usage_errors
def history(words: tuple[str, ...], show: int | None, diff: int | None,
            html_file: Path | None, as_json: bool, forget: bool) -> None:
    """The iterations of your latest session of SLUG: each check of a changed file, with
    the time since start, stages and tests passed, and lines changed.

    \b
    kata history flatten             the list
    kata history flatten --show 3    iteration 3's source
    kata history flatten --diff 3    what changed from iteration 2 to 3
    kata history flatten --diff 1 4  from iteration 1 to 4
    kata history flatten --html replay.html

    Sources are stored in the history database under KATA_HOME and never leave it.
    """
    from harness.practice import session as practice
    from harness.report import history_text

    slug, numbers = _split_history_arguments(words)
    if numbers and diff is None:
        raise UsageError("a bare number goes with --diff N [M]; to print one, --show N")
    if len(numbers) > 1:
        raise UsageError("--diff takes at most two iterations: --diff N [M]")
    chosen = sum(x is not None and x is not False for x in (show, diff, html_file, forget))
    if chosen > 1:
        raise UsageError("choose one of --show, --diff, --html and --forget")
    if forget:
        slug = practice.started_slug(slug, Path.cwd())
        deleted = practice.forget_sources(slug)
        if as_json:
            click.echo(json.dumps({"kata": slug, "sources_deleted": deleted}))
        else:
            click.echo(f"Deleted {deleted} stored source{'s' * (deleted != 1)} of {slug}; "
                       "the results of its checks are kept.")
        return
    session = practice.practice_session(slug, Path.cwd())
    if show is not None:
        iteration = session.iteration(show)
        text = session.source_of(show)
        if as_json:
            click.echo(json.dumps({"kata": session.kata.slug,
                                   **iteration.to_dict(with_source=True)}, indent=2))
        else:
            click.echo(history_text.one(session, show), nl=not text.endswith("\n"))
        return
    if diff is not None:
        old, new = (diff - 1, diff) if not numbers else (diff, numbers[0])
        if not numbers and diff == 0:
            raise UsageError("--diff 0 needs a second iteration: --diff 0 M")
        text = session.diff(old, new)
        if as_json:
            click.echo(json.dumps({"kata": session.kata.slug, "from": old, "to": new,
                                   "diff": text}, indent=2))
        else:
            click.echo(history_text.diff(text))
        return
    if html_file is not None:
        from harness.report.replay_page import replay_page

        try:
            html_file.write_text(replay_page(session), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {html_file}: {exc.strerror}") from None
        if as_json:
            click.echo(json.dumps({"kata": session.kata.slug, "html": str(html_file)}))
        else:
            click.echo(f"Wrote the replay of {len(session.iterations)} iterations to "
                       f"{html_file}")
        return
    if as_json:
        click.echo(json.dumps(session.to_dict(), indent=2))
    else:
        click.echo(history_text.iterations(session))


def _ask_before_a_pass(slug: str, what: str, yes: bool) -> None:
    from harness.practice import session as practice

    if yes or practice.has_passed(slug):
        return
    click.confirm(f"You have not passed {slug} yet, and {what} give the answers away. "
                  "Show them anyway?", abort=True, err=True)


@click.command()
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--no-code", is_flag=True, help="The notes and timings only, not the code.")
@click.option("--no-bench", is_flag=True, help="Do not time the solutions.")
@click.option("--yes", is_flag=True, help="Do not ask first when you have not passed.")
@usage_errors
def solutions(slug: str | None, as_json: bool, no_code: bool, no_bench: bool,
              yes: bool) -> None:
    """The other ways to solve SLUG, once you have passed it: the reference and every
    known-good solution, each with its approach, trade-offs and growth, timed in one run
    against the reference next to your fastest recent passing iteration."""
    from harness.cli.options import sandbox_notice
    from harness.practice import gallery as solutions_gallery
    from harness.practice import session as practice
    from harness.report import solutions_text

    kata = practice.get_kata(practice.started_slug(slug, Path.cwd()))
    _ask_before_a_pass(kata.slug, "the other solutions", yes)
    if not no_bench:
        sandbox_notice()
        if not as_json:
            click.echo("Timing each solution against the reference…", err=True)
    shown = solutions_gallery.gallery(
        kata, None if no_bench else solutions_gallery.benchmark_with_defaults)
    if as_json:
        click.echo(json.dumps({
            "kata": kata.slug, "workload": shown.workload,
            "solutions": [s.to_dict(with_source=not no_code) for s in shown.solutions],
            "yours": shown.yours.to_dict(with_source=not no_code) if shown.yours else None,
        }, indent=2))
    else:
        click.echo(solutions_text.gallery(shown, show_code=not no_code))


@click.command()
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--yes", is_flag=True, help="Do not ask first when you have not passed.")
@usage_errors
def review(slug: str | None, as_json: bool, yes: bool) -> None:
    """What interviewers listen for in SLUG, once you have passed it: per stage the strong
    and weak signals, the clarifying questions with their answers, and the common
    mistakes, as a self-check list to go through aloud."""
    from harness.practice import session as practice
    from harness.report import solutions_text

    kata = practice.get_kata(practice.started_slug(slug, Path.cwd()))
    _ask_before_a_pass(kata.slug, "the interviewers' notes", yes)
    if as_json:
        click.echo(json.dumps({
            "kata": kata.slug,
            "questions": [{"ask": q.ask, "answer": q.answer} for q in kata.questions],
            "stages": [{"number": s.number, "title": s.title, "strong": list(s.strong),
                        "weak": list(s.weak)} for s in kata.stages],
            "mistakes": list(kata.mistakes),
        }, indent=2))
    else:
        click.echo(solutions_text.review(kata))
