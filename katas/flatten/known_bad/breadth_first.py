"""Walks with a FIFO queue: breadth-first, so keys come out level by level.

Caught by: stage 1
"""

from collections import deque
from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}
    queue = deque([("", data)])
    while queue:
        prefix, node = queue.popleft()
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                queue.append((path, value))
            elif path in result:
                raise ValueError(f"collision on {path}")
            else:
                result[path] = value
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
