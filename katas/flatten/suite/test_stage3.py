"""Stage 3: lists."""

import pytest
from flatten import flatten
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(3)


def test_list_items_are_keyed_by_index(kit):
    """{"a": [{"b": 1}, 2]} gives {"a.0.b": 1, "a.1": 2}."""
    one, two = kit.Leaf(1), kit.Leaf(2)
    kit.expect_flat(flatten({"a": [{"b": one}, two]}), [("a.0.b", one), ("a.1", two)])


def test_nested_lists(kit):
    """{"m": [[1, 2], [3]]} gives {"m.0.0": 1, "m.0.1": 2, "m.1.0": 3}."""
    result = flatten({"m": [[1, 2], [3]]})
    assert type(result) is dict, "flatten must return a plain dict"
    assert list(result.items()) == [("m.0.0", 1), ("m.0.1", 2), ("m.1.0", 3)], (
        'expected {"m.0.0": 1, "m.0.1": 2, "m.1.0": 3}')


def test_lists_use_the_given_sep_and_keep_order(kit):
    """Indices are path segments like keys, joined by sep, in list order."""
    a, b, c = kit.Leaf(1), kit.Leaf(2), kit.Leaf(3)
    kit.expect_flat(flatten({"x": [a, {"y": [b]}], "z": c}, sep="/"),
                    [("x/0", a), ("x/1/y/0", b), ("z", c)], 'with sep="/"')


def test_empty_list_is_a_leaf(kit):
    """An empty list is a leaf equal to []."""
    kit.expect_flat(flatten({"a": [], "b": [[]], "c": {"d": []}}),
                    [("a", []), ("b.0", []), ("c.d", [])])


@pytest.mark.parametrize("leaf", [(1, {"a": 2}), "text", b"bytes", {1, 2}, frozenset({3}),
                                  ("x",), bytearray(b"ab"), range(3)],
                         ids=["tuple", "str", "bytes", "set", "frozenset", "one-tuple",
                              "bytearray", "range"])
def test_other_containers_are_leaves(kit, leaf):
    """Tuples, sets, strings and bytes are leaves, stored as the same objects."""
    kit.expect_flat(flatten({"a": {"b": leaf}}), [("a.b", leaf)], f"for a {type(leaf).__name__}")


def test_lists_in_the_input_are_unchanged(kit):
    """Lists inside the input are read, never changed."""
    inner = [kit.Leaf(1), {"b": kit.Leaf(2)}]
    data = {"a": inner, "c": [[kit.Leaf(3)]]}
    before = kit.snapshot(data)
    flatten(data)
    assert kit.snapshot(data) == before, "flatten changed a list or a dict inside its input"


def test_index_collision_raises_value_error(kit):
    """{"a": [5], "a.0": 6}: the list path and the key give "a.0", a collision."""
    with pytest.raises(ValueError) as caught:
        flatten({"a": [5], "a.0": 6})
    assert "a.0" in str(caught.value), "the ValueError's message must contain 'a.0'"


@settings(max_examples=30)
@given(data=st.data())
def test_any_nesting_of_dicts_and_lists_follows_the_rules(kit, data):
    """Property: dicts and lists nested in any way flatten by the rules."""
    value = data.draw(kit.nested_with_lists, label="data")
    before = kit.snapshot(value)
    expected, collisions = kit.model(value)
    if collisions:
        with pytest.raises(ValueError):
            flatten(value)
    else:
        kit.expect_flat(flatten(value), list(expected.items()))
    assert kit.snapshot(value) == before, "flatten changed its input"
