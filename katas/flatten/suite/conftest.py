"""Shared helpers of the flatten suite.

Test modules are imported with --import-mode=importlib and cannot import each other.
Fixtures would do for plain tests, but a @given test shows every argument in its
falsifying example, fixtures included. So this file registers its helpers as the module
`flatten_suite_kit` (pytest imports a folder's conftest.py before its test modules), and
the stage files take them with `from flatten_suite_kit import ...`: a @given test then
has only the drawn input as arguments, and its example reads as that input.

Nothing here calls or imports the attempt's `unflatten`: stages 1-3 need `flatten`
alone. The functions under test are always passed in by the stage files.

Every failure message has the shape
    <the rule, in the contract's words>
    input: <the call, as a person would type it>
    expected: <what the contract requires>
    got: <what the attempt returned or raised>
"""

from __future__ import annotations

import sys
import traceback
from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import NoReturn

import pytest
from hypothesis import strategies as st

SHOW_CHARS = 600


class Leaf:
    """A leaf value that is only equal to itself: identity is what counts."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"Leaf({self.n})"


class PlainMapping(Mapping):
    """A Mapping that is not a dict subclass."""

    def __init__(self, items=()) -> None:
        self._items = dict(items)

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"PlainMapping({self._items!r})"


class ItemsOnly:
    """Not a Mapping (not registered, no Mapping base), though it has items(), keys(),
    __getitem__, __len__ and __iter__: a value that only looks like a mapping."""

    def __init__(self, items=()) -> None:
        self._items = dict(items)

    def items(self):
        return self._items.items()

    def keys(self):
        return self._items.keys()

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"ItemsOnly({self._items!r})"


# -- showing values as a person would type them ----------------------------------------

def _show(value, depth: int) -> str:
    if depth > 12:
        return "..."
    if type(value) is dict or type(value) in _MAPPING_NAMES:
        inner = "{" + ", ".join(f"{_show(k, depth + 1)}: {_show(v, depth + 1)}"
                                for k, v in value.items()) + "}"
        name = _MAPPING_NAMES.get(type(value))
        return inner if name is None else f"{name}({inner})"
    if type(value) is list:
        return "[" + ", ".join(_show(v, depth + 1) for v in value) + "]"
    if type(value) is set and not value:
        return "set()"
    if type(value) is object:
        return "object()"
    try:
        return repr(value)
    except Exception:  # a value of the attempt's with a broken repr
        return f"<a {type(value).__name__} object>"


_MAPPING_NAMES = {OrderedDict: "OrderedDict", MappingProxyType: "MappingProxyType",
                  PlainMapping: "PlainMapping"}


def show(value) -> str:
    """The value as a person would type it, cut to a readable length."""
    text = _show(value, 0)
    return text if len(text) <= SHOW_CHARS else text[:SHOW_CHARS] + " …"


def call_text(name: str, data, sep=None, positional_sep: bool = False,
              data_text: str | None = None) -> str:
    """`flatten({...})`, `flatten({...}, sep='/')` or `flatten({...}, '/')`."""
    args = data_text if data_text is not None else show(data)
    if sep is not None:
        args += f", {sep!r}" if positional_sep else f", sep={sep!r}"
    return f"{name}({args})"


def _where(exc: BaseException) -> str:
    """ (flatten.py, line N): the last line of the attempt that the exception went through."""
    module = sys.modules.get("flatten")
    attempt = getattr(module, "__file__", None)
    if not attempt:
        return ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == attempt]
    if not frames:
        return ""
    return f" ({attempt.rsplit('/', 1)[-1]}, line {frames[-1].lineno})"


def raised(exc: BaseException) -> str:
    try:
        text = repr(exc)
    except Exception:
        text = type(exc).__name__
    if len(text) > SHOW_CHARS:
        text = text[:SHOW_CHARS] + " …"
    return f"raised {text}{_where(exc)}"


def returned(value) -> str:
    if type(value) is dict:
        return f"returned {show(value)}"
    return f"returned an object of type {type(value).__name__}: {show(value)}"


class Later:
    """Text worked out only if a failure shows it (the property tests pass many examples,
    and showing each one's expected value would cost more than checking it)."""

    __slots__ = ("_make",)

    def __init__(self, make) -> None:
        self._make = make

    def __str__(self) -> str:
        return self._make()


def fail(rule: str, text: str, got: str, expected: str | None = None) -> NoReturn:
    lines = [rule, f"input: {text}"]
    if expected is not None:
        lines.append(f"expected: {expected}")
    lines.append(f"got: {got}")
    # `from None`: a failure raised while handling the attempt's exception says it all.
    raise pytest.fail.Exception("\n".join(lines), pytrace=False) from None


# -- calling the attempt ---------------------------------------------------------------

def run(fn, text: str, rule: str, *args, expected: str | None = None, **kwargs):
    """Call fn(*args, **kwargs); an exception fails the test with the shape above."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        error = exc
    fail(rule, text, raised(error), expected)


def flat(flatten, data, rule: str, sep=None, positional: bool = False,
         data_text: str | None = None, expected: str | None = None):
    """flatten(data[, sep]) and the text of that call; an exception fails the test."""
    text = call_text("flatten", data, sep, positional, data_text)
    if sep is None:
        return run(flatten, text, rule, data, expected=expected), text
    if positional:
        return run(flatten, text, rule, data, sep, expected=expected), text
    return run(flatten, text, rule, data, sep=sep, expected=expected), text


def expect_error(fn, error: type[Exception], text: str, rule: str, *args,
                 key: str | None = None, expected: str | None = None, **kwargs) -> None:
    """fn(*args, **kwargs) must raise `error` (whose message contains `key`, if given)."""
    if expected is None:
        expected = f"raises {error.__name__}" + (
            f" whose message contains {key!r}" if key is not None else "")
    try:
        result = fn(*args, **kwargs)
    except Exception as exc:
        caught = exc
    else:
        fail(rule, text, returned(result), expected)
    if not isinstance(caught, error):
        fail(rule, text, raised(caught), expected)
    if key is not None and key not in str(caught):
        fail(rule, text, f"{raised(caught)}, whose message does not contain {key!r}", expected)


def snapshot(value) -> list:
    """A record of a structure's shape, contents and identities, to prove it unchanged.

    Walks with an explicit stack, so deep data is fine.
    """
    record = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            items = list(node.items())
            record.append(("map", id(node), type(node), [(k, id(v)) for k, v in items]))
            stack.extend(v for _, v in reversed(items))
        elif type(node) is list:
            record.append(("list", id(node), [id(v) for v in node]))
            stack.extend(reversed(node))
        else:
            record.append(("leaf", id(node)))
    return record


def expect_unchanged(data, before: list, text: str, name: str = "flatten") -> None:
    if snapshot(data) != before:
        fail(f"{name} never changes its input, nor anything inside it (keys, order, values)",
             text, f"the input is now {show(data)}")


def expect_flat(result, expected_pairs, rule: str, text: str) -> None:
    """`result` must be a plain dict with exactly these str keys, in this order, holding
    the very same leaf objects (`is`), empty mappings and lists included."""
    expected = dict(expected_pairs)
    want = Later(lambda: show(expected))
    if type(result) is not dict:
        fail(rule + "\n(flatten returns a new plain dict)", text, returned(result), want)
    keys = list(result)
    if not all(type(k) is str for k in keys):
        bad = next(k for k in keys if type(k) is not str)
        fail(rule + "\n(every flat key is a str)", text,
             f"{returned(result)}: the key {show(bad)} is a {type(bad).__name__}", want)
    if keys != list(expected):
        detail = ""
        if sorted(keys) == sorted(expected):
            detail = " (the right keys, in the wrong order: keys come out depth-first)"
        fail(rule, text, returned(result) + detail, want)
    for key, leaf in expected_pairs:
        got = result[key]
        if got is not leaf:
            if type(got) is type(leaf):
                how = f"an equal {type(leaf).__name__}, not the very same object" if (
                    _equal(got, leaf)) else f"{show(got)}"
            else:
                how = f"a {type(got).__name__}, not the very same {type(leaf).__name__}"
            fail(rule + "\n(a leaf is stored as is: the very same object)", text,
                 f"{returned(result)}: the value at {key!r} is {how}", want)


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def model_flatten(data, sep=".", lists=True):
    """The rules of the contract, written as plainly as possible (small data only).

    Returns the flat pairs and the flat keys that two different paths give.
    """
    out: dict[str, object] = {}
    collisions: list[str] = []

    def walk(value, path):
        if isinstance(value, Mapping) and value:
            for k, v in value.items():
                walk(v, f"{path}{sep}{k}")
        elif lists and type(value) is list and value:
            for i, v in enumerate(value):
                walk(v, f"{path}{sep}{i}")
        else:
            if path in out:
                collisions.append(path)
            out[path] = value

    for k, v in data.items():
        walk(v, str(k))
    return out, collisions


def check_flatten(flatten, data, sep=None, rule=None) -> None:
    """Grade flatten(data[, sep]) against the model: the pairs, or ValueError naming a
    colliding key; and the input unchanged. (For the property tests.)"""
    text = call_text("flatten", data, sep)
    before = snapshot(data)
    expected, collisions = model_flatten(data, "." if sep is None else sep)
    kwargs = {} if sep is None else {"sep": sep}
    rule = rule or ("each non-empty mapping (or list) is descended into; every other "
                    "value is stored as is under the path of keys joined by sep")
    ways = " or ".join(repr(k) for k in dict.fromkeys(collisions))
    want = (f"raises ValueError whose message contains {ways}" if collisions
            else Later(lambda: show(expected)))
    collision_rule = ("when two different paths give the same flat key, flatten raises "
                      "ValueError whose message contains that flat key")
    try:
        result = flatten(data, **kwargs)
    except ValueError as exc:
        if not collisions:
            fail(rule, text, raised(exc), want)
        if not any(k in str(exc) for k in collisions):
            fail(collision_rule, text, f"{raised(exc)}, whose message names none of them",
                 want)
    except Exception as exc:
        fail(collision_rule if collisions else rule, text, raised(exc), want)
    else:
        if collisions:
            fail(collision_rule, text, returned(result), want)
        expect_flat(result, list(expected.items()), rule, text)
    expect_unchanged(data, before, text)


# -- Hypothesis strategies -------------------------------------------------------------
#
# Nested data is built from a string of bytes, read in order as small ints: one choice
# for Hypothesis, so cheap to draw (about a fifth of a list of st.integers, a fiftieth of
# st.recursive over st.dictionaries) and simple to shrink (fewer and smaller bytes give
# fewer, shallower containers and simpler leaves; past the end every byte reads as 0).
# The tables of keys are chosen so that collisions (str keys holding sep, 1 and "1", None
# and "None", "a.0" and a list index) come up. Every container and every set leaf is a new
# object each time.

_LEAVES = (
    Leaf, lambda c: None, lambda c: True, lambda c: 0, lambda c: "", lambda c: "x",
    lambda c: b"b", lambda c: (1, 2), lambda c: frozenset({3}), lambda c: 2.5,
    lambda c: set(), lambda c: (),
)


def _proxy(items):
    return MappingProxyType(dict(items))


def nested(keys, containers=(dict,), top=(dict,), min_size=0, leaves=_LEAVES,
           max_depth=4):
    """Nested data: a mapping of kind `top`, holding `containers` (dict-like or list)
    and leaves; every container has at least `min_size` items."""
    keys, containers, top, leaves = list(keys), list(containers), list(top), list(leaves)

    def build(codes):
        pos = 0

        def take():
            nonlocal pos
            pos += 1
            return codes[pos - 1] if pos <= len(codes) else 0

        def size(most):
            return min_size + take() % (most + 1 - min_size)

        def items(count, depth):
            return [(keys[take() % len(keys)], node(depth)) for _ in range(count)]

        def node(depth):
            code = take()
            if code % 2 == 0 or depth >= max_depth:
                return leaves[code // 2 % len(leaves)](code)
            kind = containers[code // 2 % len(containers)]
            if kind is list:
                return [node(depth + 1) for _ in range(size(4))]
            return kind(items(size(4), depth + 1))

        return top[take() % len(top)](items(size(5), 1))

    return st.binary(min_size=16, max_size=48).map(build)


# Stage 1: nested non-empty dicts, keys without any separator's characters.
NESTED_DICTS = nested(["a", "b", "c", "x", "ab", "ba", "xyz", "cab"], min_size=1)
# Stage 2: every kind of Mapping, empty ones included, keys of mixed types that collide.
_MAPPING_KINDS = (dict, OrderedDict, _proxy, PlainMapping)
NESTED_MAPPINGS = nested(["a", "b", "a.b", 1, "1", None, "None", "a.1", "b.a", 0, "ab"],
                         containers=_MAPPING_KINDS, top=_MAPPING_KINDS)
# Stage 3: dicts and lists, empty ones included; keys like "a.0" collide with list paths.
NESTED_WITH_LISTS = nested(["a", "0", "a.0", "1", "a.1", "0.0"],
                           containers=(dict, list))
SEPARATORS = st.sampled_from([".", "/", "::"])


def _register() -> None:
    kit = ModuleType("flatten_suite_kit", __doc__)
    for name in ("Later", "Leaf", "PlainMapping", "ItemsOnly", "OrderedDict", "MappingProxyType",
                 "show",
                 "call_text", "flat", "raised", "returned", "fail", "run", "expect_error",
                 "snapshot", "expect_unchanged", "expect_flat", "model_flatten",
                 "check_flatten", "nested", "NESTED_DICTS", "NESTED_MAPPINGS",
                 "NESTED_WITH_LISTS", "SEPARATORS"):
        setattr(kit, name, globals()[name])
    sys.modules["flatten_suite_kit"] = kit


_register()
