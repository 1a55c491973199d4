"""Stage 2: bounded concurrency."""

from __future__ import annotations

import asyncio
import math

import pytest
from fan_out import fan_out
from hypothesis import example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(2)


class Token:
    """A distinct result object (compares equal to nothing but itself)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<result of {self.name!r}>"


async def run_with_barrier(tracker, attempt, n, **kwargs):
    """Run n workers that each wait until `limit` workers are running at once.

    A worker that waits 0.5 s without seeing `limit` running records itself as starved
    and releases the others, so an attempt that runs too few at once fails instead of hanging.
    Run it on the virtual clock (run_virtual): the 0.5 s then take no real time.
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

    result = await attempt(fan_out(range(n), tracker.worker(body), **kwargs))
    return result, starved


BARRIER = ("where each worker call waits (up to 0.5 s) until {limit} calls run at once, "
           "then returns its item (virtual clock)")


# The hard cases first: a slow item then a quick one with limit=1 (a slot check off by one),
# one item more than the limit, many calls ending in the same loop turn, staggered endings
# over several waves, and the largest limit with the longest input.
@settings(max_examples=15)
@example(delays=[1, 0], limit=1)
@example(delays=[0] * 9, limit=8)
@example(delays=[0] * 12, limit=3)
@example(delays=[5, 4, 3, 2, 1, 0] * 3, limit=4)
@example(delays=[2, 0, 1, 0, 5, 3, 0, 4, 1, 2] * 3, limit=8)
@given(delays=st.lists(st.integers(min_value=0, max_value=5), max_size=30),
       limit=st.integers(min_value=1, max_value=8))
def test_never_more_than_limit_running(make_tracker, yields, attempt, delays, limit,
                                       check_results, fail):
    """For any worker durations, at most `limit` worker calls run at once."""
    tracker = make_tracker()

    async def body(i):
        await yields(delays[i])
        return i

    call = (f"fan_out(range({len(delays)}), worker, limit={limit}) where worker(i) awaits "
            f"asyncio.sleep(0) delays[i] times, then returns i; delays={delays}")
    result = asyncio.run(attempt(fan_out(range(len(delays)), tracker.worker(body), limit=limit)))
    if tracker.max_running > limit:
        fail("never more than limit calls of worker are running at once", call,
             f"{tracker.max_running} calls ran at once", expected=f"at most {limit}")
    check_results(result, list(range(len(delays))), call)


@pytest.mark.asyncio
async def test_limit_one_runs_one_worker_at_a_time(tracker, yields, attempt, check_results,
                                                   fail):
    """limit=1 runs the workers strictly one after another."""

    async def body(i):
        await yields(3)
        return i

    call = "fan_out(range(6), worker, limit=1) where worker(i) awaits asyncio.sleep(0) 3 times"
    result = await attempt(fan_out(range(6), tracker.worker(body), limit=1))
    if tracker.max_running != 1:
        fail("never more than limit calls of worker are running at once: with limit=1, one at "
             "a time", call, f"{tracker.max_running} calls ran at once")
    check_results(result, list(range(6)), call)


@pytest.mark.asyncio
async def test_limit_above_item_count_runs_every_item(tracker, yields, attempt, check_results):
    """A limit larger than the number of items is fine: every item runs, results in order."""
    tokens = [Token(i) for i in range(4)]

    async def body(i):
        await yields(2)
        return tokens[i]

    result = await attempt(fan_out(range(4), tracker.worker(body), limit=100))
    check_results(result, tokens, "fan_out(range(4), worker, limit=100) where worker(i) returns "
                                  "<result of i>")


@pytest.mark.parametrize("limit,n", [(2, 7), (5, 5), (6, 20)])
def test_limit_workers_do_run_at_once(tracker, run_virtual, attempt, limit, n, check_results,
                                      fail):
    """With at least `limit` items of equal duration, `limit` workers run at the same time."""
    result, starved = run_virtual(run_with_barrier(tracker, attempt, n, limit=limit))
    call = f"fan_out(range({n}), worker, limit={limit}) " + BARRIER.format(limit=limit)
    if starved or tracker.max_running != limit:
        fail("with at least limit items whose workers take equal time, limit of them do run "
             "at once", call, f"at most {tracker.max_running} ran at once",
             expected=f"{limit} calls running at once")
    check_results(result, list(range(n)), call)


def test_default_limit_is_ten(tracker, run_virtual, attempt, check_results, fail):
    """Without a limit argument, 10 workers run at once and never more."""
    result, starved = run_virtual(run_with_barrier(tracker, attempt, 25))
    call = "fan_out(range(25), worker) " + BARRIER.format(limit=10)
    if starved or tracker.max_running != 10:
        fail("the default limit is 10: 10 worker calls run at once, never more", call,
             f"at most {tracker.max_running} ran at once")
    check_results(result, list(range(25)), call)


