"""Loops forever and swallows every exception, BaseException included.

Verdict: not passed
Reason: could not be interrupted
"""


def flatten(data, sep="."):
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass


def unflatten(data, sep="."):
    return {}
