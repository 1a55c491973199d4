"""Detects collisions, but raises ValueError("duplicate key") without naming the flat key.

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}

    def walk(node, prefix):
        pairs = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in pairs:
            path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
            if isinstance(value, (Mapping, list)) and value:
                walk(value, path)
            elif path in result:
                raise ValueError("duplicate key")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
