"""Recursive flatten and unflatten, with the recursion limit raised for deep data."""

import sys
from collections.abc import Mapping

sys.setrecursionlimit(100_000)


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("flatten() expects a mapping")
    if sep == "":
        raise ValueError("sep must not be empty")
    out = {}
    _walk(data.items(), None, sep, out)
    return out


def _walk(pairs, prefix, sep, out):
    for key, value in pairs:
        path = str(key) if prefix is None else prefix + sep + str(key)
        if isinstance(value, Mapping) and len(value) > 0:
            _walk(value.items(), path, sep, out)
        elif (type(value) is list and value) or (isinstance(value, list) and value):
            _walk(enumerate(value), path, sep, out)
        elif path in out:
            raise ValueError("duplicate flat key: " + path)
        else:
            out[path] = value


def unflatten(data, sep="."):
    if sep == "":
        raise ValueError("sep must not be empty")
    root = {}
    mine = {id(root)}
    for key, value in data.items():
        _place(root, key.split(sep), value, mine)
    return root


def _place(node, parts, value, mine):
    first, rest = parts[0], parts[1:]
    if not rest:
        if first in node:
            raise ValueError(f"{first!r} is both a leaf and a branch")
        node[first] = value
        return
    if first not in node:
        child = {}
        mine.add(id(child))
        node[first] = child
    elif id(node[first]) not in mine:
        raise ValueError(f"{first!r} is both a leaf and a branch")
    _place(node[first], rest, value, mine)
