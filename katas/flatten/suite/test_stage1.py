"""Stage 1: nested dicts."""

import pytest
from flatten import flatten
from flatten_suite_kit import (
    NESTED_DICTS,
    SEPARATORS,
    ItemsOnly,
    Leaf,
    call_text,
    check_flatten,
    expect_flat,
    expect_unchanged,
    fail,
    flat,
    returned,
    run,
    snapshot,
)
from hypothesis import example, given, settings

pytestmark = pytest.mark.stage(1)

PATHS = ("a value that is a non-empty mapping is descended into; the flat key is the path "
         "of keys joined by sep")
SAME = "any other value is a leaf, stored as is: the very same object"
NEW = "the result is a new plain dict; the input, and every mapping inside it, is left unchanged"
ORDER = "keys come out in depth-first order, following each mapping's own order"


def test_example_from_the_prompt():
    """{"a": 1, "b": {"c": 2, "d": {"e": 3}}} gives {"a": 1, "b.c": 2, "b.d.e": 3}."""
    one, two, three = Leaf(1), Leaf(2), Leaf(3)
    data = {"a": one, "b": {"c": two, "d": {"e": three}}}
    result, text = flat(flatten, data, PATHS)
    expect_flat(result, [("a", one), ("b.c", two), ("b.d.e", three)], PATHS, text)


def test_plain_values_in_the_example():
    """The prompt's example with plain ints compares equal, key for key."""
    data = {"a": 1, "b": {"c": 2, "d": {"e": 3}}}
    result, text = flat(flatten, data, PATHS)
    if type(result) is not dict or list(result.items()) != [("a", 1), ("b.c", 2), ("b.d.e", 3)]:
        fail(PATHS, text, returned(result), "{'a': 1, 'b.c': 2, 'b.d.e': 3}")


def test_keys_are_joined_with_sep():
    """The flat key is the path joined by `sep`, with no separator in front."""
    x, y = Leaf(1), Leaf(2)
    data = {"a": {"b": x}, "c": y}
    result, text = flat(flatten, data, PATHS, sep="/")
    expect_flat(result, [("a/b", x), ("c", y)], PATHS, text)
    data = {"a": {"b": {"c": x}}}
    result, text = flat(flatten, data, PATHS, sep="_", positional=True)
    expect_flat(result, [("a_b_c", x)], PATHS, text)


def test_result_is_a_new_dict_even_when_nothing_is_nested():
    """Already flat input still gives a new dict, not the input itself."""
    leaf = Leaf(1)
    data = {"a": leaf, "b": "text"}
    before = snapshot(data)
    result, text = flat(flatten, data, NEW)
    if result is data:
        fail(NEW, text, "returned the input dict itself", "a new dict")
    expect_flat(result, [("a", leaf), ("b", data["b"])], NEW, text)
    result["c"] = 1
    expect_unchanged(data, before, text + ", then result['c'] = 1")


def test_leaves_are_stored_as_the_same_objects():
    """Leaves are not copied: tuples, sets, objects and strings come back as the same objects."""
    values = [Leaf(0), (1, [2]), {3, 4}, object(), "text", None, 7.5, frozenset(), b"by"]
    data = {"top": {f"k{i}": v for i, v in enumerate(values)}}
    result, text = flat(flatten, data, SAME)
    expect_flat(result, [(f"top.k{i}", v) for i, v in enumerate(values)], SAME, text)


def test_values_that_only_look_like_mappings_are_leaves():
    """An object with items() and keys() that is not a Mapping is a leaf, not descended into."""
    looks = ItemsOnly({"x": Leaf(1), "y": Leaf(2)})
    result, text = flat(flatten, {"a": {"b": looks}, "c": looks}, SAME)
    expect_flat(result, [("a.b", looks), ("c", looks)], SAME, text)


def test_input_and_every_mapping_inside_is_unchanged():
    """flatten reads its input only: keys, values, order and inner dicts stay as they were."""
    inner = {"d": {"e": Leaf(3)}, "c": Leaf(2)}
    data = {"a": Leaf(1), "b": inner, "f": {"g": {"h": Leaf(4)}}}
    text = call_text("flatten", data)
    before = snapshot(data)
    run(flatten, text, NEW, data)
    expect_unchanged(data, before, text)


def test_keys_come_out_depth_first_in_each_mappings_order():
    """Depth-first, each mapping in its own order (not sorted, not breadth-first)."""
    leaves = [Leaf(i) for i in range(6)]
    data = {"z": {"b": leaves[0], "a": {"y": leaves[1]}}, "m": leaves[2],
            "c": {"q": {"r": leaves[3]}, "p": leaves[4]}, "a": leaves[5]}
    result, text = flat(flatten, data, ORDER)
    expect_flat(result, [("z.b", leaves[0]), ("z.a.y", leaves[1]), ("m", leaves[2]),
                         ("c.q.r", leaves[3]), ("c.p", leaves[4]), ("a", leaves[5])],
                ORDER, text)


# Explicit examples run first, in this order (the simplest first, for a readable failure):
# an attempt that breaks a common rule fails on one of them at once, with no search and
# nothing to shrink. The random examples look further.
@settings(max_examples=40)
@given(data=NESTED_DICTS, sep=SEPARATORS)
@example(data={"x": {"y": Leaf(1)}, "a": Leaf(2)}, sep=".")
@example(data={"b": {"x": Leaf(1), "a": {"c": (1, 2)}}, "a": "s", "ab": {"z": {3}}}, sep="::")
def test_any_nested_dict_matches_the_rules(data, sep):
    """Property: for nested non-empty dicts of string keys, flatten follows every stage 1 rule."""
    check_flatten(flatten, data, sep, rule=f"{PATHS}; {SAME}; {ORDER}")

