"""Asks for input(), which must fail at once instead of hanging.

Verdict: not passed
Reason: reading from stdin
"""


def flatten(data, sep="."):
    return {"answer": input("key? ")}


def unflatten(data, sep="."):
    return {}
