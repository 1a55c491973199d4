"""Stage 2: edge cases."""

from collections.abc import Mapping

import pytest
from flatten import flatten
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(2)


def test_nested_empty_mapping_is_a_leaf(kit):
    """{"a": {}} gives {"a": {}}; an empty dict deeper down is kept too."""
    kit.expect_flat(flatten({"a": {}}), [("a", {})])
    empty = {}
    kit.expect_flat(flatten({"x": {"y": empty, "z": 1}}), [("x.y", empty), ("x.z", 1)])


def test_empty_input_gives_a_new_empty_dict():
    """flatten({}) is {}: a new plain dict."""
    data = {}
    result = flatten(data)
    assert type(result) is dict and result == {}, "flatten({}) must give {}"
    assert result is not data, "flatten({}) must return a new dict, not the input"


@pytest.mark.parametrize("kind", ["OrderedDict", "MappingProxyType", "PlainMapping"])
def test_every_mapping_is_descended_into(kit, kind):
    """Any collections.abc.Mapping is descended into, nested or at the top."""
    make = getattr(kit, kind)
    one, two = kit.Leaf(1), kit.Leaf(2)
    data = make({"a": make({"b": one, "c": make({"d": two})})})
    kit.expect_flat(flatten(data), [("a.b", one), ("a.c.d", two)], f"for {kind}")


def test_empty_mapping_of_any_kind_is_a_leaf_equal_to_empty_dict(kit):
    """An empty OrderedDict or MappingProxyType is a leaf equal to {}."""
    for make in (kit.OrderedDict, kit.MappingProxyType, kit.PlainMapping):
        empty = make({})
        result = flatten({"a": empty})
        assert type(result) is dict and list(result) == ["a"], "expected the single key 'a'"
        value = result["a"]
        assert value is empty or (type(value) is dict and value == {}), (
            "a nested empty mapping is a leaf equal to {}")


def test_keys_are_turned_into_strings(kit):
    """{1: {None: "x"}} gives {"1.None": "x"}: keys go through str()."""
    x = "x"
    kit.expect_flat(flatten({1: {None: x}}), [("1.None", x)])
    leaf = kit.Leaf(0)
    kit.expect_flat(flatten({(1, 2): {2.5: {True: leaf}}}), [("(1, 2).2.5.True", leaf)])


@pytest.mark.parametrize("sep", ["::", " -> ", "→", "\t", "ab"])
def test_sep_may_be_any_non_empty_string(kit, sep):
    """Multi-character and unusual separators are used as they are."""
    one, two = kit.Leaf(1), kit.Leaf(2)
    kit.expect_flat(flatten({"a": {"b": one, "c": {"d": two}}}, sep=sep),
                    [(f"a{sep}b", one), (f"a{sep}c{sep}d", two)], f"with sep={sep!r}")


@pytest.mark.parametrize("data", [{}, {"a": 1}, {"a": {"b": 1}}])
def test_empty_sep_raises_value_error(data):
    """sep="" raises ValueError, whatever the data."""
    with pytest.raises(ValueError):
        flatten(data, sep="")


@pytest.mark.parametrize("data", [None, 42, "abc", b"ab", [("a", 1)], [], ("a",), {1, 2}])
def test_data_that_is_not_a_mapping_raises_type_error(data):
    """flatten(data) with a list, a string, None... raises TypeError."""
    with pytest.raises(TypeError):
        flatten(data)


@pytest.mark.parametrize(("data", "key"), [
    ({"a.b": 1, "a": {"b": 2}}, "a.b"),
    ({"a": {"b": 2}, "a.b": 1}, "a.b"),
    ({1: "x", "1": "y"}, "1"),
    ({"x": {"y.z": 1}, "x.y": {"z": 2}}, "x.y.z"),
    ({"p": {"q": {}}, "p.q": 3}, "p.q"),
    ({"k": {None: 1}, "k.None": 2}, "k.None"),
])
def test_collision_raises_value_error_naming_the_key(data, key):
    """Two different paths with the same flat key raise ValueError whose message names it."""
    with pytest.raises(ValueError) as caught:
        flatten(data)
    assert key in str(caught.value), (
        f"the ValueError's message must contain the flat key {key!r}, got {str(caught.value)!r}")


def test_collision_with_another_sep_names_the_key():
    """Collisions are about the flat keys made with the given sep."""
    with pytest.raises(ValueError) as caught:
        flatten({"k/1": 0, "k": {1: 0}}, sep="/")
    assert "k/1" in str(caught.value), "the message must contain the flat key 'k/1'"
    result = flatten({"k.1": 0, "k": {1: 0}}, sep="/")
    assert list(result) == ["k.1", "k/1"], "with sep='/', 'k.1' and 'k/1' do not collide"


def test_shared_prefixes_are_not_collisions(kit):
    """{"a": {"b": 1}, "a.c": 2} is fine: only equal flat keys collide."""
    one, two, three = kit.Leaf(1), kit.Leaf(2), kit.Leaf(3)
    kit.expect_flat(flatten({"a": {"b": one}, "a.c": two, "a.b.c": three}),
                    [("a.b", one), ("a.c", two), ("a.b.c", three)])


@settings(max_examples=30)
@given(data=st.data())
def test_any_mapping_kind_and_key_type_follows_the_rules(kit, data):
    """Property: mixed Mapping kinds and key types, including collisions."""
    value = data.draw(kit.nested_mixed, label="data")
    before = kit.snapshot(value)
    expected, collisions = kit.model(value)
    if collisions:
        with pytest.raises(ValueError) as caught:
            flatten(value)
        message = str(caught.value)
        assert any(key in message for key in collisions), (
            f"the ValueError's message must name a colliding key ({collisions[0]!r})")
    else:
        kit.expect_flat(flatten(value), list(expected.items()))
    assert kit.snapshot(value) == before, "flatten changed its input"
    assert isinstance(value, Mapping)
