"""Ignores `sep` below the top level: nested keys are always joined with ".".

Caught by: stage 1
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    result = {}

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
            else:
                result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
