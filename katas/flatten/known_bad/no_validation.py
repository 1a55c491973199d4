"""Correct walk, but never validates: an empty sep and a non-mapping input are not rejected.

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    result = {}

    def walk(node, prefix):
        items = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in items:
            path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
            if isinstance(value, (Mapping, list)) and value:
                walk(value, path)
            elif path in result:
                raise ValueError(f"collision on {path}")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
