"""unflatten decides "branch" with isinstance(child, dict): it writes into a dict that was a value.

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
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ValueError(f"{key} crosses the leaf {part}")
            node = child
        if last in node:
            raise ValueError(f"{key} is both a leaf and a branch")
        node[last] = value
    return result
