"""Descends into anything with an `.items()` method (duck typing) instead of into
collections.abc.Mapping: a leaf object that merely has items() is opened.

Caught by: stage 1
"""


def flatten(data, sep="."):
    if not hasattr(data, "items"):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    stack = [("", iter(data.items()))]
    while stack:
        prefix, pairs = stack[-1]
        for key, value in pairs:
            path = f"{prefix}{key}"
            if hasattr(value, "items") and len(value):
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
