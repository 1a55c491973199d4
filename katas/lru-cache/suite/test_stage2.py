"""Stage 2, recency rules: what is a use, None values, any hashable key, and a reference model.

Every test drives the attempt through `session` (suite/conftest.py), which logs each call as
a person would type it, so a failure shows the calls made (input:) and what came back (got:).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.stage(2)


class Missing:
    """The default the suite passes to learn whether get() found a key."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def held_keys(cache, candidates: list) -> list:
    """The candidates that get() finds (get is a use: call this only at the end of a test)."""
    return [key for key in candidates if cache.get(key, MISSING) is not MISSING]


def test_in_is_not_a_use(session) -> None:
    """`key in cache` does not refresh the key: it is still evicted first."""
    cache = session.new(2)
    cache.put("a", 1)
    cache.put("b", 2)
    got = cache.has("a")
    session.check(got is True, "`key in cache` tells whether the key is held",
                  expected="True", got=f"returned {got!r}")
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    session.check(held == ["b", "c"], "`key in cache` is not a use and changes nothing",
                  expected="'a' evicted (still least recently used); 'b', 'c' held",
                  got=f"get found {held} of ['a', 'b', 'c']")


def test_in_of_missing_key_changes_nothing(session) -> None:
    """`key in cache` of a missing key is False and stores nothing."""
    cache = session.new(2)
    cache.put("a", 1)
    first = cache.has("x")
    size = cache.len()
    second = cache.has("x")
    session.check(first is False and size == 1 and second is False,
                  "`key in cache` is not a use and changes nothing",
                  expected="False, len 1, False",
                  got=f"'x' in cache returned {first!r}, len() {size!r}, then {second!r}")


def test_contains_returns_a_bool(session) -> None:
    """__contains__ returns True or False exactly, as its interface says (-> bool)."""
    cache = session.new(2)
    cache.put("a", 0)
    for key, expected in (("a", True), ("x", False)):
        got = cache.contains(key)
        session.check(got is expected, "__contains__(key) -> bool: True when the key is held",
                      expected=repr(expected), got=f"returned {type(got).__name__} {got!r}")


def test_get_of_missing_key_stores_nothing(session) -> None:
    """A get of a missing key does not insert it, nor its default."""
    cache = session.new(2)
    cache.put("a", 1)
    cache.get("x")
    cache.get("y", "dflt")
    size = cache.len()
    held = [key for key in ("x", "y") if cache.has(key)]
    got = cache.get("y", MISSING)
    session.check(size == 1 and not held and got is MISSING,
                  "a get of a missing key changes nothing",
                  expected="len 1, neither 'x' nor 'y' in cache, get('y', MISSING) is MISSING",
                  got=f"len() returned {size!r}, `in` said True for {held}, "
                      f"get('y', MISSING) returned {got!r}")


