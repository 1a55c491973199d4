"""Stage 1: gather in order."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(1)


class Token:
    """A distinct result object (compares equal to nothing but itself)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<result of {self.name!r}>"


@pytest.mark.asyncio
async def test_results_in_input_order_not_completion_order(tracker, yields, check_results):
    """Results follow the order of items even when later items finish first."""
    n = 6
    tokens = [Token(i) for i in range(n)]

    async def body(i):
        await yields(3 * (n - i))  # item 0 takes longest, the last item is quickest
        return tokens[i]

    result = await fan_out(list(range(n)), tracker.worker(body))
    check_results(result, tokens)


@pytest.mark.asyncio
async def test_results_are_the_objects_the_worker_returned(tracker, check_results):
    """Each result is the very object its worker call returned, including None."""
    returned = [Token("a"), None, 0, "", Token("b"), [], Token("c")]

    async def body(i):
        await asyncio.sleep(0)
        return returned[i]

    result = await fan_out(range(len(returned)), tracker.worker(body))
    check_results(result, returned)


@pytest.mark.asyncio
async def test_result_is_a_plain_list(tracker):
    """fan_out returns a plain list (type(result) is list)."""

    async def body(i):
        return i

    result = await fan_out([1, 2, 3], tracker.worker(body))
    assert type(result) is list, (
        f"fan_out must return a plain list\ngot an object of type {type(result).__name__}")


@pytest.mark.asyncio
async def test_items_and_worker_can_be_passed_by_name(tracker, check_results):
    """fan_out(items=..., worker=...) works: the parameters are named as in the interface."""
    tokens = [Token(i) for i in range(3)]

    async def body(i):
        return tokens[i]

    result = await fan_out(items=range(3), worker=tracker.worker(body))
    check_results(result, tokens)


@pytest.mark.asyncio
async def test_worker_called_once_with_each_item(tracker, check_results):
    """worker is awaited exactly once per item, with the item object itself."""
    items = [[i] for i in range(7)] + [[0]]  # unhashable, two equal ones, all distinct objects

    async def body(item):
        await asyncio.sleep(0)
        return item

    result = await fan_out(items, tracker.worker(body))
    got = sorted(map(id, tracker.started))
    assert got == sorted(map(id, items)), (
        "worker(item) must be awaited once for every item, with the item itself\n"
        f"worker was called with {tracker.started!r} for items {items!r}")
    check_results(result, items)


class SameKey:
    """Items that are equal and hash alike, yet are different items."""

    def __init__(self, label):
        self.label = label

    def __eq__(self, other):
        return isinstance(other, SameKey)

    def __hash__(self):
        return 1

    def __repr__(self):
        return f"SameKey({self.label!r})"


@pytest.mark.asyncio
async def test_equal_items_each_get_their_own_result(tracker, check_results):
    """Equal items at different positions each get the result of their own worker call."""
    items = [SameKey("x"), SameKey("y"), SameKey("z")]
    tokens = {id(item): Token(item.label) for item in items}

    async def body(item):
        await asyncio.sleep(0)
        return tokens[id(item)]

    result = await fan_out(items, tracker.worker(body))
    check_results(result, [tokens[id(item)] for item in items])


def generator(values):
    yield from values


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["list", "tuple", "generator", "iterator", "range", "dict keys"])
async def test_any_iterable_of_items(tracker, kind, check_results):
    """items may be any iterable: list, tuple, generator, iterator, range, dict keys."""
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    make = {
        "list": lambda: list(values),
        "tuple": lambda: tuple(values),
        "generator": lambda: generator(values),
        "iterator": lambda: iter(values),
        "range": lambda: range(8),
        "dict keys": lambda: dict.fromkeys(range(8)).keys(),
    }[kind]
    tokens = {v: Token(v) for v in range(10)}

    async def body(v):
        await asyncio.sleep(0)
        return tokens[v]

    result = await fan_out(make(), tracker.worker(body))
    check_results(result, [tokens[v] for v in make()])


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["empty list", "empty generator"])
async def test_empty_items_give_empty_list(tracker, kind):
    """An empty iterable gives [] and never calls worker."""
    items = [] if kind == "empty list" else generator([])

    async def body(item):
        return item

    result = await fan_out(items, tracker.worker(body))
    assert type(result) is list and result == [], (
        f"an empty iterable of items must give [] (a plain list)\ngot {result!r}")
    assert tracker.started == [], "worker must not be called when there are no items"


@settings(max_examples=60)
@given(delays=st.lists(st.integers(min_value=0, max_value=6), max_size=25),
       as_generator=st.booleans())
def test_matches_a_plain_loop(make_tracker, yields, delays, as_generator, check_results):
    """For any items and durations, results are [await worker(x) for x in items], by identity."""
    tokens = [Token(i) for i in range(len(delays))]
    tracker = make_tracker()

    async def body(i):
        await yields(delays[i])
        return tokens[i]

    items = generator(range(len(delays))) if as_generator else list(range(len(delays)))
    result = asyncio.run(fan_out(items, tracker.worker(body)))
    check_results(result, tokens)
    assert sorted(tracker.started) == list(range(len(delays))), (
        "worker(item) must be awaited once for every item\n"
        f"worker was called with {sorted(tracker.started)}")
