"""flatten: a generator that walks with an explicit stack of iterators and yields
(flat key, leaf) pairs, consumed with a collision check. unflatten: two passes, first
checking with sets of segment tuples that no key is both a leaf and a branch, then
building the dicts."""

from collections.abc import Mapping


def _children(value):
    if isinstance(value, Mapping) and value:
        return iter(value.items())
    if isinstance(value, list) and value:
        return iter(enumerate(value))
    return None


def _walk(data, sep):
    stack = [(None, iter(data.items()))]
    while stack:
        prefix, pairs = stack[-1]
        pair = next(pairs, None)
        if pair is None:
            stack.pop()
            continue
        key, value = pair
        path = str(key) if prefix is None else prefix + sep + str(key)
        children = _children(value)
        if children is None:
            yield path, value
        else:
            stack.append((path, children))


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError(f"expected a mapping, got {type(data).__name__}")
    if not isinstance(sep, str) or sep == "":
        raise ValueError("sep must be a non-empty string")
    out = {}
    for path, value in _walk(data, sep):
        if path in out:
            raise ValueError(f"collision on flat key {path!r}")
        out[path] = value
    return out


def unflatten(data, sep="."):
    if not isinstance(sep, str) or sep == "":
        raise ValueError("sep must be a non-empty string")
    split = [(tuple(key.split(sep)), value) for key, value in data.items()]
    leaves = {parts for parts, _ in split}
    branches = {parts[:i] for parts, _ in split for i in range(1, len(parts))}
    both = leaves & branches
    if both:
        raise ValueError(f"{sep.join(min(both))!r} is both a leaf and a branch")
    out = {}
    for parts, value in split:
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out
