"""Allocates and touches memory without bound, 64 MB at a time.

Verdict: not passed
Reason: ran out of time
"""


def flatten(data, sep="."):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def unflatten(data, sep="."):
    return {}
