"""A small class that owns the walk; paths kept as tuples and joined only at the leaves."""

from collections import deque
from collections.abc import Mapping


class _Flattener:
    def __init__(self, sep):
        if not isinstance(sep, str) or not sep:
            raise ValueError("sep must be a non-empty string")
        self.sep = sep
        self.result = {}

    def run(self, data):
        todo = deque([((), iter(data.items()))])
        while todo:
            path, pairs = todo[-1]
            for key, value in pairs:
                here = (*path, str(key))
                nested = self._children(value)
                if nested is not None:
                    todo.append((here, nested))
                    break
                self._store(here, value)
            else:
                todo.pop()
        return self.result

    @staticmethod
    def _children(value):
        if isinstance(value, Mapping) and value:
            return iter(value.items())
        if isinstance(value, list) and value:
            return iter(enumerate(value))
        return None

    def _store(self, path, value):
        key = self.sep.join(path)
        if key in self.result:
            raise ValueError(f"flat key {key!r} appears twice")
        self.result[key] = value


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a Mapping")
    return _Flattener(sep).run(data)


_LEAF, _BRANCH = "leaf", "branch"


def unflatten(data, sep="."):
    if not sep:
        raise ValueError("sep must be a non-empty string")
    kinds = {}  # path tuple -> leaf or branch
    for key in data:
        parts = tuple(key.split(sep))
        for i in range(1, len(parts)):
            if kinds.setdefault(parts[:i], _BRANCH) is not _BRANCH:
                raise ValueError(f"{key!r} runs through a leaf")
        if parts in kinds:
            raise ValueError(f"{key!r} is both a leaf and a branch")
        kinds[parts] = _LEAF
    root = {}
    for key, value in data.items():
        *parents, last = key.split(sep)
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return root
