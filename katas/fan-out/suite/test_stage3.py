"""Stage 3: failures, timeouts, cancellation."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(3)


async def expect_raise(awaitable, expected, rule, guard=2.0):
    """Await fan_out and return the exception it raised; fail unless it is an `expected` instance.

    Nothing yields to the event loop between fan_out raising and the caller's checks.
    `guard` seconds stop an attempt that hangs.
    """
    try:
        async with asyncio.timeout(guard) as timer:
            result = await awaitable
    except expected as error:
        if not timer.expired():
            return error
        outcome = f"was still running after {guard:g} s"
    except TimeoutError:
        outcome = f"was still running after {guard:g} s"
    except BaseException as error:
        outcome = f"raised {type(error).__name__}: {error!r}"
    else:
        outcome = f"returned {result!r}"
    pytest.fail(f"{rule}\nfan_out {outcome}")


def check_exit_state(tracker, rule, failed=None, limit=None, failure="raise"):
    problems = tracker.problems_at_exit(failed, limit, failure)
    if problems:
        pytest.fail(f"{rule}\n" + "; ".join(problems))


FAILURE_RULE = ("when a worker raises, fan_out raises that same exception object, after every "
                "other running worker has been cancelled and has finished, and no further item "
                "is started")


@pytest.mark.asyncio
async def test_worker_failure_raises_the_same_exception_object(tracker, yields, boom_type):
    """When a worker raises, fan_out raises that very exception object (not a copy, not a group)."""
    error = boom_type("item 4 failed")

    async def body(i):
        await yields(2)
        if i == 4:
            raise error
        return i

    raised = await expect_raise(fan_out(range(10), tracker.worker(body), limit=3), boom_type,
                                "when a worker raises, fan_out must raise that same exception")
    assert raised is error, (
        "when a worker raises, fan_out must raise that same exception object\n"
        f"got a different object: {raised!r}")


def test_worker_failure_cancels_running_workers_before_raising(make_tracker, run_virtual,
                                                               boom_type):
    """Before fan_out raises, every other running worker was cancelled and its finally has run."""
    tracker = make_tracker()
    error = boom_type("item 1 failed")

    async def body(i):
        await asyncio.sleep(0.5)
        if i == 1:
            raise error
        await asyncio.sleep(10)  # must be cancelled, not waited for
        return i

    async def scenario():
        raised = await expect_raise(fan_out(range(10), tracker.worker(body), limit=4), boom_type,
                                    FAILURE_RULE, guard=100)
        return raised, tracker.problems_at_exit(1, 4)  # before yielding to the loop again

    raised, problems = run_virtual(scenario())
    if problems:
        pytest.fail(f"{FAILURE_RULE}\n" + "; ".join(problems))
    assert raised is error, f"{FAILURE_RULE}\ngot a different exception object: {raised!r}"
    assert sorted(tracker.started) == [0, 1, 2, 3], (
        f"{FAILURE_RULE}\nworkers started for {sorted(tracker.started)}, "
        "expected only the first four")


@pytest.mark.asyncio
async def test_no_item_started_after_a_worker_raised(tracker, yields, boom_type):
    """Workers finishing in the same loop turn as a failure must not lead to more items starting."""
    error = boom_type("item 0 failed")

    async def body(i):
        await yields(3)  # the first wave all end in the same loop turn, item 0 first
        if i == 0:
            raise error
        return i

    raised = await expect_raise(fan_out(range(20), tracker.worker(body), limit=4), boom_type,
                                FAILURE_RULE)
    check_exit_state(tracker, FAILURE_RULE, failed=0, limit=4)
    assert raised is error, f"{FAILURE_RULE}\ngot a different exception object: {raised!r}"


@pytest.mark.asyncio
async def test_failure_with_limit_one_stops_at_the_failing_item(tracker, boom_type):
    """With limit=1, items after the failing one are never started."""
    error = boom_type("item 2 failed")

    async def body(i):
        await asyncio.sleep(0)
        if i == 2:
            raise error
        return i

    raised = await expect_raise(fan_out(iter(range(6)), tracker.worker(body), limit=1), boom_type,
                                FAILURE_RULE)
    assert raised is error, f"{FAILURE_RULE}\ngot a different exception object: {raised!r}"
    assert tracker.started == [0, 1, 2], (
        f"{FAILURE_RULE}\nwith limit=1 and item 2 failing, workers started for {tracker.started}")


@settings(max_examples=60)
@given(delays=st.lists(st.tuples(st.integers(min_value=0, max_value=3),
                                 st.integers(min_value=0, max_value=3)), min_size=1, max_size=20),
       limit=st.integers(min_value=1, max_value=6), data=st.data())
def test_any_failure_is_raised_after_all_workers_finished(make_tracker, run_virtual, yields,
                                                          boom_type, delays, limit, data):
    """Any durations and failing item: same exception, others cancelled and finished, none after."""
    failing = data.draw(st.integers(min_value=0, max_value=len(delays) - 1), label="failing")
    tracker = make_tracker()
    error = boom_type(f"item {failing} failed")

    async def body(i):
        seconds, turns = delays[i]
        await asyncio.sleep(seconds)
        await yields(turns)
        if i == failing:
            raise error
        return i

    async def scenario():
        raised = await expect_raise(fan_out(range(len(delays)), tracker.worker(body), limit=limit),
                                    boom_type, FAILURE_RULE, guard=100)
        # checked before yielding to the loop again
        return raised, tracker.problems_at_exit(failing, limit)

    raised, problems = run_virtual(scenario())
    assert raised is error, f"{FAILURE_RULE}\ngot a different exception object: {raised!r}"
    if problems:
        pytest.fail(f"{FAILURE_RULE}\n" + "; ".join(problems))


TIMEOUT_RULE = ("with timeout, a worker call that runs longer is cancelled and counts as a failure "
                "with TimeoutError")

# The timeout tests run on a virtual clock (run_virtual): sleeps and timeouts are exact and instant.


def test_slow_worker_is_cancelled_with_timeout_error(make_tracker, run_virtual):
    """A worker call running longer than timeout is cancelled, and fan_out raises TimeoutError."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(10.0 if i == 1 else 0.1)
        return i

    run_virtual(expect_raise(fan_out(range(3), tracker.worker(body), limit=3, timeout=1.0),
                             TimeoutError, TIMEOUT_RULE, guard=100))
    assert ("cancel", 1) in tracker.log and ("finally", 1) in tracker.log, (
        f"{TIMEOUT_RULE}\n"
        "the slow worker was not cancelled (or had not finished) when fan_out raised")


