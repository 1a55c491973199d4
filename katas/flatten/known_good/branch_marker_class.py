"""Paths kept as tuples of str segments and joined at the leaves; a helper tells what to
descend into. unflatten marks its own branches with a private dict subclass (so a dict
value met on a path is a leaf), then turns them into plain dicts with a stack."""

import collections.abc


class _Branch(dict):
    """A dict that unflatten built itself."""


def flatten(data, sep="."):
    if not isinstance(data, collections.abc.Mapping):
        raise TypeError("flatten() needs a Mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    flat = {}
    todo = [((), data)]
    while todo:
        path, node = todo.pop()
        entries = list(enumerate(node)) if isinstance(node, list) else list(node.items())
        # push in reverse so the first child is handled first (depth-first order)
        for key, value in reversed(entries):
            here = (*path, str(key))
            if isinstance(value, (collections.abc.Mapping, list)) and len(value) > 0:
                todo.append((here, value))
            else:
                todo.append((here, _Leaf(value)))
        while todo and isinstance(todo[-1][1], _Leaf):
            here, leaf = todo.pop()
            key = sep.join(here)
            if key in flat:
                raise ValueError(f"flat key {key!r} comes from two paths")
            flat[key] = leaf.value
    return flat


class _Leaf:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("sep must not be empty")
    root = _Branch()
    for key, value in data.items():
        segments = key.split(sep)
        node = root
        for segment in segments[:-1]:
            child = node.get(segment, None)
            if child is None and segment not in node:
                child = node[segment] = _Branch()
            elif type(child) is not _Branch:
                raise ValueError(f"{key!r}: {segment!r} is already a leaf")
            node = child
        if segments[-1] in node:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        node[segments[-1]] = value
    # Turn every _Branch into a plain dict, without recursion.
    result = {}
    todo = [(root, result)]
    while todo:
        source, target = todo.pop()
        for key, value in source.items():
            if type(value) is _Branch:
                target[key] = {}
                todo.append((value, target[key]))
            else:
                target[key] = value
    return result
