"""The `kata` command line: one module per audience, thin click code only."""

from harness.cli.main import main

__all__ = ["main"]
