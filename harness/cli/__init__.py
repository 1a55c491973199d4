"""The `kata` command line: one module per audience, thin click code only."""

from harness.cli.main import main, run

__all__ = ["main", "run"]
