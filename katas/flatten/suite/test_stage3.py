"""Stage 3: lists."""

import pytest
from flatten import flatten
from flatten_suite_kit import (
    NESTED_WITH_LISTS,
    Leaf,
    OrderedDict,
    call_text,
    check_flatten,
    expect_error,
    expect_flat,
    expect_unchanged,
    fail,
    flat,
    returned,
    run,
    snapshot,
)
from hypothesis import example, given, settings

pytestmark = pytest.mark.stage(3)

LISTS = ("a non-empty list is descended into like a mapping whose keys are its indices: "
         '{"a": [{"b": 1}, 2]} gives {"a.0.b": 1, "a.1": 2}')
EMPTY_LIST = "an empty list is a leaf, stored as is (the very same object)"
COLLISION = ("keys that come through lists take part in the collision rule: two different "
             "paths that give the same flat key raise ValueError whose message contains it")
LEAVES = "tuples, sets, strings and bytes are leaves, stored as is"


def test_list_items_are_keyed_by_index():
    """{"a": [{"b": 1}, 2]} gives {"a.0.b": 1, "a.1": 2}."""
    one, two = Leaf(1), Leaf(2)
    result, text = flat(flatten, {"a": [{"b": one}, two]}, LISTS)
    expect_flat(result, [("a.0.b", one), ("a.1", two)], LISTS, text)


def test_nested_lists():
    """{"m": [[1, 2], [3]]} gives {"m.0.0": 1, "m.0.1": 2, "m.1.0": 3}."""
    rule = 'a list inside a list is descended into too: {"m": [[1, 2], [3]]} gives ' \
           '{"m.0.0": 1, "m.0.1": 2, "m.1.0": 3}'
    result, text = flat(flatten, {"m": [[1, 2], [3]]}, rule)
    if type(result) is not dict or list(result.items()) != [("m.0.0", 1), ("m.0.1", 2),
                                                            ("m.1.0", 3)]:
        fail(rule, text, returned(result), "{'m.0.0': 1, 'm.0.1': 2, 'm.1.0': 3}")


def test_lists_use_the_given_sep_and_keep_order():
    """Indices are path segments like keys, joined by sep, in list order."""
    a, b, c = Leaf(1), Leaf(2), Leaf(3)
    result, text = flat(flatten, {"x": [a, {"y": [b]}], "z": c}, LISTS, sep="/")
    expect_flat(result, [("x/0", a), ("x/1/y/0", b), ("z", c)], LISTS, text)


def test_empty_list_is_a_leaf_stored_as_is():
    """An empty list is a leaf: the very same list object, wherever it is."""
    a, b, d = [], [], []
    result, text = flat(flatten, {"a": a, "b": [b], "c": {"d": d}}, EMPTY_LIST)
    expect_flat(result, [("a", a), ("b.0", b), ("c.d", d)], EMPTY_LIST, text)


@pytest.mark.parametrize("leaf", [(1, {"a": 2}), "text", b"bytes", {1, 2}, frozenset({3}),
                                  ("x",), bytearray(b"ab"), range(3), "", ()],
                         ids=["tuple", "str", "bytes", "set", "frozenset", "one-tuple",
                              "bytearray", "range", "empty-str", "empty-tuple"])
def test_other_containers_are_leaves(leaf):
    """Tuples, sets, strings and bytes are leaves, stored as the same objects."""
    result, text = flat(flatten, {"a": {"b": leaf}, "c": [leaf]}, LEAVES)
    expect_flat(result, [("a.b", leaf), ("c.0", leaf)], LEAVES, text)


def test_lists_in_the_input_are_unchanged():
    """Lists inside the input are read, never changed."""
    inner = [Leaf(1), {"b": Leaf(2)}]
    data = {"a": inner, "c": [[Leaf(3)]]}
    text = call_text("flatten", data)
    before = snapshot(data)
    run(flatten, text, "flatten never changes its input", data)
    expect_unchanged(data, before, text)


@pytest.mark.parametrize(("data", "key"), [
    ({"a": ["x"], "a.0": "y"}, "a.0"),
    ({"a.0": "y", "a": ["x"]}, "a.0"),
    ({"a": [["x"]], "a.0": ["y"]}, "a.0.0"),
    ({"a.0": ["y"], "a": [["x"]]}, "a.0.0"),
    ({"a": [{"b": 1}], "a.0": {"b": 2}}, "a.0.b"),
    ({"a": {"0": 1}, "b": 0, "a.0": 2}, "a.0"),
    ({"a": [[], 5], "a.1": 0}, "a.1"),
    ({"a": OrderedDict({0: ["x"]}), "a.0": ["y"]}, "a.0.0"),
], ids=["list-then-key", "key-then-list", "nested-lists", "nested-lists-reversed",
        "dict-in-list", "dict-key-0", "after-an-empty-list", "OrderedDict-int-key"])
def test_index_collision_raises_value_error(data, key):
    """{"a": ["x"], "a.0": "y"} in either order: the list path and the key both give "a.0"."""
    expect_error(flatten, ValueError, call_text("flatten", data), COLLISION, data, key=key)


def test_index_and_key_under_different_paths_do_not_collide():
    """{"a": [x], "b": {"0": y}} gives {"a.0": x, "b.0": y}: only equal flat keys collide."""
    x, y = Leaf(1), Leaf(2)
    rule = "only equal flat keys collide"
    result, text = flat(flatten, {"a": [x], "b": {"0": y}}, rule)
    expect_flat(result, [("a.0", x), ("b.0", y)], rule, text)


# Explicit examples run first: an attempt that breaks a common rule fails on one of them at
# once, with no search and nothing to shrink. The random examples look further.
@settings(max_examples=40)
@given(data=NESTED_WITH_LISTS)
@example(data={"a": [{"b": Leaf(1)}, [], [[Leaf(2)], "s"]], "c": ({"d": 1},)})
@example(data={"a": [[Leaf(1)]], "a.0.0": Leaf(2)})
def test_any_nesting_of_dicts_and_lists_follows_the_rules(data):
    """Property: dicts and lists nested in any way flatten by the rules, collisions included."""
    check_flatten(flatten, data, rule=f"{LISTS}; {EMPTY_LIST}")
