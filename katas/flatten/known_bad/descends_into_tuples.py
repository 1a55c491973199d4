"""Treats every list or tuple as a container to open: tuples should be leaves.

Caught by: stage 3
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}
    stack = [("", iter(data.items()))]
    while stack:
        prefix, items = stack[-1]
        for key, value in items:
            path = f"{prefix}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((path + sep, iter(value.items())))
                break
            if isinstance(value, (list, tuple)) and value:
                stack.append((path + sep, iter(enumerate(value))))
                break
            if path in result:
                raise ValueError(f"collision on {path}")
            result[path] = value
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    result = {}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return result
