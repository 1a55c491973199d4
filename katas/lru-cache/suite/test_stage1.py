"""Stage 1, basics: put, get with a default, len, and eviction of the least recently used entry."""

from __future__ import annotations

import pytest
from lru_cache import LRUCache

pytestmark = pytest.mark.stage(1)

MISSING = object()


def held_keys(cache: LRUCache, candidates: list) -> list:
    """The candidates that get() finds (get is a use: call this only at the end of a test)."""
    return [key for key in candidates if cache.get(key, MISSING) is not MISSING]


def test_get_returns_the_very_value_put() -> None:
    """get(key) returns the value put for that key: the very same object."""
    cache = LRUCache(2)
    value = ["payload"]
    cache.put("k", value)
    got = cache.get("k")
    assert got is value, f"put('k', v) then get('k') must return v itself, got {got!r}"


def test_get_of_missing_key_returns_default() -> None:
    """get of a key never put returns default: None when not given, else the object given."""
    cache = LRUCache(2)
    got = cache.get("nope")
    assert got is None, f"get of a missing key must return None by default, got {got!r}"
    cache.put("a", 1)
    default = object()
    got = cache.get("nope", default)
    assert got is default, f"get(key, default) of a missing key must return default, got {got!r}"


def test_put_on_existing_key_replaces_value() -> None:
    """A second put of the same key replaces its value; get returns the new one."""
    cache = LRUCache(2)
    old, new = ["old"], ["new"]
    cache.put("k", old)
    cache.put("k", new)
    got = cache.get("k")
    assert got is new, f"put on an existing key must replace its value, get returned {got!r}"
    assert len(cache) == 1, f"a replaced key is still one entry: len() must be 1, got {len(cache)}"


def test_len_counts_entries_held() -> None:
    """len() counts the entries held, and never passes the capacity."""
    cache = LRUCache(3)
    expected_sizes = [("a", 1), ("b", 2), ("a", 2), ("c", 3), ("d", 3), ("e", 3)]
    assert len(cache) == 0, f"a new cache holds nothing: len() must be 0, got {len(cache)}"
    for key, size in expected_sizes:
        cache.put(key, key.upper())
        assert len(cache) == size, (
            f"len() must count the entries held: after put({key!r}) expected {size}, "
            f"got {len(cache)}"
        )


def test_full_cache_evicts_least_recently_put_key() -> None:
    """A put of a new key into a full cache evicts the entry put longest ago."""
    cache = LRUCache(3)
    for key in "abcd":
        cache.put(key, key)
    held = held_keys(cache, list("abcd"))
    assert held == ["b", "c", "d"], (
        f"put of 'd' into a full cache of a, b, c must evict 'a' (least recently used): "
        f"held {held}"
    )


def test_large_cache_holds_exactly_capacity_entries() -> None:
    """A cache of capacity 1,000 filled with 1,500 keys holds the last 1,000."""
    cache = LRUCache(1000)
    for key in range(1500):
        cache.put(key, key)
    assert len(cache) == 1000, (
        f"a full cache of capacity 1000 evicts one entry per new key: len() must stay 1000, "
        f"got {len(cache)}")
    held = held_keys(cache, [0, 499, 500, 1499])
    assert held == [500, 1499], (
        f"after 1500 puts into capacity 1000, keys 0-499 are evicted and 500-1499 held; "
        f"held {held} of [0, 499, 500, 1499]")


def test_capacity_one_keeps_only_the_last_key() -> None:
    """With capacity 1, every put of a new key evicts the previous one."""
    cache = LRUCache(1)
    cache.put("a", 1)
    cache.put("b", 2)
    held = held_keys(cache, ["a", "b"])
    assert held == ["b"], f"capacity 1: put('b') must evict 'a', held {held}"
    assert len(cache) == 1, f"capacity 1 holds one entry: len() must be 1, got {len(cache)}"


def test_get_hit_is_a_use() -> None:
    """A get that finds its key makes it the most recently used: another key is evicted."""
    cache = LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    cache.get("a")
    cache.put("d", "d")
    held = held_keys(cache, list("abcd"))
    assert held == ["a", "c", "d"], (
        f"after put a, b, c, get('a'), put('d'): 'b' is least recently used and must be "
        f"evicted; held {held}"
    )


def test_put_of_existing_key_is_a_use() -> None:
    """A put on a key already held makes it the most recently used: another key is evicted."""
    cache = LRUCache(3)
    for key in "abc":
        cache.put(key, key)
    new = ["A"]
    cache.put("a", new)
    cache.put("d", "d")
    held = held_keys(cache, list("bcd"))
    got = cache.get("a", MISSING)
    assert got is new and held == ["c", "d"], (
        f"after put a, b, c, put('a', new), put('d'): 'b' is least recently used and must "
        f"be evicted, 'a' kept with its new value; held {held}, get('a') gave {got!r}"
    )


def test_eviction_follows_the_order_of_every_use() -> None:
    """A longer mix of puts and gets evicts exactly the entries least recently used."""
    cache = LRUCache(3)
    values = {key: [key] for key in "abcdef"}
    script = [
        ("put", "a"), ("put", "b"), ("put", "c"),  # order a b c
        ("get", "a"),                              # b c a
        ("put", "d"),                              # evicts b: c a d
        ("put", "c"),                              # a d c
        ("get", "a"),                              # d c a
        ("put", "e"),                              # evicts d: c a e
        ("get", "c"),                              # a e c
        ("put", "f"),                              # evicts a: e c f
    ]
    for op, key in script:
        if op == "put":
            cache.put(key, values[key])
        else:
            cache.get(key)
    assert len(cache) == 3, f"a full cache of capacity 3 must hold 3 entries, got {len(cache)}"
    held = [key for key in "abcdef" if cache.get(key, MISSING) is values[key]]
    assert held == ["c", "e", "f"], (
        "put a, b, c; get a; put d; put c; get a; put e; get c; put f must leave "
        f"c, e, f held (each with its value), held {held}"
    )
