"""Checks collisions when storing a mapping's value, but a list's items are written
straight into the result: `{"a.0": "y", "a": ["x"]}` silently overwrites "a.0".

Caught by: stage 3
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}

    def walk_list(items, prefix):
        for index, item in enumerate(items):
            path = f"{prefix}{sep}{index}"
            if isinstance(item, Mapping) and item:
                walk(item, path)
            elif isinstance(item, list) and item:
                walk_list(item, path)
            else:
                result[path] = item

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
            elif isinstance(value, list) and value:
                walk_list(value, path)
            elif path in result:
                raise ValueError(f"two paths give the flat key {path!r}")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
