"""Descends three mappings deep, then stops: a non-empty mapping at the fourth level of the
path (`{"a": {"b": {"c": {"d": 1}}}}`) is stored as a leaf under "a.b.c" instead of being
flattened to "a.b.c.d" (a depth counter meant as a guard against endless nesting).

Caught by: stage 1
"""

from collections.abc import Mapping

MAX_LEVELS = 3


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", 1, iter(data.items()))]
    while stack:
        prefix, level, pairs = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if level < MAX_LEVELS and isinstance(value, Mapping) and value:
                stack.append((path + sep, level + 1, iter(value.items())))
                break
            if level < MAX_LEVELS and isinstance(value, list) and value:
                stack.append((path + sep, level + 1, iter(enumerate(value))))
                break
            if path in result:
                raise ValueError(f"two paths give the flat key {path!r}")
            result[path] = value
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    branches = {id(result)}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            if part not in node:
                node[part] = {}
                branches.add(id(node[part]))
            elif id(node[part]) not in branches:
                raise ValueError(f"key {key!r} goes through the leaf {part!r}")
            node = node[part]
        if last in node:
            raise ValueError(f"key {key!r} is both a leaf and a branch")
        node[last] = value
    return result
