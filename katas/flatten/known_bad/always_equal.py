"""Cheats: returns an object that claims to equal anything.

Caught by: stage 1
"""


class Anything(dict):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None


def flatten(data, sep="."):
    return Anything()


def unflatten(data, sep="."):
    return Anything()
