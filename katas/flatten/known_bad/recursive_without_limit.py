"""A clean recursive solution, with a recursive unflatten, that never thinks about depth.

Caught by: stage 4
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}

    def walk(node, prefix):
        items = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in items:
            path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
            if isinstance(value, (Mapping, list)) and value:
                walk(value, path)
            elif path in result:
                raise ValueError(f"two paths give {path!r}")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("empty sep")
    result = {}
    built = set()

    def insert(node, parts, value):
        head = parts[0]
        if len(parts) == 1:
            if head in node:
                raise ValueError("leaf and branch")
            node[head] = value
            return
        if head not in node:
            node[head] = {}
            built.add(id(node[head]))
        elif id(node[head]) not in built:
            raise ValueError("leaf and branch")
        insert(node[head], parts[1:], value)

    for key, value in data.items():
        insert(result, key.split(sep), value)
    return result
