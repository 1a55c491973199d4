"""Stage 2, recency rules: what is a use, None values, any hashable key, and a reference model."""

from __future__ import annotations

import pytest
from lru_cache import LRUCache

pytestmark = pytest.mark.stage(2)

MISSING = object()


def held_keys(cache: LRUCache, candidates: list) -> list:
    """The candidates that get() finds (get is a use: call this only at the end of a test)."""
    return [key for key in candidates if cache.get(key, MISSING) is not MISSING]


def test_in_is_not_a_use() -> None:
    """`key in cache` does not refresh the key: it is still evicted first."""
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert "a" in cache, "`key in cache` must be True for a key held"
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    assert held == ["b", "c"], (
        f"`key in cache` is not a use: after put a, b, `'a' in cache`, put c, "
        f"'a' must be evicted; held {held}"
    )


def test_in_of_missing_key_changes_nothing() -> None:
    """`key in cache` of a missing key is False and stores nothing."""
    cache = LRUCache(2)
    cache.put("a", 1)
    assert "x" not in cache, "`key in cache` must be False for a key never put"
    assert len(cache) == 1, (
        f"`key in cache` must store nothing: len() must stay 1, got {len(cache)}"
    )
    assert "x" not in cache, "`key in cache` must not insert the key it looks for"


def test_contains_returns_a_bool() -> None:
    """__contains__ returns True or False exactly, as its interface says (-> bool)."""
    cache = LRUCache(2)
    cache.put("a", 0)
    for key in ("a", "x"):
        got = cache.__contains__(key)
        assert type(got) is bool, (
            f"__contains__ must return a bool, got {type(got).__name__} {got!r} for {key!r}"
        )
    assert cache.__contains__("a") is True, "__contains__ must be True for a key held"
    assert cache.__contains__("x") is False, "__contains__ must be False for a key not held"


def test_get_of_missing_key_stores_nothing() -> None:
    """A get of a missing key does not insert it, nor its default."""
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.get("x")
    cache.get("y", "dflt")
    assert len(cache) == 1, (
        f"a get of a missing key changes nothing: len() must stay 1, got {len(cache)}"
    )
    for key in ("x", "y"):
        assert key not in cache, (
            f"a get of a missing key must not insert it: {key!r} is in the cache"
        )
    got = cache.get("y", MISSING)
    assert got is MISSING, f"a get of a missing key must not store its default, got {got!r}"


def test_get_of_missing_key_on_full_cache_evicts_nothing() -> None:
    """A get of a missing key on a full cache keeps every entry and their order."""
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("x")
    assert len(cache) == 2, (
        f"a get of a missing key changes nothing: len() must stay 2, got {len(cache)}"
    )
    assert "a" in cache and "b" in cache, "a get of a missing key must evict nothing"
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    assert held == ["b", "c"], (
        "a get of a missing key changes nothing: after put a, b, get x, put c, 'a' is "
        f"still least recently used and must be evicted; held {held}"
    )


def test_put_of_existing_key_never_evicts() -> None:
    """A put on a key already held in a full cache evicts nothing, whichever key it is."""
    for updated in ("a", "b"):
        cache = LRUCache(2)
        cache.put("a", 1)
        cache.put("b", 2)
        new = [updated]
        cache.put(updated, new)
        assert len(cache) == 2, (
            f"put on an existing key never evicts: after put a, b, put({updated!r}) len() must "
            f"stay 2, got {len(cache)}"
        )
        assert "a" in cache and "b" in cache, (
            f"put on an existing key never evicts: after put a, b, put({updated!r}) both keys "
            "must still be held"
        )
        got = cache.get(updated)
        assert got is new, f"put on an existing key must replace its value, got {got!r}"


def test_put_of_existing_key_makes_it_most_recent() -> None:
    """After an update of the oldest key, the other key is the one evicted next."""
    cache = LRUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    assert held == ["a", "c"], (
        f"put on an existing key is a use: after put a, b, put a, put c, 'b' must be evicted; "
        f"held {held}"
    )


