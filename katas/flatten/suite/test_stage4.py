"""Stage 4: deep data and unflatten."""

import pytest
from flatten import flatten, unflatten
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(4)

DEPTH = 10_000


class Same:
    """In an expected tree: this very object must be there."""

    def __init__(self, obj):
        self.obj = obj


EMPTY = object()  # in an expected tree: an empty plain dict (a new one is fine)


def _expect_unflat(result, expected, where="the result"):
    """Strict structure: branches are plain dicts with str keys, leaves the same objects."""
    stack = [(result, expected, where)]
    while stack:
        got, want, where = stack.pop()
        if isinstance(want, Same):
            if got is not want.obj:
                pytest.fail(f"{where} must be the very same object as in the input "
                            "(values are stored as is)")
        elif want is EMPTY:
            if not (type(got) is dict and got == {}):
                pytest.fail(f"{where} must be an empty dict")
        else:
            if type(got) is not dict:
                pytest.fail(f"{where} must be a plain dict, got {type(got).__name__}")
            if not all(type(k) is str for k in got) or sorted(got) != sorted(want):
                pytest.fail(f"{where} has the keys {sorted(map(str, got))}, "
                            f"expected {sorted(want)}")
            for key in want:
                stack.append((got[key], want[key], f"{where}[{key!r}]"))


def _tree(value):
    """The expected tree of a round trip: non-empty dicts are branches."""
    if type(value) is dict:
        return {k: _tree(v) for k, v in value.items()} if value else EMPTY
    return Same(value)


def _deep_dict(depth, leaf, key="k"):
    data = leaf
    for _ in range(depth):
        data = {key: data}
    return data


@pytest.mark.timeout(20)
def test_flatten_handles_10000_levels(kit):
    """A dict nested 10,000 levels deep flattens without RecursionError."""
    leaf = kit.Leaf(1)
    try:
        result = flatten(_deep_dict(DEPTH, leaf))
    except RecursionError:
        pytest.fail("flatten hit a RecursionError at 10,000 levels: use an explicit stack")
    key = ".".join(["k"] * DEPTH)
    if type(result) is not dict or list(result) != [key] or result[key] is not leaf:
        pytest.fail("a 10,000-level dict must flatten to one key 'k.k.….k' holding the leaf")


@pytest.mark.timeout(20)
def test_flatten_handles_10000_levels_of_lists_and_dicts(kit):
    """Alternating lists and dicts, 10,000 levels, with a sibling at every level."""
    leaf, side = kit.Leaf(1), kit.Leaf(2)
    data = leaf
    for level in range(DEPTH):
        data = [data, side] if level % 2 else {"d": data, "s": side}
    try:
        result = flatten({"top": data})
    except RecursionError:
        pytest.fail("flatten hit a RecursionError at 10,000 levels: use an explicit stack")
    if type(result) is not dict or len(result) != DEPTH + 1:
        pytest.fail(f"expected {DEPTH + 1} flat keys")
    keys = list(result)
    path = ["top"]
    for level in reversed(range(DEPTH)):
        path.append("0" if level % 2 else "d")
    if keys[0] != ".".join(path) or result[keys[0]] is not leaf:
        pytest.fail("the deepest leaf must come first (depth-first order), as the same object")
    if any(result[k] is not side for k in keys[1:]):
        pytest.fail("every sibling leaf must be the same object as in the input")


@pytest.mark.timeout(20)
def test_unflatten_handles_10000_levels(kit):
    """A key of 10,000 segments unflattens without RecursionError."""
    leaf = kit.Leaf(1)
    try:
        result = unflatten({".".join(["k"] * DEPTH): leaf})
    except RecursionError:
        pytest.fail("unflatten hit a RecursionError at 10,000 levels")
    node = result
    for level in range(DEPTH):
        if type(node) is not dict or list(node) != ["k"]:
            pytest.fail(f"level {level} of the result must be a plain dict {{'k': ...}}")
        node = node["k"]
    if node is not leaf:
        pytest.fail("the innermost value must be the leaf itself")


def test_unflatten_example_keeps_digit_segments_as_strings():
    """{"a.0.b": 1} gives {"a": {"0": {"b": 1}}}: "0" stays a string key."""
    result = unflatten({"a.0.b": 1})
    assert type(result) is dict and list(result) == ["a"], 'expected {"a": {"0": {"b": 1}}}'
    assert type(result["a"]) is dict and list(result["a"]) == ["0"], (
        'digit segments stay string keys: expected {"a": {"0": {"b": 1}}}')
    assert type(result["a"]["0"]) is dict and list(result["a"]["0"].items()) == [("b", 1)], (
        'expected {"a": {"0": {"b": 1}}}')


