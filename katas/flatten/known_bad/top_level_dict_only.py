"""Descends into every Mapping, but validates the input with isinstance(data, dict): an
OrderedDict passes, a MappingProxyType or another Mapping at the top raises TypeError.

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, dict):
        raise TypeError("data must be a dict")
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
    raise NotImplementedError
