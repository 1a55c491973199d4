"""Copies every nested mapping into a dict first "to handle OrderedDict and mappingproxy",
and every list into a new list: an empty one is then stored as that copy, not as the very
same object of its own type (an empty OrderedDict comes back as {}).

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(dict(data).items()))]
    while stack:
        prefix, pairs = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if isinstance(value, Mapping):
                value = dict(value)
            elif isinstance(value, list):
                value = list(value)
            if isinstance(value, dict) and value:
                stack.append((path + sep, iter(value.items())))
                break
            if isinstance(value, list) and value:
                stack.append((path + sep, iter(enumerate(value))))
                break
            if path in result:
                raise ValueError(f"duplicate flat key {path!r}")
            result[path] = value
        else:
            stack.pop()
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
