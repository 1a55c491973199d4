"""How much one check may take: the one definition of every limit and its default.

Kept apart (no imports) so that the command line can build its options from it at
start-up; `cli/options.py` turns each field into a flag.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bounds the command line accepts (a larger value is a mistake, not a wish).
MAX_TEST_TIMEOUT_S = 600.0
MAX_WALL_TIMEOUT_S = 3600.0
MAX_MEMORY_MB = 65536
MAX_OUTPUT_MB = 1024


@dataclass(frozen=True)
class Limits:
    """How much one check may take. Every limit ends in a clear verdict.
    The command line's defaults are these (see cli/options.py)."""

    test_timeout_s: float = 5.0  # per test, pytest-timeout (SIGALRM inside the child)
    wall_timeout_s: float = 60.0  # whole run, SIGKILL to the child's process group
    memory_mb: int = 2048  # address space of the child (RLIMIT_AS)
    output_mb: int = 64  # largest file the child may write, captured output included
    benchmark: bool = True  # time a fully passing attempt against the reference
    output_chars: int = 500  # attempt output kept per failing test
    sandbox: bool = True  # inside bubblewrap, where the machine can create namespaces
    # Grade every stage (interviewers, `--all-stages`), or stop after the first stage
    # that fails (practice): the later ones are locked, and nobody reads them anyway.
    all_stages: bool = True
