"""Shared helpers of the flatten suite, as session fixtures.

(Test modules are imported with --import-mode=importlib and cannot import each other.)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType, SimpleNamespace

import pytest
from hypothesis import strategies as st


class Leaf:
    """A leaf value that is only equal to itself: identity is what counts."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"Leaf({self.n})"


class PlainMapping(Mapping):
    """A Mapping that is not a dict subclass."""

    def __init__(self, items) -> None:
        self._items = dict(items)

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"PlainMapping({self._items!r})"


def snapshot(value):
    """A record of a structure's shape, contents and identities, to prove it unchanged."""
    if isinstance(value, Mapping):
        return ("map", id(value), type(value), [(k, snapshot(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", id(value), [snapshot(v) for v in value])
    return ("leaf", id(value))


def model_flatten(data, sep=".", lists=True):
    """The rules of the contract, written as plainly as possible (small data only)."""
    out: dict[str, object] = {}
    collisions: list[str] = []

    def walk(value, path):
        if isinstance(value, Mapping) and value:
            for k, v in value.items():
                walk(v, f"{path}{sep}{k}" if path is not None else str(k))
        elif lists and isinstance(value, list) and value:
            for i, v in enumerate(value):
                walk(v, f"{path}{sep}{i}")
        else:
            if path in out:
                collisions.append(path)
            out[path] = value

    for k, v in data.items():
        walk(v, str(k))
    return out, collisions


def expect_flat(result, expected_pairs, where=""):
    """`result` must be a plain dict with exactly these keys, in this order, holding the
    very same leaf objects (empty mappings and lists: an equal empty value)."""
    suffix = f" {where}" if where else ""
    assert type(result) is dict, (
        f"flatten must return a plain dict, got {type(result).__name__}{suffix}")
    keys = list(result)
    assert all(type(k) is str for k in keys), f"every flat key must be a str{suffix}"
    expected_keys = [k for k, _ in expected_pairs]
    assert keys == expected_keys, (
        f"expected the keys {expected_keys} in this order, got {keys}{suffix}")
    for key, leaf in expected_pairs:
        got = result[key]
        if got is leaf:
            continue
        if isinstance(leaf, Mapping) and not leaf:
            assert type(got) is dict and got == {}, (
                f"an empty mapping is a leaf equal to {{}}; {key!r} holds {got!r}{suffix}")
        elif type(leaf) is list and not leaf:
            assert type(got) is list and got == [], (
                f"an empty list is a leaf equal to []; {key!r} holds {got!r}{suffix}")
        else:
            pytest.fail(f"the value at {key!r} must be the very same object as in the input "
                        f"(stored as is, not copied or rebuilt){suffix}")


def _leaves():
    return st.one_of(
        st.integers(-3, 1000).map(Leaf),
        st.sampled_from([None, True, 0, "", "x", b"b", (1, 2), frozenset({3})]),
        st.builds(tuple), st.builds(set), st.builds(object),
    )


def nested(keys=None, mappings=(dict,), lists=False, max_leaves=12):
    """Nested data built from `mappings` (and lists), with `keys` and `leaves`."""
    keys = keys if keys is not None else st.text("abcxyz", min_size=1, max_size=3)
    leaves = _leaves()

    def extend(children):
        parts = [st.dictionaries(keys, children, max_size=4).map(m) for m in mappings]
        if lists:
            parts.append(st.lists(children, max_size=4))
        return st.one_of(*parts)

    base = st.recursive(leaves, extend, max_leaves=max_leaves)
    top = [st.dictionaries(keys, base, max_size=5).map(m) for m in mappings]
    return st.one_of(*top)


@pytest.fixture(scope="session")
def kit():
    """Everything the stage files share. Strategies are built once: building them is slow."""
    mixed_keys = st.one_of(st.text("ab.", min_size=1, max_size=3), st.integers(0, 3), st.none())
    return SimpleNamespace(
        Leaf=Leaf, PlainMapping=PlainMapping, snapshot=snapshot, model=model_flatten,
        expect_flat=expect_flat, OrderedDict=OrderedDict, MappingProxyType=MappingProxyType,
        nested_dicts=nested(),
        nested_mixed=nested(keys=mixed_keys, mappings=(dict, OrderedDict, MappingProxyType)),
        nested_with_lists=nested(lists=True),
    )
