"""`python -m harness` runs the kata command line."""

from harness.cli import main

main(prog_name="kata")
