"""Correct, but copies the whole result dict for every leaf it adds: quadratic."""

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
            if isinstance(value, (Mapping, list)) and value:
                pairs = value.items() if isinstance(value, Mapping) else enumerate(value)
                stack.append((path + sep, iter(pairs)))
                break
            if path in result:
                raise ValueError(f"collision on {path}")
            result = {**result, path: value}
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("empty sep")
    result = {}
    built = {id(result)}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            if part not in node:
                node[part] = {}
                built.add(id(node[part]))
            elif id(node[part]) not in built:
                raise ValueError(f"{key} crosses a leaf")
            node = node[part]
        if last in node:
            raise ValueError(f"{key} is both a leaf and a branch")
        node[last] = value
    return result
