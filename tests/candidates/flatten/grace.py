"""Explicit stack of (path, value) pairs, children pushed in reverse to keep depth-first order."""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not sep:
        raise ValueError("empty separator")
    if not isinstance(data, Mapping):
        raise TypeError(f"expected a mapping, got {type(data).__name__}")
    flat = {}
    stack = [(str(k), v) for k, v in reversed(list(data.items()))]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping) and value:
            children = [(f"{path}{sep}{k}", v) for k, v in value.items()]
        elif isinstance(value, list) and value:
            children = [(f"{path}{sep}{i}", v) for i, v in enumerate(value)]
        else:
            if path in flat:
                raise ValueError(f"collision: {path}")
            flat[path] = value
            continue
        stack.extend(reversed(children))
    return flat


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("empty separator")
    tree = {}
    branches = {id(tree)}
    for key, value in data.items():
        parts = key.split(sep)
        node = tree
        for part in parts[:-1]:
            nxt = node.get(part)
            if nxt is None and part not in node:
                nxt = node[part] = {}
                branches.add(id(nxt))
            elif id(nxt) not in branches:
                raise ValueError(f"{key}: {part} is a leaf")
            node = nxt
        if parts[-1] in node:
            raise ValueError(f"{key} is a branch already")
        node[parts[-1]] = value
    return tree
