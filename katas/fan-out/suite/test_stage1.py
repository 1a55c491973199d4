"""Stage 1: gather in order."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(1)


class Token:
    """A distinct result object (compares equal to nothing but itself)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<result of {self.name!r}>"


@pytest.mark.asyncio
async def test_results_in_input_order_not_completion_order(tracker, yields, attempt,
                                                          check_results):
    """Results follow the order of items even when later items finish first."""
    n = 6
    tokens = [Token(i) for i in range(n)]

    async def body(i):
        await yields(3 * (n - i))  # item 0 takes longest, the last item is quickest
        return tokens[i]

    result = await attempt(fan_out(list(range(n)), tracker.worker(body)))
    check_results(result, tokens, "fan_out([0, 1, 2, 3, 4, 5], worker) where worker(i) returns "
                                  "<result of i>, item 0 finishing last and item 5 first")


@pytest.mark.asyncio
async def test_results_are_the_objects_the_worker_returned(tracker, attempt, check_results):
    """Each result is the very object its worker call returned, including None."""
    returned = [Token("a"), None, 0, "", Token("b"), [], Token("c")]

    async def body(i):
        await asyncio.sleep(0)
        return returned[i]

    result = await attempt(fan_out(range(len(returned)), tracker.worker(body)))
    check_results(result, returned, f"fan_out(range(7), worker) where worker(i) returns "
                                    f"{returned!r}[i] (falsy results included)")


@pytest.mark.asyncio
async def test_result_is_a_plain_list(tracker, attempt, check_results):
    """fan_out returns a plain list (type(result) is list)."""

    async def body(i):
        return i

    result = await attempt(fan_out([1, 2, 3], tracker.worker(body)))
    check_results(result, [1, 2, 3], "fan_out([1, 2, 3], worker) where worker(i) returns i",
                  "fan_out must return a plain list (type(result) is list), in the order of items")


@pytest.mark.asyncio
async def test_items_and_worker_can_be_passed_by_name(tracker, attempt, check_results):
    """fan_out(items=..., worker=...) works: the parameters are named as in the interface."""
    tokens = [Token(i) for i in range(3)]

    async def body(i):
        return tokens[i]

    result = await attempt(fan_out(items=range(3), worker=tracker.worker(body)))
    check_results(result, tokens, "fan_out(items=range(3), worker=worker) where worker(i) returns "
                                  "<result of i>",
                  "the parameters are named as in the interface: fan_out(items, worker, *, "
                  "limit=10, timeout=None)")


@pytest.mark.asyncio
async def test_worker_called_once_with_each_item(tracker, attempt, check_results, fail):
    """worker is awaited exactly once per item, with the item object itself."""
    items = [[i] for i in range(7)] + [[0]]  # unhashable, two equal ones, all distinct objects
    call = (f"fan_out({items!r}, worker) where worker(item) returns item (the items are "
            "distinct list objects, two of them equal)")

    async def body(item):
        await asyncio.sleep(0)
        return item

    result = await attempt(fan_out(items, tracker.worker(body)))
    if sorted(map(id, tracker.started)) != sorted(map(id, items)):
        same = [item if any(item is x for x in items) else f"a copy of {item!r}"
                for item in tracker.started]
        fail("worker(item) must be awaited once for every item, with the item object itself",
             call, f"worker was called with {same!r}")
    check_results(result, items, call)


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
async def test_equal_items_each_get_their_own_result(tracker, attempt, check_results):
    """Equal items at different positions each get the result of their own worker call."""
    items = [SameKey("x"), SameKey("y"), SameKey("z")]
    tokens = {id(item): Token(item.label) for item in items}

    async def body(item):
        await asyncio.sleep(0)
        return tokens[id(item)]

    result = await attempt(fan_out(items, tracker.worker(body)))
    check_results(result, [tokens[id(item)] for item in items],
                  "fan_out([SameKey('x'), SameKey('y'), SameKey('z')], worker) where the three "
                  "items are equal and hash alike, and worker(SameKey(label)) returns "
                  "<result of label>")


def generator(values):
    yield from values


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["list", "tuple", "generator", "iterator", "range", "dict keys"])
async def test_any_iterable_of_items(tracker, kind, attempt, check_results):
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

    written = {
        "list": f"{values!r}", "tuple": f"{tuple(values)!r}",
        "generator": f"(v for v in {values!r})", "iterator": f"iter({values!r})",
        "range": "range(8)", "dict keys": "dict.fromkeys(range(8)).keys()",
    }[kind]
    result = await attempt(fan_out(make(), tracker.worker(body)))
    check_results(result, [tokens[v] for v in make()],
                  f"fan_out({written}, worker) where worker(v) returns <result of v>",
                  "items may be any iterable; the results are a plain list in the order of items")


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", ["empty list", "empty generator"])
async def test_empty_items_give_empty_list(tracker, kind, attempt, check_results, fail):
    """An empty iterable gives [] and never calls worker."""
    items = [] if kind == "empty list" else generator([])
    call = "fan_out([], worker)" if kind == "empty list" else "fan_out((x for x in []), worker)"

    async def body(item):
        return item

    result = await attempt(fan_out(items, tracker.worker(body)))
    check_results(result, [], call, "an empty iterable of items gives [] (a plain list)")
    if tracker.started:
        fail("an empty iterable of items gives [], without calling worker", call,
             f"worker was called with {tracker.started!r}")


# The hard cases first: nothing (as a list and as a generator), one item, two finishing in
# reverse order, one more item than the default limit (a lane that keeps its first index), and
# more than two waves of items finishing in a scrambled order.
@settings(max_examples=15)
@example(turns=[], as_generator=True)
@example(turns=[], as_generator=False)
@example(turns=[0], as_generator=False)
@example(turns=[1, 0], as_generator=False)
@example(turns=[0] * 11, as_generator=False)
@example(turns=[6, 0, 3, 1, 5, 2, 4, 0, 6, 1, 3, 5, 0, 2, 4, 6, 1, 0, 3, 2, 5, 4, 1, 6, 0],
         as_generator=True)
@given(turns=st.lists(st.integers(min_value=0, max_value=6), max_size=25),
       as_generator=st.booleans())
def test_matches_a_plain_loop(make_tracker, yields, attempt, turns, as_generator, check_results,
                              fail):
    """For any items and durations, results are [await worker(x) for x in items], by identity."""
    tokens = [Token(i) for i in range(len(turns))]
    tracker = make_tracker()

    async def body(i):
        await yields(turns[i])
        return tokens[i]

    n = len(turns)
    items = generator(range(n)) if as_generator else list(range(n))
    call = (f"fan_out({f'(i for i in range({n}))' if as_generator else list(range(n))}, worker) "
            f"where worker(i) awaits asyncio.sleep(0) turns[i] times, then returns <result of i>; "
            f"turns={turns}")
    result = asyncio.run(attempt(fan_out(items, tracker.worker(body))))
    check_results(result, tokens, call, "the results are [await worker(x) for x in items], "
                                        "as a plain list, in the order of items")
    if sorted(tracker.started) != list(range(n)):
        fail("worker(item) must be awaited once for every item", call,
             f"worker was called with {sorted(tracker.started)}")
