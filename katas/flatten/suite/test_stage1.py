"""Stage 1: nested dicts."""

import pytest
from flatten import flatten
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(1)


def test_example_from_the_prompt(kit):
    """{"a": 1, "b": {"c": 2, "d": {"e": 3}}} gives {"a": 1, "b.c": 2, "b.d.e": 3}."""
    one, two, three = kit.Leaf(1), kit.Leaf(2), kit.Leaf(3)
    data = {"a": one, "b": {"c": two, "d": {"e": three}}}
    kit.expect_flat(flatten(data), [("a", one), ("b.c", two), ("b.d.e", three)])


def test_plain_values_in_the_example(kit):
    """The prompt's example with plain ints compares equal, key for key."""
    result = flatten({"a": 1, "b": {"c": 2, "d": {"e": 3}}})
    assert type(result) is dict, "flatten must return a plain dict"
    assert list(result.items()) == [("a", 1), ("b.c", 2), ("b.d.e", 3)], (
        'expected {"a": 1, "b.c": 2, "b.d.e": 3}')


def test_keys_are_joined_with_sep(kit):
    """The flat key is the path joined by `sep`, with no separator in front."""
    x, y = kit.Leaf(1), kit.Leaf(2)
    kit.expect_flat(flatten({"a": {"b": x}, "c": y}, sep="/"), [("a/b", x), ("c", y)],
                    'with sep="/"')
    kit.expect_flat(flatten({"a": {"b": {"c": x}}}, "_"), [("a_b_c", x)],
                    'with sep="_" passed by position')


def test_result_is_a_new_dict_even_when_nothing_is_nested(kit):
    """Already flat input still gives a new dict, not the input itself."""
    leaf = kit.Leaf(1)
    data = {"a": leaf, "b": "text"}
    result = flatten(data)
    assert result is not data, "flatten must return a new dict, not the input"
    kit.expect_flat(result, [("a", leaf), ("b", data["b"])])
    result["c"] = 1
    assert "c" not in data, "the result must not share anything with the input"


def test_leaves_are_stored_as_the_same_objects(kit):
    """Leaves are not copied: tuples, sets, objects and strings come back as the same objects."""
    values = [kit.Leaf(0), (1, [2]), {3, 4}, object(), "text", None, 7.5, frozenset()]
    data = {"top": {f"k{i}": v for i, v in enumerate(values)}}
    kit.expect_flat(flatten(data), [(f"top.k{i}", v) for i, v in enumerate(values)])


def test_input_and_every_mapping_inside_is_unchanged(kit):
    """flatten reads its input only: keys, values, order and inner dicts stay as they were."""
    inner = {"d": {"e": kit.Leaf(3)}, "c": kit.Leaf(2)}
    data = {"a": kit.Leaf(1), "b": inner, "f": {"g": {"h": kit.Leaf(4)}}}
    before = kit.snapshot(data)
    flatten(data)
    assert kit.snapshot(data) == before, "flatten changed its input (a key, a value or the order)"
    assert data["b"] is inner, "the nested dict was replaced in the input"


def test_keys_come_out_depth_first_in_each_mappings_order(kit):
    """Depth-first, each mapping in its own order (not sorted, not breadth-first)."""
    leaves = [kit.Leaf(i) for i in range(6)]
    data = {"z": {"b": leaves[0], "a": {"y": leaves[1]}}, "m": leaves[2],
            "c": {"q": {"r": leaves[3]}, "p": leaves[4]}, "a": leaves[5]}
    kit.expect_flat(flatten(data), [("z.b", leaves[0]), ("z.a.y", leaves[1]), ("m", leaves[2]),
                                    ("c.q.r", leaves[3]), ("c.p", leaves[4]), ("a", leaves[5])])


@settings(max_examples=25)
@given(data=st.data())
def test_any_nested_dict_matches_the_rules(kit, data):
    """Property: for nested dicts of string keys, flatten follows every stage 1 rule."""
    value = data.draw(kit.nested_dicts, label="data")
    before = kit.snapshot(value)
    expected, _ = kit.model(value)
    kit.expect_flat(flatten(value), list(expected.items()))
    assert kit.snapshot(value) == before, "flatten changed its input"
