"""Stage 2: bounded concurrency."""

from __future__ import annotations

import asyncio
import math

import pytest
from fan_out import fan_out
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(2)


async def run_with_barrier(tracker, n, **kwargs):
    """Run n workers that each wait until `limit` workers are running at once.

    A worker that waits 0.5 s without seeing `limit` running records itself as starved
    and releases the others, so an attempt that runs too few at once fails instead of hanging.
    """
    limit = kwargs.get("limit", 10)
    enough = asyncio.Event()
    starved = []

    async def body(i):
        if tracker.running >= limit:
            enough.set()
        try:
            async with asyncio.timeout(0.5):
                await enough.wait()
        except TimeoutError:
            starved.append(i)
            enough.set()
        await asyncio.sleep(0)  # stay running a little, so too many at once would show
        return i

    result = await fan_out(range(n), tracker.worker(body), **kwargs)
    return result, starved


@settings(max_examples=60)
@given(delays=st.lists(st.integers(min_value=0, max_value=5), max_size=30),
       limit=st.integers(min_value=1, max_value=8))
def test_never_more_than_limit_running(make_tracker, yields, delays, limit, check_results):
    """For any worker durations, at most `limit` worker calls run at once."""
    tracker = make_tracker()

    async def body(i):
        await yields(delays[i])
        return i

    result = asyncio.run(fan_out(range(len(delays)), tracker.worker(body), limit=limit))
    assert tracker.max_running <= limit, (
        f"never more than limit={limit} calls of worker may run at once\n"
        f"{tracker.max_running} ran at once")
    check_results(result, list(range(len(delays))))


@pytest.mark.asyncio
async def test_limit_one_runs_one_worker_at_a_time(tracker, yields, check_results):
    """limit=1 runs the workers strictly one after another."""

    async def body(i):
        await yields(3)
        return i

    result = await fan_out(range(6), tracker.worker(body), limit=1)
    assert tracker.max_running == 1, (
        f"with limit=1 only one worker may run at a time\n{tracker.max_running} ran at once")
    check_results(result, list(range(6)))


@pytest.mark.asyncio
async def test_limit_above_item_count_runs_every_item(tracker, yields, check_results):
    """A limit larger than the number of items is fine: every item runs, results in order."""
    tokens = [object() for _ in range(4)]

    async def body(i):
        await yields(2)
        return tokens[i]

    result = await fan_out(range(4), tracker.worker(body), limit=100)
    check_results(result, tokens)
    assert tracker.max_running <= 4, "more workers ran than there are items"


@pytest.mark.asyncio
@pytest.mark.parametrize("limit,n", [(2, 7), (5, 5), (6, 20)])
async def test_limit_workers_do_run_at_once(tracker, limit, n, check_results):
    """With at least `limit` items of equal duration, `limit` workers run at the same time."""
    result, starved = await run_with_barrier(tracker, n, limit=limit)
    assert not starved and tracker.max_running == limit, (
        f"with {n} items and limit={limit}, {limit} workers must run at once\n"
        f"at most {tracker.max_running} ran at once")
    check_results(result, list(range(n)))


@pytest.mark.asyncio
async def test_default_limit_is_ten(tracker, check_results):
    """Without a limit argument, 10 workers run at once and never more."""
    result, starved = await run_with_barrier(tracker, 25)
    assert tracker.max_running <= 10, (
        "the default limit is 10: never more than 10 workers at once\n"
        f"{tracker.max_running} ran at once")
    assert not starved and tracker.max_running == 10, (
        "the default limit is 10: 10 workers must run at once\n"
        f"at most {tracker.max_running} ran at once")
    check_results(result, list(range(25)))


@pytest.mark.parametrize("limit,n", [(10, 20), (3, 10), (4, 4), (1, 3)])
def test_takes_about_ceil_n_over_limit_durations(make_tracker, run_virtual, check_results,
                                                 limit, n):
    """n workers of 1 s each take about ceil(n / limit) seconds in all, not n (virtual clock)."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1.0)
        return i

    async def scenario():
        loop = asyncio.get_running_loop()
        start = loop.time()
        result = await fan_out(range(n), tracker.worker(body), limit=limit)
        return result, loop.time() - start

    result, elapsed = run_virtual(scenario())
    waves = math.ceil(n / limit)
    assert elapsed <= waves + 0.5, (
        f"{n} workers of equal duration with limit={limit} must take about "
        f"ceil(n / limit) = {waves} worker durations, not {n}\ntook {elapsed:.2f} durations")
    check_results(result, list(range(n)))


async def expect_value_error(awaitable):
    try:
        async with asyncio.timeout(1) as guard:
            result = await awaitable
    except ValueError:
        return
    except TimeoutError as error:
        outcome = ("was still running after 1 s" if guard.expired()
                   else f"raised {type(error).__name__}: {error!r}")
    except Exception as error:
        outcome = f"raised {type(error).__name__}: {error!r}"
    else:
        outcome = f"returned {result!r}"
    pytest.fail(f"limit < 1 must raise ValueError\nfan_out {outcome}")


@pytest.mark.asyncio
@pytest.mark.parametrize("limit", [0, -1, -10])
@pytest.mark.parametrize("kind", ["list", "generator", "empty list"])
async def test_limit_below_one_raises_value_error_and_starts_no_worker(tracker, yields, limit,
                                                                       kind):
    """limit < 1 raises ValueError, and no worker is started, then or later."""
    items = {"list": lambda: [1, 2, 3], "generator": lambda: (i for i in range(3)),
             "empty list": lambda: []}[kind]()

    async def body(i):
        return i

    await expect_value_error(fan_out(items, tracker.worker(body), limit=limit))
    assert tracker.started == [], (
        f"limit={limit} must raise ValueError before any worker is started\n"
        f"workers started for {tracker.started!r}")
    await yields(10)
    await asyncio.sleep(0.002)
    assert tracker.started == [], (
        f"limit={limit} must raise ValueError and no worker may be started, not even later\n"
        f"workers started afterwards for {tracker.started!r}")


SLIDING_RULE = ("a slot is refilled the moment its call finishes: the next item starts then, "
                "not when the rest of a batch is done (a sliding window, not batches)")


@pytest.mark.parametrize("limit", [2, 3])
def test_a_free_slot_is_refilled_at_once_not_per_batch(make_tracker, run_virtual, check_results,
                                                       limit):
    """Item 0 takes 10 s, the others 1 s: item `limit` starts at 1 s, not when item 0 is done."""
    tracker = make_tracker()
    n = limit + 3

    async def body(i):
        await asyncio.sleep(10.0 if i == 0 else 1.0)
        return i

    result = run_virtual(fan_out(range(n), tracker.worker(body), limit=limit))
    starts = {item: time for (event, item), time in zip(tracker.log, tracker.times, strict=True)
              if event == "start"}
    late = {item: time for item, time in starts.items() if item >= limit and time >= 10.0}
    if late:
        pytest.fail(f"{SLIDING_RULE}\n"
                    f"input: fan_out(range({n}), worker, limit={limit}) where worker(0) takes "
                    "10 s and every other call 1 s (virtual clock)\n"
                    f"expected: item {limit} starts at 1 s, while item 0 still runs\n"
                    "got: items started at " + ", ".join(f"{item}: {time:g} s"
                                                          for item, time in starts.items()))
    check_results(result, list(range(n)))