def test_timeout_counts_as_a_failure_that_cancels_the_others(make_tracker, run_virtual):
    """A timed-out call is a failure: the others are cancelled and finished, none start."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(10.0 if i == 0 else 0.6)  # item 0 times out at 1.0, while 3 and 4 run
        return i

    async def scenario():
        await expect_raise(fan_out(range(8), tracker.worker(body), limit=3, timeout=1.0),
                           TimeoutError, TIMEOUT_RULE, guard=100)
        return tracker.problems_at_exit(0, 3, failure="cancel")

    problems = run_virtual(scenario())
    if problems:
        pytest.fail(f"{TIMEOUT_RULE}; the other running workers are cancelled and finished first\n"
                    + "; ".join(problems))


def test_workers_under_the_timeout_succeed(make_tracker, run_virtual, check_results):
    """Workers that finish within timeout return their results as usual."""
    tracker = make_tracker()
    tokens = [object() for _ in range(6)]

    async def body(i):
        await asyncio.sleep(0.9)
        return tokens[i]

    result = run_virtual(fan_out(range(6), tracker.worker(body), limit=3, timeout=1.0))
    check_results(result, tokens, "workers that finish within timeout must succeed, "
                                  "results in the order of items")


def test_timeout_is_per_worker_call_not_an_overall_deadline(make_tracker, run_virtual,
                                                           check_results):
    """Eight waves of 1 s calls with timeout=1.5 s all succeed, though together they take 8 s."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1.0)
        return i

    try:
        result = run_virtual(fan_out(range(16), tracker.worker(body), limit=2, timeout=1.5))
    except TimeoutError:
        result = "TimeoutError"
    check_results(result, list(range(16)),
                  "the timeout applies to each worker call, not to fan_out as a whole: "
                  "16 calls of 1 s with limit=2 and timeout=1.5 must all succeed")


