"""Lets a later path silently overwrite an earlier one with the same flat key.

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
            elif isinstance(value, list) and value:
                walk(dict(enumerate(value)), path)
            else:
                result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
