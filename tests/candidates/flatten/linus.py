"""Descends only into dict (isinstance(v, dict)): MappingProxyType and other Mappings stay leaves.

Caught by: stage 2
"""


def flatten(data, sep="."):
    if not isinstance(data, dict):
        raise TypeError("data must be a dict")
    if not sep:
        raise ValueError("empty sep")
    result = {}

    def walk(node, prefix):
        for key, value in node.items():
            path = f"{prefix}{sep}{key}" if prefix else str(key)
            if isinstance(value, dict) and value:
                walk(value, path)
            elif isinstance(value, list) and value:
                walk(dict(enumerate(value)), path)
            elif path in result:
                raise ValueError(f"collision on {path}")
            else:
                result[path] = value

    walk(data, "")
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
