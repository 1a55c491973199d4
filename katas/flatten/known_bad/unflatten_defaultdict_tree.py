"""unflatten builds an autovivifying tree (`tree = lambda: defaultdict(tree)`): the branches
are defaultdicts, not plain dicts (and reading a missing key later would create it).

Caught by: stage 4
"""

from collections import defaultdict
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

    def tree():
        return defaultdict(tree)

    result = tree()
    made = {id(result)}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = result
        for part in parents:
            if part in node and id(node[part]) not in made:
                raise ValueError(f"{key!r} goes through a leaf")
            node = node[part]
            made.add(id(node))
        if last in node:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        node[last] = value
    return dict(result)
