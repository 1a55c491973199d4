"""Stage 4: deep data and unflatten."""

import random

import pytest
from flatten import flatten, unflatten
from flatten_suite_kit import (
    SEPARATORS,
    Later,
    Leaf,
    call_text,
    expect_error,
    expect_unchanged,
    fail,
    flat,
    nested,
    raised,
    returned,
    run,
    show,
    snapshot,
)
from hypothesis import example, given, settings

pytestmark = pytest.mark.stage(4)

DEPTH = 10_000
DEEP = ("flatten and unflatten handle nesting 10,000 levels deep (no RecursionError), "
        "whatever the nesting is made of: dicts, lists, lists of lists, or any mix")
SPLIT = ('unflatten splits every key on sep, keeping empty segments ("a..b" is "a", "", "b"), '
         "and rebuilds nested plain dicts; digit segments stay string keys")
AS_IS = "unflatten stores values as leaves, as is (the very same objects)"
ROUND_TRIP = ("unflatten(flatten(d)) == d for every d built from dicts whose keys are "
              "non-empty strings without sep, and whose leaves are not lists")
BOTH = ('when a key is both a leaf and a branch ({"a": 1, "a.b": 2}, in either order), '
        "unflatten raises ValueError")
EMPTY_SEP = "unflatten: an empty sep raises ValueError"


class Same:
    """In an expected tree: this very object must be there."""

    def __init__(self, obj):
        self.obj = obj


def _plain(tree):
    """The expected tree as values, to show it."""
    if isinstance(tree, Same):
        return tree.obj
    return {k: _plain(v) for k, v in tree.items()}


def _expect_unflat(result, expected, rule, text):
    """Strict structure: branches are plain dicts with str keys in the expected order,
    leaves the very same objects. Walks with a stack (deep results too)."""
    stack = [(result, expected, "result")]
    while stack:
        got, want, where = stack.pop()
        if isinstance(want, Same):
            if got is not want.obj:
                problem = f"{where} is {show(got)}, not the very same object as in the input"
                break
            continue
        if type(got) is not dict:
            problem = f"{where} is a {type(got).__name__}, not a plain dict"
            break
        if list(got) != list(want):
            problem = f"{where} has the keys {show(list(got))}, not {show(list(want))}"
            break
        for key in want:
            stack.append((got[key], want[key], f"{where}[{key!r}]"))
    else:
        return
    fail(rule, text, f"{returned(result)}: {problem}", show(_plain(expected)))


def _unflat(data, rule, sep=None, positional=False, data_text=None):
    """unflatten(data[, sep]), checking that it leaves its input unchanged."""
    text = call_text("unflatten", data, sep, positional, data_text)
    before = snapshot(data)
    if sep is None:
        result = run(unflatten, text, rule, data)
    elif positional:
        result = run(unflatten, text, rule, data, sep)
    else:
        result = run(unflatten, text, rule, data, sep=sep)
    expect_unchanged(data, before, text, "unflatten")
    if result is data:
        fail("unflatten returns a new dict and never changes its input", text,
             "returned the input itself")
    return result, text


# -- 10,000 levels ---------------------------------------------------------------------

def _deep(kinds, leaf, sibling=None):
    """Nested data with kinds[i] ("dict" or "list") at depth i; the leaf at the bottom.

    Every 1,000th level also holds `sibling` after the nested part. Returns the data and
    the flat keys (the deepest first) as lists of segments."""
    data = leaf
    segments = []  # from the bottom up
    for depth in reversed(range(len(kinds))):
        with_sibling = sibling is not None and depth % 1000 == 0
        if kinds[depth] == "dict":
            data = {"k": data, "s": sibling} if with_sibling else {"k": data}
            segments.append("k")
        else:
            data = [data, sibling] if with_sibling else [data]
            segments.append("0")
    path = ["top", *reversed(segments)]
    keys = [".".join(path)]
    if sibling is not None:
        for depth in reversed(range(0, len(kinds), 1000)):
            keys.append(".".join([*path[:depth + 1], "s" if kinds[depth] == "dict" else "1"]))
    return {"top": data}, keys


