"""What every click module of kata shares."""

from __future__ import annotations

import enum
import functools
import sys

import click

from harness.errors import UsageError


class ExitStatus(enum.IntEnum):
    """kata's exit statuses, as the README documents them."""

    PASSED = 0  # the check passed, or the command did its work
    NOT_PASSED = 1  # the attempt did not pass (for any reason that lies in the attempt)
    USAGE = 2  # a usage error: unknown kata, missing file, bad option
    INTERRUPTED = 130  # Ctrl-C


class Seconds(click.ParamType):
    """A finite number of seconds within bounds (no inf, no nan)."""

    name = "seconds"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (self.low <= number <= self.high):  # also false for nan
            self.fail(f"{value!r} is not in the range {self.low:g} to {self.high:g} seconds",
                      param, ctx)
        return number


def limit_options(command, *, output: bool = True):
    """--timeout, --wall-timeout, --memory-mb (and --output-chars, --output-mb): every
    default and bound comes from grading/limits.py."""
    from harness.grading import limits as bounds

    d = bounds.Limits()
    options = [
        click.option("--timeout", "test_timeout", type=Seconds(0.1, bounds.MAX_TEST_TIMEOUT_S),
                     default=d.test_timeout_s, show_default=True,
                     help="Seconds one test may take."),
        click.option("--wall-timeout", type=Seconds(1, bounds.MAX_WALL_TIMEOUT_S),
                     default=d.wall_timeout_s, show_default=True,
                     help="Seconds one check may take; then the grader is killed."),
        click.option("--memory-mb", type=click.IntRange(256, bounds.MAX_MEMORY_MB),
                     default=d.memory_mb, show_default=True,
                     help="Address-space limit of each grading process."),
    ]
    if output:
        options += [
            click.option("--output-chars", type=click.IntRange(0, 100_000),
                         default=d.output_chars, show_default=True,
                         help="Characters of the attempt's output kept per failing test."),
            click.option("--output-mb", type=click.IntRange(1, bounds.MAX_OUTPUT_MB),
                         default=d.output_mb, show_default=True,
                         help="Largest output the attempt may write; past it the check stops."),
        ]
    for option in reversed(options):
        command = option(command)
    return command


def usage_errors(command):
    """Turn UsageError into a message on stderr and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UsageError as exc:
            click.echo(f"kata: {exc}", err=True)
            sys.exit(ExitStatus.USAGE)

    return wrapper


def sandbox_notice() -> None:
    """One line on stderr when checks cannot be sandboxed on this machine."""
    from harness.grading import sandbox

    found = sandbox.available()
    if not found.ok:
        click.echo(f"kata: no sandbox on this machine ({found.reason}); the attempt runs "
                   "with your own rights.", err=True)
