"""A recursive generator (`yield from`) of (flat key, leaf) pairs: tidy, but every level
of nesting is one more generator frame, so 10,000 levels hit RecursionError.

Caught by: stage 4
"""

from collections.abc import Mapping


def _leaves(node, prefix, sep):
    items = node.items() if isinstance(node, Mapping) else enumerate(node)
    for key, value in items:
        path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
        if isinstance(value, (Mapping, list)) and value:
            yield from _leaves(value, path, sep)
        else:
            yield path, value


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    for path, value in _leaves(data, None, sep):
        if path in result:
            raise ValueError(f"two paths give the flat key {path!r}")
        result[path] = value
    return result


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    made = {id(result)}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            if part not in node:
                node[part] = {}
                made.add(id(node[part]))
            elif id(node[part]) not in made:
                raise ValueError(f"{key!r} goes through a leaf")
            node = node[part]
        if last in node:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        node[last] = value
    return result
