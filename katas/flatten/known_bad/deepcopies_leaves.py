"""Deep-copies the input first "to be safe", so leaves are copies, not the same objects.

Caught by: stage 1
"""

import copy
from collections.abc import Mapping


def flatten(data, sep="."):
    data = copy.deepcopy(data)
    result = {}

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
            else:
                result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
