"""Flattens in place: pops nested dicts out of the input and returns it.

Caught by: stage 1
"""


def flatten(data, sep="."):
    for key in list(data):
        value = data[key]
        if isinstance(value, dict) and value:
            data.pop(key)
            for sub_key, sub_value in flatten(value, sep).items():
                data[f"{key}{sep}{sub_key}"] = sub_value
    return data


def unflatten(data, sep="."):
    raise NotImplementedError
