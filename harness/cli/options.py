"""What every click module of kata shares."""

from __future__ import annotations

import functools
import sys

import click

from harness.errors import UsageError

EXIT_PASSED, EXIT_NOT_PASSED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def usage_errors(command):
    """Turn UsageError into a message on stderr and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UsageError as exc:
            click.echo(f"kata: {exc}", err=True)
            sys.exit(EXIT_USAGE)

    return wrapper


def sandbox_notice() -> None:
    """One line on stderr when checks cannot be sandboxed on this machine."""
    from harness.grading import sandbox

    found = sandbox.available()
    if not found.ok:
        click.echo(f"kata: no sandbox on this machine ({found.reason}); the attempt runs "
                   "with your own rights.", err=True)
