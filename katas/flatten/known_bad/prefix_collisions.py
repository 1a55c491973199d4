"""Over-eager collision check: raises when one flat key is a prefix of another ("a.b" and "a.b.c").

Caught by: stage 2
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not isinstance(data, Mapping):
        raise TypeError("data must be a mapping")
    if not sep:
        raise ValueError("empty sep")
    result = {}

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, Mapping) and value:
                walk(value, path)
                continue
            for existing in result:
                if existing == path or existing.startswith(path + sep) or path.startswith(
                        existing + sep):
                    raise ValueError(f"collision on {path}")
            result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
