"""The `kata` command group: every command, gathered from one module per audience."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from pathlib import Path

import click

from harness.cli import authoring, interview, learning, practice


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kata")
@click.option("--katas", "kata_dirs", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Also use the katas in this folder (like KATA_PATH; may repeat).")
def main(kata_dirs: tuple[Path, ...]) -> None:
    """Practise Python live-coding interview tasks, graded stage by stage.

    \b
    kata list               the katas and where you stand
    kata start flatten      write the stub and read the first prompt
    kata check              grade your attempt
    """
    if kata_dirs:
        # Through the environment, so the grading child sees the same katas.
        extra = [str(d.resolve()) for d in kata_dirs]
        os.environ["KATA_PATH"] = os.pathsep.join([os.environ.get("KATA_PATH", ""), *extra])


for command in (practice.list_command, practice.start, practice.check, practice.watch,
                practice.stats, practice.plan, practice.prompt, practice.hint,
                practice.solution, practice.reset, learning.history, learning.solutions,
                learning.review,
                interview.interview, interview.grade,
                authoring.new, authoring.validate):
    main.add_command(command)


def run() -> None:
    """The `kata` entry point: Ctrl-C exits with status 130, as shells expect, never 1
    (which means "not passed")."""
    try:
        _run()
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)


def _run() -> None:
    from harness.cli.options import ExitStatus

    try:
        main.main(prog_name="kata", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            click.echo("Interrupted.", err=True)
            sys.exit(ExitStatus.INTERRUPTED)
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


def _exit_now(code: object) -> None:
    """Exit once the output is written, without tearing the interpreter down: that takes
    about 10 ms (a few percent of a check) and does nothing kata needs, since every
    file and database it opened is closed by then. With a thread still running, or a
    message for an exit status, Python's own exit goes ahead."""
    if threading.active_count() > 1 or not (code is None or isinstance(code, int)):
        raise SystemExit(code)
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe, say: nothing more can be written anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code or 0)
