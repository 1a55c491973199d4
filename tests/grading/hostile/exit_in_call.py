"""Calls sys.exit(0) inside flatten.

Verdict: not passed
Reason: SystemExit
"""


def flatten(data, sep="."):
    raise SystemExit(0)


def unflatten(data, sep="."):
    return {}
