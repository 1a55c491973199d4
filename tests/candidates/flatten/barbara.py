"""unflatten lets later keys overwrite: {"a": 1, "a.b": 2} silently replaces the leaf.

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
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = value
    return result
