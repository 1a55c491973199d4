"""Stage 4: streaming input."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(4)

LAZY_RULE = ("items are taken from items lazily: at any moment, at most limit items have been "
             "taken whose worker has not yet finished")


@pytest.mark.asyncio
@pytest.mark.timeout(30)
async def test_huge_generator_never_has_more_than_limit_in_flight(tracker, check_results):
    """A generator of 100,000 items with limit=50 never has over 50 items taken and unfinished."""
    n, limit = 100_000, 50

    async def body(i):
        if i % 7 == 0:
            await asyncio.sleep(0)  # some workers suspend, so many run at once
        return i

    try:
        result = await fan_out(tracker.stream(n, give_up_above=4 * limit), tracker.worker(body),
                               limit=limit)
    except RuntimeError as error:
        result = error
    if tracker.max_in_flight > limit:
        pytest.fail(f"{LAZY_RULE}\nwith 100,000 items and limit={limit}, {tracker.max_in_flight} "
                    "items were taken whose worker had not finished")
    check_results(result, list(range(n)))


@settings(max_examples=60)
@given(delays=st.lists(st.integers(min_value=0, max_value=5), max_size=30),
       limit=st.integers(min_value=1, max_value=8))
def test_items_taken_lazily_for_any_durations(make_tracker, yields, delays, limit, check_results):
    """For any durations, at most limit items are ever taken whose worker has not finished."""
    tracker = make_tracker()

    async def body(i):
        await yields(delays[i])
        return i

    result = asyncio.run(fan_out(tracker.stream(len(delays)), tracker.worker(body), limit=limit))
    assert tracker.max_in_flight <= limit, (
        f"{LAZY_RULE}\nwith limit={limit}, {tracker.max_in_flight} items were taken whose worker "
        "had not finished")
    check_results(result, list(range(len(delays))))


@pytest.mark.asyncio
async def test_items_not_taken_before_a_slot_is_free(tracker, until, check_results):
    """While limit workers are busy, no further item is taken from the generator."""
    release = asyncio.Event()

    async def body(i):
        await release.wait()
        return i

    task = asyncio.create_task(fan_out(tracker.stream(10), tracker.worker(body), limit=3))
    try:
        await until(lambda: tracker.running == 3)
        await asyncio.sleep(0.001)
        taken = tracker.taken
    finally:
        release.set()
        result = await asyncio.wait_for(task, 2)
    assert taken <= 3, (
        f"{LAZY_RULE}\nwith limit=3 and 3 workers busy, {taken} items had been taken")
    check_results(result, list(range(10)))


@pytest.mark.asyncio
async def test_endless_generator_is_taken_lazily_until_a_failure(tracker, boom_type):
    """An endless generator works: items are taken lazily and a failure at item 30 ends fan_out."""
    error = boom_type("item 30 failed")
    cap = 10_000

    def endless():
        # a cap, so an eager attempt stops instead of eating memory
        yield from tracker.stream(cap)
        raise RuntimeError("took 10,000 items from an endless generator")

    async def body(i):
        await asyncio.sleep(0)
        if i == 30:
            raise error
        return i

    try:
        await fan_out(endless(), tracker.worker(body), limit=4)
    except BaseException as raised:
        outcome = raised
    else:
        outcome = None
    assert tracker.taken < cap and tracker.max_in_flight <= 4, (
        f"{LAZY_RULE}\nwith an endless generator and limit=4, {tracker.max_in_flight} items were "
        f"taken whose worker had not finished ({tracker.taken} taken in all)")
    assert outcome is error, f"the failure of item 30 must end fan_out\ngot {outcome!r}"


@pytest.mark.asyncio
async def test_no_worker_coroutine_created_ahead_of_time(tracker, check_results):
    """worker(item) is called only when its call can start: at most limit coroutines unstarted."""
    n, limit = 3000, 7
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

    result = await fan_out(range(n), worker, limit=limit)
    if tracker.max_unstarted > limit:
        pytest.fail("memory stays bounded by limit: no coroutine object per item created up front\n"
                    f"{tracker.max_unstarted} worker coroutines had been created and not started "
                    f"(limit={limit})")
    if max_tasks > 2 * limit + 2:
        pytest.fail("memory stays bounded by limit: no task per item created up front\n"
                    f"{max_tasks} tasks were pending at once (limit={limit})")
    check_results(result, list(range(n)))