def test_get_of_missing_key_on_full_cache_evicts_nothing(session) -> None:
    """A get of a missing key on a full cache keeps every entry and their order."""
    cache = session.new(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.get("x")
    size = cache.len()
    both = cache.has("a") and cache.has("b")
    session.check(size == 2 and both, "a get of a missing key changes nothing",
                  expected="len 2, 'a' and 'b' held",
                  got=f"len() returned {size!r}, 'a' and 'b' in cache: {both!r}")
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    session.check(held == ["b", "c"], "a get of a missing key changes nothing (not the order)",
                  expected="'a' evicted (still least recently used); 'b', 'c' held",
                  got=f"get found {held} of ['a', 'b', 'c']")


@pytest.mark.parametrize("updated", ["a", "b"])
def test_put_of_existing_key_never_evicts(session, updated: str) -> None:
    """A put on a key already held in a full cache evicts nothing, whichever key it is."""
    cache = session.new(2)
    cache.put("a", 1)
    cache.put("b", 2)
    new = [updated]
    cache.put(updated, new)
    size = cache.len()
    both = cache.has("a") and cache.has("b")
    got = cache.get(updated)
    session.check(size == 2 and both and got is new,
                  "a put of an existing key replaces its value and never evicts anything",
                  expected=f"len 2, 'a' and 'b' held, get({updated!r}) returns {new!r}",
                  got=f"len() returned {size!r}, 'a' and 'b' in cache: {both!r}, "
                      f"get returned {got!r}")


def test_put_of_existing_key_makes_it_most_recent(session) -> None:
    """After an update of the oldest key, the other key is the one evicted next."""
    cache = session.new(2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 10)
    cache.put("c", 3)
    held = held_keys(cache, ["a", "b", "c"])
    session.check(held == ["a", "c"], "a put of an existing key is a use",
                  expected="'b' evicted; 'a', 'c' held",
                  got=f"get found {held} of ['a', 'b', 'c']")


def test_none_value_is_stored_and_returned(session) -> None:
    """After put(k, None), get(k, "d") is None, and the key is held."""
    cache = session.new(2)
    cache.put("k", None)
    got = cache.get("k", "d")
    held = cache.has("k")
    size = cache.len()
    session.check(got is None and held is True and size == 1,
                  'any value can be stored, None included: after put(k, None), get(k, "d") '
                  "is None", expected="get returns None, 'k' in cache, len 1",
                  got=f"get returned {got!r}, 'k' in cache: {held!r}, len() {size!r}")


@pytest.mark.parametrize("args", [("a", "d"), ("a",)], ids=["with_default", "no_default"])
def test_get_of_none_value_is_a_use(session, args: tuple) -> None:
    """A get that finds a None value is a hit: it refreshes the key, with or without a default."""
    cache = session.new(2)
    cache.put("a", None)
    cache.put("b", 1)
    cache.get(*args)
    cache.put("c", 2)
    a_held, b_held = cache.has("a"), cache.has("b")
    session.check(a_held is True and b_held is False,
                  "a get that finds the key is a use, also when its value is None",
                  expected="'b' evicted, 'a' held",
                  got=f"'a' in cache: {a_held!r}, 'b' in cache: {b_held!r}")


def test_falsy_values_are_returned_as_stored(session) -> None:
    """Values that are falsy (0, '', [], False, {}) come back as the very same objects."""
    values = [0, "", [], False, {}, 0.0]
    cache = session.new(len(values))
    for i, value in enumerate(values):
        cache.put(i, value)
    for i, value in enumerate(values):
        got = cache.get(i, "d")
        session.check(got is value, "any value can be stored, and get returns the very same "
                      "object", expected=repr(value), got=f"returned {got!r}")


def test_values_that_look_like_markers_are_returned_as_stored(session) -> None:
    """Ellipsis, NotImplemented, the class `object`: stored values like any other."""
    values = [..., NotImplemented, object, type, Missing]
    cache = session.new(len(values))
    for i, value in enumerate(values):
        cache.put(i, value)
    for i, value in enumerate(values):
        got = cache.get(i, "d")
        session.check(got is value, "any value can be stored, and get returns the very same "
                      "object (a \"not found\" marker must be a private object(), not a value "
                      "a caller can store)", expected=repr(value), got=f"returned {got!r}")


def test_get_returns_the_stored_object_not_a_copy(session) -> None:
    """A mutable value comes back as the same object, not a copy or an equal one."""
    cache = session.new(1)
    value = {"nested": [1, 2]}
    cache.put("k", value)
    for _ in range(2):
        got = cache.get("k")
        session.check(got is value, "get returns the very same object that was put, not a copy",
                      expected=f"the dict put (id {id(value)})",
                      got=f"returned {got!r} (id {id(got)})")


class EqualsEverything:
    """A value that claims to equal anything: only `is` tells it apart."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "EqualsEverything()"


def test_a_value_equal_to_everything_is_returned_itself(session) -> None:
    """Any value can be stored, even one whose __eq__ always says True: get returns it."""
    cache = session.new(2)
    value = EqualsEverything()
    cache.put("k", value)
    got = cache.get("k", "default")
    session.check(got is value, "any value can be stored, and get returns the very same object "
                  "(compare with a sentinel using `is`, not `==`)",
                  expected="the EqualsEverything() put", got=f"returned {got!r}")


def test_any_hashable_key_works(session) -> None:
    """Ints, strings, tuples and None are all keys, each distinct from the others."""
    # -1 and -2 have the same hash in CPython; 1, "1" and (1,) are three different keys.
    keys = [0, 1, -1, -2, "1", "", "a", (1,), (), (1, ("x", None)), None, "None"]
    cache = session.new(len(keys))
    values = {}
    for key in keys:
        values[key] = [key]
        cache.put(key, values[key])
    size = cache.len()
    session.check(size == len(keys), "any hashable key works: each distinct key is its own entry",
                  expected=str(len(keys)), got=f"len() returned {size!r}")
    for key in keys:
        held = cache.has(key)
        got = cache.get(key)
        session.check(held is True and got is values[key], "any hashable key works",
                      expected=f"{key!r} in cache, get({key!r}) returns {values[key]!r}",
                      got=f"`in` returned {held!r}, get returned {got!r}")


def test_none_key_works(session) -> None:
    """None is a key like any other: stored, found, evicted."""
    cache = session.new(1)
    before = cache.has(None)
    value = ["v"]
    cache.put(None, value)
    after = cache.has(None)
    got = cache.get(None)
    session.check(before is False and after is True and got is value,
                  "any hashable key works, None included",
                  expected="None in cache False, then True; get(None) returns ['v']",
                  got=f"`in` returned {before!r} then {after!r}, get returned {got!r}")
    cache.put("other", 1)
    held = cache.has(None)
    got = cache.get(None, MISSING)
    session.check(held is False and got is MISSING, "the key None is evicted like any other",
                  expected="None not in cache, get(None, MISSING) returns MISSING",
                  got=f"`in` returned {held!r}, get returned {got!r}")


# Scripts tried before the random ones (see parse_script in conftest.py): each use of a key,
# with None and other values, read with and without a default, then evictions that show
# whether the order of uses was kept. Most wrong attempts fail one of these at once.
MODEL_SCRIPTS = (
    (2, "put 0; put 1 None; get 0; get 1; put a; get 1 D; get 2 D; put a None; put t; "
        "put None; get t D; put 0; get None D"),
    (1, "put 0; put 1; get 0 D; get 1; put 1 None; get 1 D; get 1; put None; get 1 D"),
    (3, "put 0; put 1; put 2; get 0; put a; get 1 D; put 1; get 2 D; get 0; put t; get a D"),
    (4, "put 0; put 1; put 2; put a; put 1 None; get 0; put t; get 2 D; put None; get 1; "
        "put 2; get a D"),
    (3, "put 0; put 1; put 2; get 0; put 1; get 0; get 2; put a; put t; get 1 D; get 0 D"),
    (2, "put None; put t; put None None; put 1; get None D; get t D"),
)


def test_matches_reference_model(check_against_model) -> None:
    """Sequences of put/get (capacities 1-4, 6 keys) behave exactly as the model."""
    check_against_model(1, 4, max_examples=40, min_steps=15, steps=30, scripts=MODEL_SCRIPTS)
