"""Stage 4: streaming input."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(4)

LAZY_RULE = ("items are taken from items lazily: at any moment, at most limit items have been "
             "taken whose worker has not yet finished")


@pytest.mark.asyncio
@pytest.mark.timeout(30)
async def test_huge_generator_never_has_more_than_limit_in_flight(tracker, attempt, check_results,
                                                                  fail):
    """A generator of 100,000 items with limit=50 never has over 50 items taken and unfinished."""
    # The contract's own figures: 2,000 waves of limit, far more than any buffer a candidate
    # would size by hand. The worker only counts its finish (no log), so the items cost
    # little beyond fan_out's own work.
    n, limit = 100_000, 50

    async def worker(i):
        try:
            if i % 7 == 0:
                await asyncio.sleep(0)  # some workers suspend, so many run at once
            return i
        finally:
            tracker.finished += 1

    call = (f"fan_out((i for i in range({n:_})), worker, limit={limit}) where worker(i) returns "
            "i, every 7th call after awaiting asyncio.sleep(0)")
    # The generator stops at the first item too many, so an eager attempt fails at once.
    result = await attempt(fan_out(tracker.stream(n, give_up_above=limit), worker, limit=limit))
    if tracker.max_in_flight > limit:
        fail(LAZY_RULE, call, f"{tracker.max_in_flight} items were taken whose worker had not "
             f"finished (the generator gave up there, at item {tracker.taken - 1})",
             expected=f"at most {limit} in flight")
    check_results(result, list(range(n)), call)


# The hard cases first: two items with limit=1 (taking everything up front, or the next item
# before a slot is free), calls that all end in the same loop turn, staggered endings over
# several waves, and the largest limit with the longest input.
@settings(max_examples=15)
@example(delays=[0, 0], limit=1)
@example(delays=[0] * 12, limit=3)
@example(delays=[5, 4, 3, 2, 1, 0] * 3, limit=4)
@example(delays=[2, 0, 1, 0, 5, 3, 0, 4, 1, 2] * 3, limit=8)
@given(delays=st.lists(st.integers(min_value=0, max_value=5), max_size=30),
       limit=st.integers(min_value=1, max_value=8))
def test_items_taken_lazily_for_any_durations(make_tracker, yields, attempt, delays, limit,
                                              check_results, fail):
    """For any durations, at most limit items are ever taken whose worker has not finished."""
    tracker = make_tracker()

    async def body(i):
        await yields(delays[i])
        return i

    call = (f"fan_out((i for i in range({len(delays)})), worker, limit={limit}) where worker(i) "
            f"awaits asyncio.sleep(0) delays[i] times, then returns i; delays={delays}")
    result = asyncio.run(attempt(fan_out(tracker.stream(len(delays)), tracker.worker(body),
                                         limit=limit)))
    if tracker.max_in_flight > limit:
        fail(LAZY_RULE, call, f"{tracker.max_in_flight} items were taken whose worker had not "
             "finished", expected=f"at most {limit} in flight")
    check_results(result, list(range(len(delays))), call)


@pytest.mark.asyncio
async def test_items_not_taken_before_a_slot_is_free(tracker, until, attempt, check_results,
                                                     fail):
    """While limit workers are busy, no further item is taken from the generator."""
    release = asyncio.Event()

    async def body(i):
        await release.wait()
        return i

    call = ("fan_out((i for i in range(10)), worker, limit=3) where every call waits for an "
            "event, set once 3 workers run")
    task = asyncio.create_task(attempt(fan_out(tracker.stream(10), tracker.worker(body), limit=3)))
    try:
        await until(lambda: tracker.running == 3)
        await asyncio.sleep(0.001)
        taken, running = tracker.taken, tracker.running
    finally:
        release.set()
        result = await asyncio.wait_for(task, 2)
    if taken > 3:
        fail(LAZY_RULE, call, f"{taken} items had been taken while {running} workers were busy",
             expected="at most 3 taken")
    check_results(result, list(range(10)), call)


@pytest.mark.asyncio
async def test_endless_generator_is_taken_lazily_until_a_failure(tracker, boom_type, fail,
                                                                 short):
    """An endless generator works: items are taken lazily and a failure at item 30 ends fan_out."""
    error = boom_type("item 30 failed")
    cap = 1_000

    def endless():
        # a cap, so an eager attempt stops instead of eating memory
        yield from tracker.stream(cap)
        raise RuntimeError("took 1,000 items from an endless generator")

    async def body(i):
        await asyncio.sleep(0)
        if i == 30:
            raise error
        return i

    call = ("fan_out((i for i in itertools.count()), worker, limit=4) where worker(30) raises "
            "Boom('item 30 failed')")
    raised = None
    try:
        result = await fan_out(endless(), tracker.worker(body), limit=4)
    except Exception as exception:
        raised = exception
        outcome = ("raised the Boom of item 30" if exception is error
                   else f"raised {short(exception)}")
    else:
        outcome = f"returned {short(result)}"
    if tracker.taken >= cap or tracker.max_in_flight > 4:
        fail(LAZY_RULE, call, f"{tracker.max_in_flight} items were taken whose worker had not "
             f"finished ({tracker.taken} taken in all); fan_out {outcome}",
             expected="at most 4 in flight")
    if raised is not error:
        fail("when a worker raises, fan_out raises that same exception object, and no further "
             "item is started", call, outcome, expected="raises Boom('item 30 failed')")


@pytest.mark.asyncio
async def test_no_worker_coroutine_created_ahead_of_time(tracker, attempt, check_results, fail):
    """worker(item) is called only when its call can start: at most limit coroutines unstarted."""
    n, limit = 1000, 7
    started = 0
    max_tasks = 0

    async def run(i):
        nonlocal started
        started += 1
        await asyncio.sleep(0)
        return i

    def worker(i):  # a plain callable returning a coroutine, so calls and starts can be told apart
        nonlocal max_tasks
        tracker.calls += 1
        tracker.max_unstarted = max(tracker.max_unstarted, tracker.calls - started)
        if i % 100 == 0:
            max_tasks = max(max_tasks, len(asyncio.all_tasks()))
        return run(i)

    call = (f"fan_out(range({n}), worker, limit={limit}) where worker(i) returns a coroutine "
            "that awaits asyncio.sleep(0) and returns i")
    result = await attempt(fan_out(range(n), worker, limit=limit))
    if tracker.max_unstarted > limit:
        fail("memory stays bounded by limit, not by the number of items: no coroutine object "
             "per item created up front", call,
             f"{tracker.max_unstarted} worker coroutines had been created and not yet started",
             expected=f"at most {limit}")
    if max_tasks > 2 * limit + 2:
        fail("memory stays bounded by limit, not by the number of items: no task per item "
             "created up front", call, f"{max_tasks} tasks were pending at once",
             expected=f"about {limit}, one per running call")
    check_results(result, list(range(n)), call)
