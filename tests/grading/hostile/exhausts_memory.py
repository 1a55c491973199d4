"""Asks for far more memory than the limit allows in one go.

Verdict: not passed
Reason: MemoryError
"""


def flatten(data, sep="."):
    return {"big": bytearray(64 * 1024**3)}


def unflatten(data, sep="."):
    return {}
