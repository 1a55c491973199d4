"""Flatten a nested dict.

Run `kata prompt flatten` to read the task again, and `kata check` to grade.
"""

from collections.abc import Mapping
from typing import Any


def flatten(data: Mapping[Any, Any], sep: str = ".") -> dict[str, Any]:
    """Return a new flat dict whose keys are the paths of keys in `data`, joined by `sep`.

    flatten({"a": 1, "b": {"c": 2, "d": {"e": 3}}}) == {"a": 1, "b.c": 2, "b.d.e": 3}

    A value that is a non-empty mapping is descended into; any other value is a
    leaf, stored as is (the very same object): an empty mapping or an empty list
    too, of its own type. Keys come out in depth-first order. The input is left
    unchanged. Later stages add edge cases and lists.
    """
    raise NotImplementedError


def unflatten(data: Mapping[str, Any], sep: str = ".") -> dict[str, Any]:
    """The inverse of flatten: split every key on `sep` and rebuild nested plain dicts.

    unflatten({"a.0.b": 1}) == {"a": {"0": {"b": 1}}}

    Empty segments are kept ("a..b" is "a", "", "b"); digit segments stay strings;
    values are stored as is; the input is never changed.

    (Stage 4: you can leave this until the interviewer asks for it.)
    """
    raise NotImplementedError
