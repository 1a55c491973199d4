"""Writes list indices JavaScript-style, "a[0].b", instead of as path segments "a.0.b".

Caught by: stage 3
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(data.items()), False)]
    while stack:
        prefix, pairs, in_list = stack[-1]
        for key, value in pairs:
            path = f"{prefix}[{key}]" if in_list else f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                stack.append((path, iter(value.items()), False))
                break
            if isinstance(value, list) and value:
                stack.append((path, iter(enumerate(value)), True))
                break
            if path in result:
                raise ValueError(f"two paths give the flat key {path!r}")
            result[path] = value
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
