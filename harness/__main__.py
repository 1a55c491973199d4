"""`python -m harness` runs the kata command line."""

from harness.cli import run

run()