def test_no_timeout_by_default(make_tracker, run_virtual, check_results):
    """Without timeout, a worker may take as long as it likes."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1000.0)
        return i

    result = run_virtual(fan_out(range(3), tracker.worker(body)))
    check_results(result, [0, 1, 2], "without timeout, slow workers must simply finish")


CANCEL_RULE = ("when the task awaiting fan_out is cancelled, every running worker is cancelled "
               "and has finished before CancelledError propagates")


async def cancel_while_running(tracker, until, items, limit, timeout=None):
    """Start fan_out in a task and cancel it once `limit` workers run.

    Returns the problems seen at the moment CancelledError reached the caller, and how the
    task ended: "cancelled", "still running", or what fan_out raised or returned.
    """
    problems = []

    async def body(i):
        await asyncio.sleep(1)  # outlives the test unless cancelled
        return i

    async def caller():
        try:
            return await fan_out(items, tracker.worker(body), limit=limit, timeout=timeout)
        except asyncio.CancelledError:
            # the moment CancelledError reaches the caller
            problems.extend(tracker.problems_at_exit())
            raise

    task = asyncio.create_task(caller())
    running = await until(lambda: tracker.running == limit)
    task.cancel()
    await asyncio.wait([task], timeout=2)
    if not task.done():
        ended = "still running 2 s after its caller was cancelled"
    elif task.cancelled():
        ended = "cancelled"
    elif task.exception() is not None:
        ended = f"raised {task.exception()!r}"
    else:
        ended = f"returned {task.result()!r}"
    if not running:
        pytest.fail(f"{limit} workers should be running before the cancellation\n"
                    f"{tracker.running} were running; fan_out {ended}")
    return problems, ended


@pytest.mark.asyncio
@pytest.mark.parametrize("limit", [1, 3])
async def test_cancelling_the_caller_cancels_running_workers(tracker, until, limit):
    """Cancelling the awaiting task cancels running workers; they finish before CancelledError."""
    problems, ended = await cancel_while_running(tracker, until, (i for i in range(10)), limit)
    if ended.startswith("still running"):
        pytest.fail(f"{CANCEL_RULE}\nfan_out was {ended}")
    if problems:
        pytest.fail(f"{CANCEL_RULE}\n" + "; ".join(problems))
    ran_on = tracker.items_with("return")
    if ran_on:
        pytest.fail(f"{CANCEL_RULE}\nworkers for items {ran_on} were not cancelled: they ran to "
                    "the end after the cancellation")
    assert len(tracker.started) == limit, (
        f"{CANCEL_RULE}\nno further item may start after the cancellation: workers started for "
        f"{tracker.started}")


@pytest.mark.asyncio
async def test_cancelled_error_propagates_to_the_caller(tracker, until):
    """fan_out does not swallow the cancellation: the awaiting task ends cancelled."""
    _, ended = await cancel_while_running(tracker, until, list(range(10)), 3)
    assert ended == "cancelled", (
        "CancelledError must propagate out of fan_out: the awaiting task must end cancelled\n"
        f"fan_out {ended}")


@pytest.mark.parametrize("slow", [3, 6])
def test_timeout_applies_to_every_call_from_its_own_start(make_tracker, run_virtual, slow):
    """A slow call started late (after earlier waves) is cancelled `timeout` after it started."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(50.0 if i == slow else 0.8)
        return i

    scenario = (f"fan_out(range(8), worker, limit=2, timeout=1.0) where worker({slow}) takes 50 s "
                "and every other call 0.8 s (virtual clock)")
    run_virtual(expect_raise(fan_out(range(8), tracker.worker(body), limit=2, timeout=1.0),
                             TimeoutError, f"{TIMEOUT_RULE}, whenever it started\n"
                             f"input: {scenario}", guard=100))
    times = {event: time for (event, item), time in zip(tracker.log, tracker.times, strict=True)
             if item == slow}
    started, cancelled = times.get("start"), times.get("cancel")
    if started is None or cancelled is None or not started + 1.0 <= cancelled <= started + 1.01:
        pytest.fail(f"{TIMEOUT_RULE}, whenever it started\ninput: {scenario}\n"
                    f"expected: worker({slow}) cancelled 1 s after it started\n"
                    f"got: started at {started} s, cancelled at {cancelled} s")