@pytest.mark.parametrize("limit,n", [(10, 20), (3, 10), (4, 4), (1, 3)])
def test_takes_about_ceil_n_over_limit_durations(make_tracker, run_virtual, attempt,
                                                 check_results, fail, limit, n):
    """n workers of 1 s each take about ceil(n / limit) seconds in all, not n (virtual clock)."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1.0)
        return i

    async def scenario():
        loop = asyncio.get_running_loop()
        start = loop.time()
        result = await attempt(fan_out(range(n), tracker.worker(body), limit=limit))
        return result, loop.time() - start

    result, elapsed = run_virtual(scenario())
    waves = math.ceil(n / limit)
    call = (f"fan_out(range({n}), worker, limit={limit}) where every worker call takes 1 s "
            "(virtual clock)")
    if elapsed > waves + 0.5:
        fail("with items whose workers take equal time, the whole takes about "
             "ceil(n / limit) worker durations, not n", call, f"took {elapsed:g} s",
             expected=f"about ceil({n} / {limit}) = {waves} s")
    check_results(result, list(range(n)), call)


async def expect_value_error(awaitable, call, fail, short):
    """Fail unless awaitable raises ValueError within 1 s (of the virtual clock)."""
    try:
        async with asyncio.timeout(1) as guard:
            result = await awaitable
    except ValueError:
        return
    except TimeoutError as error:
        outcome = ("fan_out was still running after 1 s" if guard.expired()
                   else f"raised {short(error)}")
    except Exception as error:
        outcome = f"raised {short(error)}"
    else:
        outcome = f"returned {short(result)}"
    fail("limit < 1 raises ValueError, and no worker is started", call, outcome,
         expected="raises ValueError")


@pytest.mark.parametrize("limit", [0, -1, -10])
@pytest.mark.parametrize("kind", ["list", "generator", "empty list"])
def test_limit_below_one_raises_value_error_and_starts_no_worker(tracker, run_virtual, yields,
                                                                 limit, kind, fail, short):
    """limit < 1 raises ValueError, and no worker is started, then or later (virtual clock)."""
    items, written = {"list": ([1, 2, 3], "[1, 2, 3]"),
                      "generator": ((i for i in range(3)), "(i for i in range(3))"),
                      "empty list": ([], "[]")}[kind]
    call = f"fan_out({written}, worker, limit={limit})"

    async def body(i):
        return i

    async def scenario():
        await expect_value_error(fan_out(items, tracker.worker(body), limit=limit), call, fail,
                                 short)
        if tracker.started:
            fail("limit < 1 raises ValueError, and no worker is started", call,
                 f"raised ValueError after starting worker({tracker.started[0]!r})")
        await yields(10)
        await asyncio.sleep(0.002)
        if tracker.started:
            fail("limit < 1 raises ValueError, and no worker is started (not even later)", call,
                 f"raised ValueError, then worker was started for {tracker.started!r}")

    run_virtual(scenario())


SLIDING_RULE = ("a slot is refilled the moment its call finishes: the next item starts then, "
                "not when the rest of a batch is done (a sliding window, not batches)")


@pytest.mark.parametrize("limit", [2, 3])
def test_a_free_slot_is_refilled_at_once_not_per_batch(make_tracker, run_virtual, attempt,
                                                       check_results, limit):
    """Item 0 takes 10 s, the others 1 s: item `limit` starts at 1 s, not when item 0 is done."""
    tracker = make_tracker()
    n = limit + 3

    async def body(i):
        await asyncio.sleep(10.0 if i == 0 else 1.0)
        return i

    result = run_virtual(attempt(fan_out(range(n), tracker.worker(body), limit=limit)))
    call = (f"fan_out(range({n}), worker, limit={limit}) where worker(0) takes 10 s and every "
            "other call 1 s (virtual clock)")
    starts = {item: time for (event, item), time in zip(tracker.log, tracker.times, strict=True)
              if event == "start"}
    late = {item: time for item, time in starts.items() if item >= limit and time >= 10.0}
    if late:
        pytest.fail(f"{SLIDING_RULE}\n"
                    f"input: {call}\n"
                    f"expected: item {limit} starts at 1 s, while item 0 still runs\n"
                    "got: items started at " + ", ".join(f"{item}: {time:g} s"
                                                          for item, time in starts.items()))
    check_results(result, list(range(n)), call)
