"""A neat recursive generator of (flat key, leaf) pairs fed to dict(): when two paths give
the same flat key, dict() silently keeps the last one instead of raising ValueError.

Caught by: stage 2
"""

from collections.abc import Mapping


def _pairs(node, prefix, sep):
    items = node.items() if isinstance(node, Mapping) else enumerate(node)
    for key, value in items:
        path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
        if isinstance(value, (Mapping, list)) and value:
            yield from _pairs(value, path, sep)
        else:
            yield path, value


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    return dict(_pairs(data, None, sep))


def unflatten(data, sep="."):
    raise NotImplementedError
