"""Handles nested mappings only: lists of dicts stay as leaves.

Caught by: stage 3
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
            elif path in result:
                raise ValueError(f"collision on {path}")
            else:
                result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
