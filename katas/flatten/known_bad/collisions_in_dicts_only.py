"""Checks collisions only for values of plain dicts (and dict subclasses): a leaf inside a
MappingProxyType or another Mapping that is not a dict is written straight into the
result, so `{"k": MappingProxyType({1: "x"}), "k.1": "y"}` silently overwrites "k.1".

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(data.items()), data)]
    while stack:
        prefix, pairs, parent = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((path + sep, iter(value.items()), value))
                break
            if isinstance(value, list) and value:
                stack.append((path + sep, iter(enumerate(value)), {}))
                break
            if isinstance(parent, dict) and path in result:
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