@pytest.mark.asyncio
async def test_cancelling_the_caller_with_timeout_cancels_running_workers(tracker, until):
    """With timeout too, the caller's cancellation cancels running workers and propagates."""
    problems, ended = await cancel_while_running(tracker, until, list(range(10)), 3, timeout=100)
    rule = CANCEL_RULE + ", with or without timeout"
    scenario = (
        "input: fan_out(range(10), worker, limit=3, timeout=100), caller cancelled while 3 run")
    if ended != "cancelled":
        pytest.fail(f"{rule}\n{scenario}\nexpected: the awaiting task ends cancelled\n"
                    f"got: fan_out {ended}")
    if problems:
        pytest.fail(f"{rule}\n{scenario}\ngot: " + "; ".join(problems))


CLEANUP_RULE = ("\"has finished\" includes cleanup that itself awaits: a worker whose finally "
                "block awaits for a while has completed it before fan_out raises")


def slow_cleanup_body(tracker, yields, failing=None, error=None):
    async def body(i):
        try:
            await asyncio.sleep(0.5)
            if i == failing:
                raise error
            await asyncio.sleep(10)
            return i
        finally:
            if i != failing:
                await yields(5)
                await asyncio.sleep(0.25)  # virtual time: an awaited cleanup that takes a while
                await yields(5)
    return body


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_failure_waits_for_cleanup_that_awaits(make_tracker, run_virtual, yields, boom_type,
                                               timeout):
    """When a worker raises, the others' awaiting finally blocks complete before fan_out raises."""
    tracker = make_tracker()
    error = boom_type("item 1 failed")
    scenario = (f"fan_out(range(6), worker, limit=3, timeout={timeout}) where worker(1) raises "
                "after 0.5 s and every other worker's finally awaits sleep(0) x5, sleep(0.25), "
                "sleep(0) x5 (virtual clock)")

    async def scenario_run():
        raised = await expect_raise(
            fan_out(range(6), tracker.worker(slow_cleanup_body(tracker, yields, 1, error)),
                    limit=3, timeout=timeout),
            boom_type, f"{CLEANUP_RULE}\ninput: {scenario}", guard=100)
        return raised, tracker.problems_at_exit()

    raised, problems = run_virtual(scenario_run())
    if problems:
        pytest.fail(f"{CLEANUP_RULE}\ninput: {scenario}\ngot: " + "; ".join(problems))
    assert raised is error, (f"{FAILURE_RULE}\ninput: {scenario}\n"
                             f"got: a different exception object: {raised!r}")


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_cancellation_waits_for_cleanup_that_awaits(make_tracker, run_virtual, yields, timeout):
    """When the caller is cancelled, the workers' awaiting finally blocks complete first."""
    tracker = make_tracker()
    scenario = (f"fan_out(range(6), worker, limit=3, timeout={timeout}), caller cancelled at "
                "0.6 s, every worker's finally awaits sleep(0) x5, sleep(0.25), sleep(0) x5 "
                "(virtual clock)")

    async def scenario_run():
        problems = []

        async def caller():
            try:
                await fan_out(range(6), tracker.worker(slow_cleanup_body(tracker, yields)),
                              limit=3, timeout=timeout)
            except asyncio.CancelledError:
                problems.extend(tracker.problems_at_exit())
                raise

        task = asyncio.create_task(caller())
        await asyncio.sleep(0.6)
        task.cancel()
        await asyncio.wait([task], timeout=100)
        ended = ("cancelled" if task.done() and task.cancelled()
                 else "still running" if not task.done() else repr(task.exception()))
        return problems, ended

    problems, ended = run_virtual(scenario_run())
    if ended != "cancelled":
        pytest.fail(f"{CANCEL_RULE}\ninput: {scenario}\nexpected: the task ends cancelled\n"
                    f"got: fan_out {ended}")
    if problems:
        pytest.fail(f"{CLEANUP_RULE}\ninput: {scenario}\ngot: " + "; ".join(problems))
