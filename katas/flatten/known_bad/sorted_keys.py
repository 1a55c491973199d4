"""Sorts the keys of every mapping "for a stable output" instead of keeping their order.

Caught by: stage 1
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}

    def walk(node, prefix):
        for key in sorted(node, key=str):
            value = node[key]
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
            elif isinstance(value, list) and value:
                walk(dict(enumerate(value)), path)
            elif path in result:
                raise ValueError(f"collision on {path}")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
