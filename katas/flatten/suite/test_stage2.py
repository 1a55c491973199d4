"""Stage 2: edge cases."""

import pytest
from flatten import flatten
from flatten_suite_kit import (
    NESTED_MAPPINGS,
    ItemsOnly,
    Leaf,
    MappingProxyType,
    OrderedDict,
    PlainMapping,
    call_text,
    check_flatten,
    expect_error,
    expect_flat,
    fail,
    flat,
    returned,
)
from hypothesis import example, given, settings

pytestmark = pytest.mark.stage(2)

EMPTY = ("a nested empty mapping is a leaf like any other, stored as is "
         "(the very same object, of its own type)")
MAPPINGS = "every collections.abc.Mapping is descended into, not only dict"
STR_KEYS = 'keys are turned into strings with str(): {1: {None: "x"}} gives {"1.None": "x"}'
SEP = "sep may be any non-empty string"
EMPTY_SEP = "an empty sep raises ValueError"
NOT_MAPPING = "data that is not a mapping raises TypeError"
COLLISION = ("when two different paths give the same flat key, flatten raises ValueError "
             "whose message contains that flat key")
KINDS = {"OrderedDict": OrderedDict, "MappingProxyType": MappingProxyType,
         "PlainMapping": PlainMapping}


def test_nested_empty_mapping_is_a_leaf():
    """{"a": {}} gives {"a": {}}, the very same {}; an empty dict deeper down is kept too."""
    empty = {}
    result, text = flat(flatten, {"a": empty}, EMPTY)
    expect_flat(result, [("a", empty)], EMPTY, text)
    deeper = {}
    result, text = flat(flatten, {"x": {"y": deeper, "z": 1}}, EMPTY)
    expect_flat(result, [("x.y", deeper), ("x.z", 1)], EMPTY, text)


def test_empty_input_gives_a_new_empty_dict():
    """flatten({}) is {}: a new plain dict."""
    data = {}
    rule = "an empty input gives {}: a new plain dict"
    result, text = flat(flatten, data, rule)
    if type(result) is not dict or result != {} or result is data:
        fail(rule, text, "returned the input dict itself" if result is data else returned(result),
             "a new {}")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_mapping_is_descended_into(kind):
    """Any collections.abc.Mapping is descended into, nested or at the top."""
    make = KINDS[kind]
    one, two = Leaf(1), Leaf(2)
    data = make({"a": make({"b": one, "c": make({"d": two})})})
    result, text = flat(flatten, data, MAPPINGS)
    expect_flat(result, [("a.b", one), ("a.c.d", two)], MAPPINGS, text)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_empty_mapping_of_any_kind_is_stored_as_is(kind):
    """An empty OrderedDict, MappingProxyType or other Mapping is that very object, not {}."""
    empty, deeper = KINDS[kind]({}), KINDS[kind]({})
    result, text = flat(flatten, {"a": empty, "b": {"c": deeper}}, EMPTY)
    expect_flat(result, [("a", empty), ("b.c", deeper)], EMPTY, text)


def test_keys_are_turned_into_strings():
    """{1: {None: "x"}} gives {"1.None": "x"}: keys go through str()."""
    x = "x"
    result, text = flat(flatten, {1: {None: x}}, STR_KEYS)
    expect_flat(result, [("1.None", x)], STR_KEYS, text)
    leaf = Leaf(0)
    result, text = flat(flatten, {(1, 2): {2.5: {True: leaf}}}, STR_KEYS)
    expect_flat(result, [("(1, 2).2.5.True", leaf)], STR_KEYS, text)


@pytest.mark.parametrize("sep", ["::", " -> ", "→", "\t", "ab"])
def test_sep_may_be_any_non_empty_string(sep):
    """Multi-character and unusual separators are used as they are."""
    one, two = Leaf(1), Leaf(2)
    result, text = flat(flatten, {"a": {"b": one, "c": {"d": two}}}, SEP, sep=sep)
    expect_flat(result, [(f"a{sep}b", one), (f"a{sep}c{sep}d", two)], SEP, text)


