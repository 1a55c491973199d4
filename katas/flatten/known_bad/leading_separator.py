"""Always joins prefix + sep + key, so top-level keys come out as ".a", ".b.c".

Caught by: stage 1
"""

from collections.abc import Mapping


def flatten(data, sep=".", prefix=""):
    result = {}
    for key, value in data.items():
        path = prefix + sep + str(key)
        if isinstance(value, Mapping) and value:
            result.update(flatten(value, sep, path))
        else:
            result[path] = value
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
