"""unflatten "moves" the dotted keys: it pops each key with sep out of the caller's dict
while rebuilding, so the input loses its keys (it must never change).

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
    made = {id(result)}
    for key in list(data):
        value = data.pop(key) if sep in key else data[key]
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            if part not in node:
                node[part] = {}
                made.add(id(node[part]))
            elif id(node[part]) not in made:
                raise ValueError(f"{key!r} goes through a leaf")
            node = node[part]
        if last in node:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        node[last] = value
    return result
