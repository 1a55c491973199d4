"""Commands for kata authors: `kata new` and `kata validate`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from harness.cli.options import usage_errors


@click.command()
@click.argument("slug")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Where to create the kata folder (default: the current directory).")
def new(slug: str, parent: Path) -> None:
    """Scaffold a complete kata folder SLUG to fill in.

    `kata validate SLUG` reports it incomplete until every TODO is gone. Make it
    visible to every command with KATA_PATH=DIR or `kata --katas DIR ...`.
    """
    from harness import catalog
    from harness.authoring import scaffold

    if any(k.slug == slug for k in catalog.all_katas()):
        click.echo(f"kata: a kata named {slug!r} already exists; choose another name "
                   "(a new one would shadow it and take over its history)", err=True)
        sys.exit(2)
    try:
        folder = scaffold.scaffold(slug, parent.resolve())
    except (ValueError, FileExistsError) as exc:
        click.echo(f"kata: {exc}", err=True)
        sys.exit(2)
    click.echo(f"Wrote {folder}: kata.toml, stub.py, solution.py, suite/, known_bad/, "
               "known_good/.")
    click.echo(f"Fill in every TODO, then: kata --katas {folder.parent} validate {slug}")


@click.command()
@click.argument("slug", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--mutate", is_flag=True,
              help="Also grade mutants of the reference and report the kill rate.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Attempts graded at once.")
@click.option("--write-durations", is_flag=True,
              help="First record each test's time on the reference in suite/durations.json "
                   "(the grader's workers split the tests by it).")
@usage_errors
def validate(slug: str | None, as_json: bool, mutate: bool, jobs: int,
             write_durations: bool) -> None:
    """Prove katas sound: metadata, stub, reference, known-bad and known-good attempts,
    determinism and speed; with --mutate, the share of the reference's mutants the
    suite kills (95% needed). Exit 0 only when every kata checked is valid."""
    from harness import catalog
    from harness.authoring import validate as validating
    from harness.practice import session as practice

    if mutate:
        try:
            import cosmic_ray  # noqa: F401
        except ImportError:
            click.echo("kata: --mutate needs Cosmic Ray: pip install 'kata[mutate]'", err=True)
            sys.exit(2)
    katas = [practice.get_kata(slug)] if slug else catalog.all_katas()  # may raise UsageError
    results = []
    for kata in katas:
        if write_durations:
            written = validating.write_durations(kata)
            click.echo(f"{kata.slug}: wrote {written}", err=as_json)
        result = validating.validate(kata, jobs=jobs, mutate=mutate,
                                     progress=None if as_json else _progress(kata.slug))
        results.append(result)
        if not as_json:
            click.echo(_line(result), err=False)
    if as_json:
        click.echo(json.dumps({"katas": [r.to_dict() for r in results]}, indent=2))
    sys.exit(0 if all(r.valid for r in results) else 1)


def _progress(slug: str):
    """A line on stderr that counts the attempts graded, redrawn in place on a terminal;
    nothing elsewhere (a log should not fill with it)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        bar = "#" * (width * done // total) + "-" * (width - width * done // total)
        click.echo(f"\r{slug:<14} [{bar}] {done}/{total} attempts graded", nl=False, err=True)
        if done == total:  # the result line takes its place
            click.echo("\r" + " " * 75 + "\r", nl=False, err=True)

    return show


def _line(result) -> str:
    mark = click.style("valid", fg="green") if result.valid else click.style("INVALID", fg="red")
    bad, good = result.known_bad, result.known_good
    text = (f"{result.slug:<14} {mark}  known-bad rejected {bad['rejected']}/{bad['total']}, "
            f"known-good passed {good['passed']}/{good['total']}, "
            f"suite on the reference {result.reference_tests_s} s")
    if result.mutation:
        m = result.mutation
        rate = m["killed"] / m["total"] if m["total"] else 1.0
        text += (f", mutants killed {m['killed']}/{m['total']} ({rate:.0%}; "
                 f"{m['equivalent']} equivalent left out)")
        for survivor in m["survivors"]:
            text += (f"\n    survivor, line {survivor['line']}: {survivor['original']}  ->  "
                     f"{survivor['mutant']}   [{survivor['operator']}]")
    for problem in result.problems:
        text += f"\n    - {problem}"
    only_mutants = [line for line in result.silent_failures if line not in result.problems]
    if only_mutants:
        text += (f"\n    {len(only_mutants)} tests fail a mutant without showing the input "
                 "and what the attempt did:")
        text += "".join(f"\n    ~ {line}" for line in only_mutants)
    return text
