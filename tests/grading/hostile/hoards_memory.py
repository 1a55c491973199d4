"""Allocates and touches memory without bound, 64 MB at a time.

Verdict: not passed
Reason: ran out of time | MemoryError | ran out of memory

Which one depends on the machine: touching 64 MB at a time either takes a test past its
time limit or meets the address-space limit (2048 MB) first; either way, a clear reason.
"""


def flatten(data, sep="."):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def unflatten(data, sep="."):
    return {}