def test_none_value_is_stored_and_returned() -> None:
    """After put(k, None), get(k, "d") is None, and the key is held."""
    cache = LRUCache(2)
    cache.put("k", None)
    got = cache.get("k", "d")
    assert got is None, f'after put(k, None), get(k, "d") must be None (the value), got {got!r}'
    assert "k" in cache, "after put(k, None), `k in cache` must be True"
    assert len(cache) == 1, f"a None value is an entry: len() must be 1, got {len(cache)}"


def test_get_of_none_value_is_a_use() -> None:
    """A get that finds a None value is a hit: it refreshes the key, with or without a default."""
    for args in (("a", "d"), ("a",)):
        cache = LRUCache(2)
        cache.put("a", None)
        cache.put("b", 1)
        cache.get(*args)
        cache.put("c", 2)
        call = ", ".join(map(repr, args))
        assert "a" in cache and "b" not in cache, (
            f"a get that finds a None value is a use: after put(a, None), put b, get({call}), "
            "put c, 'b' must be evicted and 'a' kept"
        )


def test_falsy_values_are_returned_as_stored() -> None:
    """Values that are falsy (0, '', [], False, {}) come back as the very same objects."""
    values = [0, "", [], False, {}, 0.0]
    cache = LRUCache(len(values))
    for i, value in enumerate(values):
        cache.put(i, value)
    for i, value in enumerate(values):
        got = cache.get(i, "d")
        assert got is value, f"get must return the stored value {value!r} itself, got {got!r}"


def test_get_returns_the_stored_object_not_a_copy() -> None:
    """A mutable value comes back as the same object, not a copy or an equal one."""
    cache = LRUCache(1)
    value = {"nested": [1, 2]}
    cache.put("k", value)
    got = cache.get("k")
    assert got is value, "get must return the very same object that was put, not a copy"
    got = cache.get("k")
    assert got is value, "a second get must still return the very same object"


class _EqualsEverything:
    """A value that claims to equal anything: only `is` tells it apart."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__


def test_a_value_equal_to_everything_is_returned_itself() -> None:
    """Any value can be stored, even one whose __eq__ always says True: get returns it."""
    cache = LRUCache(2)
    value = _EqualsEverything()
    cache.put("k", value)
    got = cache.get("k", "default")
    assert got is value, (
        "any value can be stored and get returns the very same object, even one that says "
        "it equals everything (compare with a sentinel using `is`, not `==`)")


def test_any_hashable_key_works() -> None:
    """Ints, strings, tuples and None are all keys, each distinct from the others."""
    # -1 and -2 have the same hash in CPython; 1, "1" and (1,) are three different keys.
    keys = [0, 1, -1, -2, "1", "", "a", (1,), (), (1, ("x", None)), None]
    cache = LRUCache(len(keys))
    values = {}
    for key in keys:
        values[key] = [key]
        cache.put(key, values[key])
    assert len(cache) == len(keys), (
        f"each distinct key is its own entry: len() must be {len(keys)}, got {len(cache)}"
    )
    for key in keys:
        assert key in cache, f"`key in cache` must be True for the key {key!r}"
        got = cache.get(key)
        assert got is values[key], (
            f"get({key!r}) must return the value put for {key!r}, got {got!r}"
        )


def test_none_key_works() -> None:
    """None is a key like any other: stored, found, evicted."""
    cache = LRUCache(1)
    assert None not in cache, "`None in cache` must be False before None is put"
    value = ["v"]
    cache.put(None, value)
    assert None in cache, "`None in cache` must be True after put(None, v)"
    got = cache.get(None)
    assert got is value, f"get(None) must return the value put for the key None, got {got!r}"
    cache.put("other", 1)
    assert None not in cache, "the key None must be evicted like any other key"
    got = cache.get(None, MISSING)
    assert got is MISSING, (
        f"get(None, default) after None was evicted must return default, got {got!r}"
    )


def test_matches_reference_model(check_against_model) -> None:
    """Random sequences of put/get (capacities 1-4, 6 keys) behave exactly as the model."""
    check_against_model(1, 4, max_examples=60, steps=20)
