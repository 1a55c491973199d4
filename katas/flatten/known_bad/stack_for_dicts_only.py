"""Uses an explicit stack for mappings, but a list's items are flattened by a recursive
helper that calls itself for a list inside a list: lists of lists 10,000 deep hit
RecursionError.

Caught by: stage 4
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}

    def store(path, value):
        if path in result:
            raise ValueError(f"two paths give the flat key {path!r}")
        result[path] = value

    def items_of_list(items, prefix):
        # (path, value) pairs for a list's items; lists inside are opened here too.
        pairs = []
        for index, item in enumerate(items):
            path = f"{prefix}{sep}{index}"
            if isinstance(item, list) and item:
                pairs.extend(items_of_list(item, path))
            else:
                pairs.append((path, item))
        return pairs

    stack = [iter([(str(k), v) for k, v in data.items()])]
    while stack:
        for path, value in stack[-1]:
            if isinstance(value, Mapping) and value:
                stack.append(iter([(f"{path}{sep}{k}", v) for k, v in value.items()]))
                break
            if isinstance(value, list) and value:
                stack.append(iter(items_of_list(value, path)))
                break
            store(path, value)
        else:
            stack.pop()
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
