"""Handles a list, and a list inside a list, but a list three lists deep is stored whole
as a leaf: `{"a": [[[1]]]}` gives {"a.0.0": [1]} instead of {"a.0.0.0": 1}. (The walk
counts how many lists it is inside and stops at two, as if deeper ones were data.)

Caught by: stage 3
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(data.items()), 0)]
    while stack:
        prefix, pairs, lists = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((path + sep, iter(value.items()), 0))
                break
            if isinstance(value, list) and value and lists < 2:
                stack.append((path + sep, iter(enumerate(value)), lists + 1))
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
