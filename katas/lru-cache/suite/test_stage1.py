"""Stage 1, basics: put, get with a default, len, and eviction of the least recently used entry.

Every test drives the attempt through `session` (suite/conftest.py), which logs each call as
a person would type it, so a failure shows the calls made (input:) and what came back (got:).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.stage(1)

class Missing:
    """The default the suite passes to learn whether get() found a key."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def held_keys(cache, candidates: list) -> list:
    """The candidates that get() finds (get is a use: call this only at the end of a test)."""
    missing = Missing()
    return [key for key in candidates if cache.get(key, missing) is not missing]


def test_get_returns_the_very_value_put(session) -> None:
    """get(key) returns the value put for that key: the very same object."""
    cache = session.new(2)
    value = ["payload"]
    cache.put("k", value)
    got = cache.get("k")
    session.check(got is value, "put stores a value; get returns it (the very same object)",
                  expected="the list ['payload'] that was put", got=f"returned {got!r}")


def test_get_of_missing_key_returns_default(session) -> None:
    """get of a key never put returns default: None when not given, else the object given."""
    cache = session.new(2)
    got = cache.get("nope")
    session.check(got is None, "a missing key returns default (None when not given)",
                  expected="None", got=f"returned {got!r}")
    cache.put("a", 1)
    default = Missing()
    got = cache.get("nope", default)
    session.check(got is default, "a missing key returns default (the very object given)",
                  expected="MISSING, the default given", got=f"returned {got!r}")


def test_put_on_existing_key_replaces_value(session) -> None:
    """A second put of the same key replaces its value; get returns the new one."""
    cache = session.new(2)
    old, new = ["old"], ["new"]
    cache.put("k", old)
    cache.put("k", new)
    got = cache.get("k")
    session.check(got is new, "put on an existing key replaces its value",
                  expected="['new']", got=f"returned {got!r}")
    size = cache.len()
    session.check(size == 1, "len() counts the entries held: a replaced key is one entry",
                  expected="1", got=f"len() returned {size!r}")


def test_len_counts_entries_held(session) -> None:
    """len() counts the entries held, and never passes the capacity."""
    cache = session.new(3)
    size = cache.len()
    session.check(size == 0, "len() counts the entries held: a new cache holds none",
                  expected="0", got=f"len() returned {size!r}")
    for key, expected in [("a", 1), ("b", 2), ("a", 2), ("c", 3), ("d", 3), ("e", 3)]:
        cache.put(key, key.upper())
        size = cache.len()
        session.check(size == expected, "len() counts the entries held (at most capacity)",
                      expected=str(expected), got=f"len() returned {size!r}")


def test_full_cache_evicts_least_recently_put_key(session) -> None:
    """A put of a new key into a full cache evicts the entry put longest ago."""
    cache = session.new(3)
    for key in "abcd":
        cache.put(key, key)
    held = held_keys(cache, list("abcd"))
    session.check(held == ["b", "c", "d"],
                  "a put of a new key into a full cache first evicts the least recently used "
                  "entry", expected="'a' evicted; 'b', 'c', 'd' held",
                  got=f"get found {held} of ['a', 'b', 'c', 'd']")


def test_large_cache_holds_exactly_capacity_entries(session) -> None:
    """A cache of capacity 1,000 filled with 1,500 keys holds the last 1,000."""
    cache = session.new(1000)
    with session.quietly("for k in range(1500): cache.put(k, k)"):
        for key in range(1500):
            cache.put(key, key)
    size = cache.len()
    session.check(size == 1000, "a full cache evicts one entry per new key: len() stays at "
                  "capacity", expected="1000", got=f"len() returned {size!r}")
    held = held_keys(cache, [0, 499, 500, 1499])
    session.check(held == [500, 1499], "a put of a new key into a full cache first evicts the "
                  "least recently used entry", expected="keys 0-499 evicted, 500-1499 held",
                  got=f"get found {held} of [0, 499, 500, 1499]")


def test_capacity_one_keeps_only_the_last_key(session) -> None:
    """With capacity 1, every put of a new key evicts the previous one."""
    cache = session.new(1)
    cache.put("a", 1)
    cache.put("b", 2)
    size = cache.len()
    held = held_keys(cache, ["a", "b"])
    session.check(held == ["b"] and size == 1, "a put of a new key into a full cache first "
                  "evicts the least recently used entry", expected="len 1, only 'b' held",
                  got=f"len() returned {size!r}, get found {held} of ['a', 'b']")


def test_two_caches_share_nothing(session) -> None:
    """Each LRUCache holds its own entries: a put into one is not seen by another."""
    first = session.new(2, "first")
    first.put("a", 1)
    second = session.new(2, "second")
    size = second.len()
    got = second.get("a", MISSING)
    session.check(size == 0 and got is MISSING,
                  "put stores a value in that cache; in another cache the key is missing",
                  expected="len(second) == 0 and second.get('a', MISSING) is MISSING",
                  got=f"len(second) returned {size!r}, second.get returned {got!r}")
    second.put("b", 2)
    second.put("c", 3)
    second.put("d", 4)
    got = first.get("a", MISSING)
    size = first.len()
    session.check(got == 1 and size == 1, "puts into one cache never evict from another",
                  expected="first.get('a') == 1 and len(first) == 1",
                  got=f"first.get returned {got!r}, len(first) returned {size!r}")


def test_get_hit_is_a_use(session) -> None:
    """A get that finds its key makes it the most recently used: another key is evicted."""
    cache = session.new(3)
    for key in "abc":
        cache.put(key, key)
    cache.get("a")
    cache.put("d", "d")
    held = held_keys(cache, list("abcd"))
    session.check(held == ["a", "c", "d"], "a use is a put or a get that finds the key; a new "
                  "key in a full cache evicts the least recently used",
                  expected="'b' evicted; 'a', 'c', 'd' held",
                  got=f"get found {held} of ['a', 'b', 'c', 'd']")


def test_put_of_existing_key_is_a_use(session) -> None:
    """A put on a key already held makes it the most recently used: another key is evicted."""
    cache = session.new(3)
    for key in "abc":
        cache.put(key, key)
    new = ["A"]
    cache.put("a", new)
    cache.put("d", "d")
    held = held_keys(cache, list("bcd"))
    got = cache.get("a", MISSING)
    session.check(got is new and held == ["c", "d"], "a use is a put or a get that finds the "
                  "key; a new key in a full cache evicts the least recently used",
                  expected="'b' evicted; 'a' held with ['A']; 'c', 'd' held",
                  got=f"get found {held} of ['b', 'c', 'd'], get('a') returned {got!r}")


def test_eviction_follows_the_order_of_every_use(session) -> None:
    """A longer mix of puts and gets evicts exactly the entries least recently used."""
    cache = session.new(3)
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
    size = cache.len()
    held = [key for key in "abcdef" if cache.get(key, MISSING) is values[key]]
    session.check(size == 3 and held == ["c", "e", "f"], "a put of a new key into a full "
                  "cache first evicts the least recently used entry (a use is a put or a get "
                  "that finds the key)", expected="len 3; 'c', 'e', 'f' held with their values",
                  got=f"len() returned {size!r}, get found {held} of a-f")
