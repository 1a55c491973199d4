"""unflatten splits with key.split(sep, 2): keys of up to three segments come out right,
but "a.b.c.d" becomes {"a": {"b": {"c.d": ...}}} instead of four levels.

Caught by: stage 4
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(data.items()))]
    while stack:
        prefix, pairs = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if isinstance(value, Mapping) and value:
                stack.append((path + sep, iter(value.items())))
                break
            if isinstance(value, list) and value:
                stack.append((path + sep, iter(enumerate(value))))
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
        *parents, last = key.split(sep, 2)
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
