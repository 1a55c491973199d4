"""Returns the input itself when nothing in it is nested (a shortcut that aliases the caller's dict).

Caught by: stage 1
"""

from collections.abc import Mapping


def flatten(data, sep="."):
    if not any(isinstance(v, Mapping) and v for v in data.values()):
        return data
    result = {}
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            for sub_key, sub_value in flatten(value, sep).items():
                result[f"{key}{sep}{sub_key}"] = sub_value
        else:
            result[str(key)] = value
    return result


def unflatten(data, sep="."):
    raise NotImplementedError
