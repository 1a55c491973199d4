"""Turns digit segments into int keys ("0" becomes 0) in unflatten.

Caught by: stage 4
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
            if isinstance(value, (Mapping, list)) and value:
                pairs = value.items() if isinstance(value, Mapping) else enumerate(value)
                stack.append((path + sep, iter(pairs)))
                break
            if path in result:
                raise ValueError(f"collision on {path}")
            result[path] = value
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("empty sep")
    result = {}
    for key, value in data.items():
        parts = [int(p) if p.isdigit() else p for p in key.split(sep)]
        node = result
        for part in parts[:-1]:
            if part in node and not isinstance(node[part], dict):
                raise ValueError(f"{key} crosses a leaf")
            node = node.setdefault(part, {})
        if parts[-1] in node:
            raise ValueError(f"{key} is a branch")
        node[parts[-1]] = value
    return result
