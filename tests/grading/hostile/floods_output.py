"""Prints without end: far more output than the file-size limit allows.

Verdict: not passed
Reason: File too large
Timeout: 20
"""

import sys


def flatten(data, sep="."):
    line = "x" * 1_000_000 + "\n"
    while True:
        sys.stdout.write(line)


def unflatten(data, sep="."):
    return {}