@pytest.mark.parametrize("data", [{}, {"a": 1}, {"a": {"b": 1}}], ids=["empty", "flat", "nested"])
def test_empty_sep_raises_value_error(data):
    """sep="" raises ValueError, whatever the data."""
    expect_error(flatten, ValueError, call_text("flatten", data, ""), EMPTY_SEP, data, sep="")


@pytest.mark.parametrize("data", [None, 42, "abc", b"ab", [("a", 1)], [], ("a",), {1, 2},
                                  ItemsOnly({"a": 1})],
                         ids=["None", "int", "str", "bytes", "list-of-pairs", "empty-list",
                              "tuple", "set", "has-items-but-not-a-Mapping"])
def test_data_that_is_not_a_mapping_raises_type_error(data):
    """flatten(data) with a list, a string, None... raises TypeError."""
    expect_error(flatten, TypeError, call_text("flatten", data), NOT_MAPPING, data)


@pytest.mark.parametrize(("data", "key"), [
    ({"a.b": 1, "a": {"b": 2}}, "a.b"),
    ({"a": {"b": 2}, "a.b": 1}, "a.b"),
    ({1: "x", "1": "y"}, "1"),
    ({"x": {"y.z": 1}, "x.y": {"z": 2}}, "x.y.z"),
    ({"p": {"q": {}}, "p.q": 3}, "p.q"),
    ({"k": {None: 1}, "k.None": 2}, "k.None"),
    ({"m": OrderedDict({"n": 1}), "m.n": 2}, "m.n"),
    ({"m.n": 2, "m": PlainMapping({"n": 1})}, "m.n"),
    ({"m.1": 2, "m": MappingProxyType({1: 1})}, "m.1"),
], ids=["key-then-nested", "nested-then-key", "int-and-str", "deeper", "empty-leaf",
        "None-key", "OrderedDict", "PlainMapping-after", "MappingProxyType-int-key-after"])
def test_collision_raises_value_error_naming_the_key(data, key):
    """Two different paths with the same flat key raise ValueError whose message names it."""
    expect_error(flatten, ValueError, call_text("flatten", data), COLLISION, data, key=key)


def test_collision_with_another_sep_names_the_key():
    """Collisions are about the flat keys made with the given sep."""
    data = {"k/1": 0, "k": {1: 0}}
    expect_error(flatten, ValueError, call_text("flatten", data, "/"), COLLISION, data,
                 key="k/1", sep="/")
    data = {"k.1": 0, "k": {1: 0}}
    rule = "only equal flat keys collide: with sep='/', 'k.1' and 'k/1' differ"
    result, text = flat(flatten, data, rule, sep="/")
    expect_flat(result, [("k.1", 0), ("k/1", 0)], rule, text)


def test_shared_prefixes_are_not_collisions():
    """{"a": {"b": 1}, "a.c": 2} is fine: only equal flat keys collide."""
    one, two, three = Leaf(1), Leaf(2), Leaf(3)
    rule = "only two paths that give the same flat key collide; a shared prefix is fine"
    result, text = flat(flatten, {"a": {"b": one}, "a.c": two, "a.b.c": three}, rule)
    expect_flat(result, [("a.b", one), ("a.c", two), ("a.b.c", three)], rule, text)


# Explicit examples run first: an attempt that breaks a common rule fails on one of them at
# once, with no search and nothing to shrink. The random examples look further.
@settings(max_examples=40)
@given(data=NESTED_MAPPINGS)
@example(data=PlainMapping({1: OrderedDict({None: Leaf(1), "e": OrderedDict()}),
                            "m": MappingProxyType({"x": {}, 0: PlainMapping()})}))
@example(data=OrderedDict({"k.1": Leaf(1), "k": PlainMapping({1: Leaf(2)})}))
def test_any_mapping_kind_and_key_type_follows_the_rules(data):
    """Property: mixed Mapping kinds, empty ones and key types, including collisions."""
    check_flatten(flatten, data, rule=f"{MAPPINGS}; {EMPTY}; {STR_KEYS}")