def test_unflatten_merges_shared_prefixes(kit):
    """Keys that share a prefix end up in the same nested dict."""
    a, b, c, d = (kit.Leaf(i) for i in range(4))
    result = unflatten({"x.y": a, "x.z.w": b, "x.z.v": c, "top": d})
    _expect_unflat(result, {"x": {"y": Same(a), "z": {"w": Same(b), "v": Same(c)}},
                            "top": Same(d)})


def test_unflatten_stores_values_as_is(kit):
    """Values are leaves: a dict, a list or any object is stored as the same object."""
    as_dict, as_list, empty = {"p": 1}, [1, {"q": 2}], {}
    result = unflatten({"a.b": as_dict, "a.c": as_list, "e": empty})
    _expect_unflat(result, {"a": {"b": Same(as_dict), "c": Same(as_list)}, "e": Same(empty)})


def test_unflatten_uses_sep(kit):
    """Keys are split on the given sep only, which may be several characters."""
    a, b = kit.Leaf(1), kit.Leaf(2)
    _expect_unflat(unflatten({"a/b": a, "c.d": b}, sep="/"),
                   {"a": {"b": Same(a)}, "c.d": Same(b)})
    _expect_unflat(unflatten({"a::b::c": a, "a::d": b}, "::"),
                   {"a": {"b": {"c": Same(a)}, "d": Same(b)}})


def test_unflatten_returns_a_new_dict_and_leaves_the_input_unchanged(kit):
    """The input mapping is read only; the result is a new plain dict."""
    data = {"a": kit.Leaf(1), "b.c": kit.Leaf(2)}
    before = kit.snapshot(data)
    result = unflatten(data)
    assert result is not data, "unflatten must return a new dict"
    assert kit.snapshot(data) == before, "unflatten changed its input"
    flat = {"x": kit.Leaf(3)}
    result = unflatten(flat)
    assert result is not flat and type(result) is dict and result["x"] is flat["x"], (
        "unflatten of an already flat dict gives a new dict holding the same values")


@pytest.mark.parametrize("data", [
    {"a": 1, "a.b": 2}, {"a.b": 2, "a": 1}, {"a.b": 1, "a.b.c": 2}, {"a.b.c": 2, "a.b": 1},
    {"x.y": 1, "x.y.z.w": 2}, {"a": {}, "a.b": 1}, {"a.b": 1, "a": {}},
])
def test_unflatten_raises_when_a_key_is_both_leaf_and_branch(kit, data):
    """{"a": 1, "a.b": 2} in either order raises ValueError; the input is unchanged."""
    before = kit.snapshot(data)
    with pytest.raises(ValueError):
        unflatten(data)
    assert kit.snapshot(data) == before, "unflatten changed its input"


@pytest.mark.parametrize("data", [{}, {"a.b": 1}])
def test_unflatten_empty_sep_raises_value_error(kit, data):
    """sep="" raises ValueError and leaves the input unchanged."""
    before = kit.snapshot(data)
    with pytest.raises(ValueError):
        unflatten(data, sep="")
    assert kit.snapshot(data) == before, "unflatten changed its input"


def _round_trip_data(sep):
    keys = st.text("".join(c for c in "ab._/" if c not in sep), min_size=1, max_size=3)
    leaves = st.one_of(st.integers(-5, 5), st.none(), st.sampled_from(["", "x", (1,), ()]),
                       st.builds(dict), st.builds(object))

    def extend(children):
        return st.dictionaries(keys, children, min_size=1, max_size=4)

    return st.dictionaries(keys, st.recursive(leaves, extend, max_leaves=8), max_size=5)


ROUND_TRIP_DATA = {sep: _round_trip_data(sep) for sep in (".", "/", "::")}


@settings(max_examples=30)
@given(data=st.data(), sep=st.sampled_from(sorted(ROUND_TRIP_DATA)))
def test_unflatten_inverts_flatten(kit, data, sep):
    """Property: unflatten(flatten(d)) == d for dicts of plain keys without sep, no lists."""
    value = data.draw(ROUND_TRIP_DATA[sep], label="d")
    expected = {k: _tree(v) for k, v in value.items()}
    _expect_unflat(unflatten(flatten(value, sep), sep), expected)
