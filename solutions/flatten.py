"""Reference solution: flatten and unflatten nested dicts.

Both walk the data with an explicit stack instead of recursion, so nesting
depth is bounded by memory, not by the interpreter's recursion limit.
"""

from collections.abc import Mapping
from typing import Any


def flatten(data: Mapping[Any, Any], sep: str = ".") -> dict[str, Any]:
    """A new plain dict of flat keys (paths of str() keys joined by `sep`) to leaves.

    Non-empty mappings and non-empty lists (keyed by index) are descended into;
    every other value, an empty mapping or an empty list included, is a leaf,
    stored as is: the very same object. Keys come out depth-first. Two paths
    that give the same flat key raise ValueError naming it.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"flatten() needs a mapping, not {type(data).__name__}")
    if not sep:
        raise ValueError("sep must be a non-empty string")
    result: dict[str, Any] = {}
    # Each frame is (prefix, iterator over (key, value) pairs); popping the
    # newest frame first gives depth-first order.
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


def unflatten(data: Mapping[str, Any], sep: str = ".") -> dict[str, Any]:
    """Nested plain dicts from flat keys split on `sep` (empty segments kept,
    digit segments stay strings); values are leaves, stored as is. A key that is
    both a leaf and a branch raises ValueError. The input is never changed.
    """
    if not sep:
        raise ValueError("sep must be a non-empty string")
    result: dict[str, Any] = {}
    # ids of the dicts built here: any other object met on a path is a leaf.
    # (They stay alive inside `result`, so no id is reused while we run.)
    branches = {id(result)}
    for key, value in data.items():
        *parents, last = key.split(sep)
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
