"""Ends the process with os._exit(0) from inside a test.

Verdict: not passed
Reason: exited early with status 0
"""

import os


def flatten(data, sep="."):
    os._exit(0)


def unflatten(data, sep="."):
    return {}
