"""unflatten splits with key.split(sep, 1): only the first separator makes a level, so
"a.b.c" becomes {"a": {"b.c": ...}} instead of {"a": {"b": {"c": ...}}}.

Caught by: stage 4
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
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
    if not sep:
        raise ValueError("sep must not be empty")
    result = {}
    for key, value in data.items():
        head, found, rest = key.partition(sep)
        if not found:
            if head in result:
                raise ValueError(f"{key!r} is both a leaf and a branch")
            result[head] = value
            continue
        branch = result.setdefault(head, {})
        if not isinstance(branch, dict) or rest in branch:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        branch[rest] = value
    return result
