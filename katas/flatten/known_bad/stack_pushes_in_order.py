"""An explicit stack of (path, value) pairs, but each mapping's items are pushed in their
own order, so they are popped in reverse: siblings come out last-first at every level.

Caught by: stage 1
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [(str(key), value) for key, value in data.items()]
    while stack:
        path, value = stack.pop()
        if isinstance(value, Mapping) and value:
            for key, child in value.items():
                stack.append((f"{path}{sep}{key}", child))
        elif isinstance(value, list) and value:
            for index, child in enumerate(value):
                stack.append((f"{path}{sep}{index}", child))
        elif path in result:
            raise ValueError(f"two paths give the flat key {path!r}")
        else:
            result[path] = value
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