_MIX = random.Random(2024)
SHAPES = {
    "dicts": ["dict"] * DEPTH,
    "lists-of-lists": ["list"] * DEPTH,
    "dicts-and-lists-alternating": ["dict", "list"] * (DEPTH // 2),
    "lists-inside-dicts": ["dict"] * (DEPTH // 2) + ["list"] * (DEPTH // 2),
    "dicts-inside-lists": ["list"] * (DEPTH // 2) + ["dict"] * (DEPTH // 2),
    "random-mix": [_MIX.choice(["dict", "list"]) for _ in range(DEPTH)],
}
_DESCRIBE = {"dict": "{'k': ", "list": "["}
_CLOSE = {"dict": "}", "list": "]"}


@pytest.fixture(scope="module")
def deep_input():
    """shape -> (data, flat keys, leaf, sibling): each shape's input, built by a loop at most
    once per worker. Module-scoped, so these tests run in one worker: the reference keeps
    every level's path (up to 20,000 characters) while it descends, about 100 MB in all,
    and a process pays the page faults for that memory on its first deep input only."""
    built = {}

    def get(shape):
        if shape not in built:
            leaf, sibling = Leaf(1), Leaf(2)
            built[shape] = (*_deep(SHAPES[shape], leaf, sibling), leaf, sibling)
        return built[shape]

    return get


@pytest.mark.timeout(20)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_flatten_handles_10000_levels(shape, deep_input):
    """10,000 levels of dicts, lists, lists of lists or any mix flatten without RecursionError."""
    kinds = SHAPES[shape]
    data, keys, leaf, sibling = deep_input(shape)
    opening = "".join(_DESCRIBE[k] for k in kinds[:4])
    closing = "".join(_CLOSE[k] for k in reversed(kinds[-2:]))
    described = (f"{{'top': {opening}... {DEPTH:,} levels of {shape.replace('-', ' ')} ... "
                 f"Leaf(1){closing}...}} (with a sibling Leaf(2) at every 1,000th level)")
    text = call_text("flatten", data, data_text=described)
    try:
        result = flatten(data)
    except Exception as exc:
        fail(DEEP, text, raised(exc))
    want = (f"{len(keys)} flat keys, the deepest first: {keys[0][:40]}... holding Leaf(1), "
            "then the siblings' keys, deepest first, holding Leaf(2)")
    if type(result) is not dict:
        fail(DEEP, text, f"returned a {type(result).__name__}", want)
    got_keys = list(result)
    if got_keys != keys:
        bad = next((i for i, (g, k) in enumerate(zip(got_keys, keys, strict=False)) if g != k),
                   min(len(got_keys), len(keys)))
        detail = (f"flat key number {bad + 1} is {show(got_keys[bad])[:80]}..., "
                  f"expected {keys[bad][:80]}..." if bad < min(len(got_keys), len(keys))
                  else "")
        fail(DEEP, text, f"returned {len(got_keys)} keys; {detail}", want)
    if result[keys[0]] is not leaf or any(result[k] is not sibling for k in keys[1:]):
        fail(DEEP, text, "returned the right keys, but not the very same leaf objects", want)


@pytest.mark.timeout(20)
def test_unflatten_handles_10000_levels():
    """A key of 10,000 segments unflattens without RecursionError."""
    leaf, other = Leaf(1), Leaf(2)
    key = ".".join(["k"] * DEPTH)
    side = ".".join(["k"] * (DEPTH // 2) + ["s"])
    data = {key: leaf, side: other}
    described = ("{'k.k.k....(10,000 segments)...k': Leaf(1), "
                 "'k.k....(5,000 segments)...k.s': Leaf(2)}")
    text = call_text("unflatten", data, data_text=described)
    try:
        result = unflatten(data)
    except Exception as exc:
        fail(DEEP, text, raised(exc))
    node = result
    for level in range(DEPTH):
        want = ["k", "s"] if level == DEPTH // 2 else ["k"]
        if type(node) is not dict or list(node) != want:
            what = (f"a {type(node).__name__}, not a plain dict" if type(node) is not dict
                    else f"a dict with the keys {show(list(node))[:100]}")
            fail(DEEP, text, f"level {level} of the result is {what}",
                 f"plain dicts {{'k': ...}} all the way down, with the key 's' at level "
                 f"{DEPTH // 2}")
        if level == DEPTH // 2 and node["s"] is not other:
            fail(DEEP, text, f"level {level}['s'] is {show(node['s'])[:100]}", "Leaf(2)")
        node = node["k"]
    if node is not leaf:
        fail(DEEP, text, f"the innermost value is {show(node)[:100]}", "Leaf(1) itself")


# -- unflatten -------------------------------------------------------------------------

def test_unflatten_example_keeps_digit_segments_as_strings():
    """{"a.0.b": 1} gives {"a": {"0": {"b": 1}}}: "0" stays a string key."""
    data = {"a.0.b": 1}
    result, text = _unflat(data, SPLIT)
    if (type(result) is not dict or list(result) != ["a"] or type(result["a"]) is not dict
            or list(result["a"]) != ["0"] or type(result["a"]["0"]) is not dict
            or list(result["a"]["0"].items()) != [("b", 1)]):
        fail(SPLIT, text, returned(result), "{'a': {'0': {'b': 1}}}")


def test_unflatten_digit_keys_make_a_dict_not_a_list():
    """{"0": x, "1": y} and {"a.0": x, "a.1": y} give dicts keyed "0" and "1", never lists."""
    x, y = Leaf(1), Leaf(2)
    result, text = _unflat({"0": x, "1": y}, SPLIT)
    _expect_unflat(result, {"0": Same(x), "1": Same(y)}, SPLIT, text)
    result, text = _unflat({"a.0": x, "a.1": y}, SPLIT)
    _expect_unflat(result, {"a": {"0": Same(x), "1": Same(y)}}, SPLIT, text)


@pytest.mark.parametrize(("data", "sep", "expected"), [
    ({"a..b": 1}, None, {"a": {"": {"b": 1}}}),
    ({".a": 1}, None, {"": {"a": 1}}),
    ({"a.": 1}, None, {"a": {"": 1}}),
    ({".": 1}, None, {"": {"": 1}}),
    ({"": 1}, None, {"": 1}),
    ({"a..b": 1, "a.b": 2, "a.": 3}, None, None),
    ({"a::::b": 1, "::a": 2}, "::", {"a": {"": {"b": 1}}, "": {"a": 2}}),
], ids=["double-sep", "leading-sep", "trailing-sep", "only-sep", "empty-key",
        "empty-segment-is-a-leaf-and-a-branch", "double-multi-char-sep"])
def test_unflatten_keeps_empty_segments(data, sep, expected):
    """Splitting on sep keeps empty segments: "a..b" is "a", "", "b"; ".a" is "", "a"."""
    data = {k: Leaf(v) for k, v in data.items()}
    if expected is None:  # "a." makes "a" -> "" a leaf, "a..b" goes through it
        expect_error(unflatten, ValueError, call_text("unflatten", data, sep), SPLIT + "; " + BOTH,
                     data)
        return
    leaves = {v.n: Same(v) for v in data.values()}

    def tree(value):
        return leaves[value] if isinstance(value, int) else {k: tree(v) for k, v in value.items()}

    result, text = _unflat(data, SPLIT, sep=sep)
    _expect_unflat(result, tree(expected), SPLIT, text)


def test_unflatten_merges_shared_prefixes():
    """Keys that share a prefix end up in the same nested dict."""
    a, b, c, d = (Leaf(i) for i in range(4))
    result, text = _unflat({"x.y": a, "x.z.w": b, "x.z.v": c, "top": d}, SPLIT)
    _expect_unflat(result, {"x": {"y": Same(a), "z": {"w": Same(b), "v": Same(c)}},
                            "top": Same(d)}, SPLIT, text)


def test_unflatten_stores_values_as_is():
    """Values are leaves: a dict, a list or any object is stored as the same object."""
    as_dict, as_list, empty, empty_list = {"p": 1, "q.r": 2}, [1, {"q": 2}], {}, []
    result, text = _unflat({"a.b": as_dict, "a.c": as_list, "e": empty, "f.g": empty_list},
                           AS_IS)
    _expect_unflat(result, {"a": {"b": Same(as_dict), "c": Same(as_list)}, "e": Same(empty),
                            "f": {"g": Same(empty_list)}}, AS_IS, text)


def test_unflatten_uses_sep():
    """Keys are split on the given sep only, which may be several characters."""
    a, b = Leaf(1), Leaf(2)
    result, text = _unflat({"a/b": a, "c.d": b}, SPLIT, sep="/")
    _expect_unflat(result, {"a": {"b": Same(a)}, "c.d": Same(b)}, SPLIT, text)
    result, text = _unflat({"a::b::c": a, "a::d:e": b}, SPLIT, sep="::", positional=True)
    _expect_unflat(result, {"a": {"b": {"c": Same(a)}, "d:e": Same(b)}}, SPLIT, text)


def test_unflatten_returns_a_new_dict_and_leaves_the_input_unchanged():
    """The input mapping is read only; the result is a new plain dict."""
    x, y, inner = Leaf(1), Leaf(2), {"c.d": Leaf(3)}
    result, text = _unflat({"a": x, "b.c": y, "e": inner}, AS_IS)
    _expect_unflat(result, {"a": Same(x), "b": {"c": Same(y)}, "e": Same(inner)}, AS_IS, text)
    flat_data = {"x": Leaf(3)}
    result, text = _unflat(flat_data, AS_IS)
    _expect_unflat(result, {"x": Same(flat_data["x"])}, AS_IS, text)
    result, text = _unflat({}, AS_IS)
    _expect_unflat(result, {}, AS_IS, text)


@pytest.mark.parametrize("data", [
    {"a": 1, "a.b": 2}, {"a.b": 2, "a": 1}, {"a.b": 1, "a.b.c": 2}, {"a.b.c": 2, "a.b": 1},
    {"x.y": 1, "x.y.z.w": 2}, {"a": {}, "a.b": 1}, {"a.b": 1, "a": {}},
    {"a": {"b": 1}, "a.c": 2}, {"a.c": 2, "a": {"b": 1}},
], ids=["leaf-then-branch", "branch-then-leaf", "deeper", "deeper-reversed", "two-levels-apart",
        "empty-dict-leaf", "empty-dict-leaf-after", "dict-leaf", "dict-leaf-after"])
def test_unflatten_raises_when_a_key_is_both_leaf_and_branch(data):
    """{"a": 1, "a.b": 2} in either order raises ValueError; the input is unchanged."""
    text = call_text("unflatten", data)
    before = snapshot(data)
    expect_error(unflatten, ValueError, text, BOTH, data)
    expect_unchanged(data, before, text, "unflatten")


@pytest.mark.parametrize("data", [{}, {"a.b": 1}], ids=["empty", "nested"])
def test_unflatten_empty_sep_raises_value_error(data):
    """sep="" raises ValueError and leaves the input unchanged."""
    text = call_text("unflatten", data, "")
    before = snapshot(data)
    expect_error(unflatten, ValueError, text, EMPTY_SEP, data, sep="")
    expect_unchanged(data, before, text, "unflatten")


# Keys without any character of the tested separators; leaves are never lists, and
# empty dicts are leaves.
ROUND_TRIP_DATA = nested(["a", "b", "x", "ab", "b_", "a_x"], min_size=1, leaves=(
    Leaf, lambda c: None, lambda c: "", lambda c: "x", lambda c: (1,), lambda c: (),
    lambda c: {}, lambda c: set()))


def _tree(value):
    """The expected tree of a round trip: non-empty dicts are branches, the rest leaves."""
    if type(value) is dict and value:
        return {k: _tree(v) for k, v in value.items()}
    return Same(value)


# Explicit example first: an attempt that breaks a common rule fails on it at once, with no
# search and nothing to shrink. The random examples look further.
@settings(max_examples=40)
@given(data=ROUND_TRIP_DATA, sep=SEPARATORS)
@example(data={"a": {"b": {"x": Leaf(1)}, "ab": {}}, "x": (1,), "b": {"a": None}}, sep="::")
def test_unflatten_inverts_flatten(data, sep):
    """Property: unflatten(flatten(d)) == d for dicts of plain keys without sep, no lists."""
    flat_data, _ = flat(flatten, data, ROUND_TRIP, sep=sep)
    text = Later(lambda: f"unflatten(flatten({show(data)}, sep={sep!r}), sep={sep!r})")
    if type(flat_data) is not dict:
        fail(ROUND_TRIP, text, f"flatten {returned(flat_data)}")
    before = snapshot(flat_data)
    try:
        result = unflatten(flat_data, sep=sep)
    except Exception as exc:
        fail(ROUND_TRIP, text, f"flatten returned {show(flat_data)}; unflatten {raised(exc)}",
             show(data))
    expect_unchanged(flat_data, before, Later(lambda: f"unflatten({show(flat_data)}, sep={sep!r})"),
                     "unflatten")
    _expect_unflat(result, {k: _tree(v) for k, v in data.items()}, ROUND_TRIP, text)
