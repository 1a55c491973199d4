"""Returns an OrderedDict "so that the order is guaranteed": the result must be a plain dict.

Caught by: stage 1
"""

from collections import OrderedDict
from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("sep must not be empty")
    result = OrderedDict()

    def walk(node, prefix):
        pairs = node.items() if isinstance(node, Mapping) else enumerate(node)
        for key, value in pairs:
            path = f"{prefix}{sep}{key}" if prefix is not None else str(key)
            if isinstance(value, (Mapping, list)) and value:
                walk(value, path)
            elif path in result:
                raise ValueError(f"two paths give the flat key {path!r}")
            else:
                result[path] = value

    walk(data, None)
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
