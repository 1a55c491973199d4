"""Stage 3: failures, timeouts, cancellation."""

from __future__ import annotations

import asyncio

import pytest
from fan_out import fan_out
from hypothesis import example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.stage(3)


async def expect_raise(awaitable, expected, rule, call, fail, short, guard=2.0, want=None):
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
        outcome = f"fan_out was still running after {guard:g} s"
    except TimeoutError as error:
        outcome = (f"fan_out was still running after {guard:g} s" if timer.expired()
                   else f"raised {short(error)}")
    except BaseException as error:
        outcome = f"raised {short(error)}"
    else:
        outcome = f"returned {short(result)}"
    fail(rule, call, outcome, expected=want or f"raises {expected.__name__}")


def check_exit_state(tracker, rule, call, fail, failed=None, limit=None, failure="raise"):
    problems = tracker.problems_at_exit(failed, limit, failure)
    if problems:
        fail(rule, call, "; ".join(problems))


def check_same_error(raised, error, rule, call, fail):
    if raised is not error:
        fail(rule, call, f"raised {raised!r}, a different object of the same type",
             expected=f"raises the worker's own {error!r} object")


FAILURE_RULE = ("when a worker raises, fan_out raises that same exception object, after every "
                "other running worker has been cancelled and has finished, and no further item "
                "is started")


@pytest.mark.asyncio
async def test_worker_failure_raises_the_same_exception_object(tracker, yields, boom_type,
                                                              fail, short):
    """When a worker raises, fan_out raises that very exception object (not a copy, not a group)."""
    error = boom_type("item 4 failed")

    async def body(i):
        await yields(2)
        if i == 4:
            raise error
        return i

    rule = "when a worker raises, fan_out raises that same exception object"
    call = "fan_out(range(10), worker, limit=3) where worker(4) raises Boom('item 4 failed')"
    raised = await expect_raise(fan_out(range(10), tracker.worker(body), limit=3), boom_type,
                                rule, call, fail, short,
                                want=f"raises {error!r}, the worker's own exception")
    check_same_error(raised, error, rule, call, fail)


def test_worker_failure_cancels_running_workers_before_raising(make_tracker, run_virtual,
                                                               boom_type, fail, short):
    """Before fan_out raises, every other running worker was cancelled and its finally has run."""
    tracker = make_tracker()
    error = boom_type("item 1 failed")

    async def body(i):
        await asyncio.sleep(0.5)
        if i == 1:
            raise error
        await asyncio.sleep(10)  # must be cancelled, not waited for
        return i

    call = ("fan_out(range(10), worker, limit=4) where worker(1) raises Boom after 0.5 s and "
            "every other call takes 10.5 s (virtual clock)")

    async def scenario():
        raised = await expect_raise(fan_out(range(10), tracker.worker(body), limit=4), boom_type,
                                    FAILURE_RULE, call, fail, short, guard=100,
                                    want=f"raises {error!r}, the worker's own exception")
        return raised, tracker.problems_at_exit(1, 4)  # before yielding to the loop again

    raised, problems = run_virtual(scenario())
    if problems:
        fail(FAILURE_RULE, call, "; ".join(problems))
    check_same_error(raised, error, FAILURE_RULE, call, fail)
    if sorted(tracker.started) != [0, 1, 2, 3]:
        fail(FAILURE_RULE, call, f"workers started for items {sorted(tracker.started)}",
             expected="only items 0 to 3 started")


@pytest.mark.asyncio
async def test_no_item_started_after_a_worker_raised(tracker, yields, boom_type, fail, short):
    """Workers finishing in the same loop turn as a failure must not lead to more items starting."""
    error = boom_type("item 0 failed")

    async def body(i):
        await yields(3)  # the first wave all end in the same loop turn, item 0 first
        if i == 0:
            raise error
        return i

    call = ("fan_out(range(20), worker, limit=4) where every call awaits asyncio.sleep(0) 3 "
            "times, then worker(0) raises Boom: items 1 to 3 finish in the same loop turn")
    raised = await expect_raise(fan_out(range(20), tracker.worker(body), limit=4), boom_type,
                                FAILURE_RULE, call, fail, short,
                                want=f"raises {error!r}, the worker's own exception")
    check_exit_state(tracker, FAILURE_RULE, call, fail, failed=0, limit=4)
    check_same_error(raised, error, FAILURE_RULE, call, fail)


@pytest.mark.asyncio
async def test_failure_with_limit_one_stops_at_the_failing_item(tracker, boom_type, fail, short):
    """With limit=1, items after the failing one are never started."""
    error = boom_type("item 2 failed")

    async def body(i):
        await asyncio.sleep(0)
        if i == 2:
            raise error
        return i

    call = "fan_out(iter(range(6)), worker, limit=1) where worker(2) raises Boom"
    raised = await expect_raise(fan_out(iter(range(6)), tracker.worker(body), limit=1), boom_type,
                                FAILURE_RULE, call, fail, short,
                                want=f"raises {error!r}, the worker's own exception")
    check_same_error(raised, error, FAILURE_RULE, call, fail)
    if tracker.started != [0, 1, 2]:
        fail(FAILURE_RULE, call, f"workers started for items {tracker.started}",
             expected="workers started for items [0, 1, 2] only")


DELAYS = st.lists(st.tuples(st.integers(min_value=0, max_value=3),
                            st.integers(min_value=0, max_value=3)), min_size=1, max_size=20)


# The hard cases first: a single failing call; the first of two failing with limit=1 (the second
# must never start); the first failing while the other still runs, two loop turns or one second
# from its end (cancelled, not waited for); the first of three failing in the same loop turn as
# the second ends (it must not start the third); a failure in a later wave while calls of
# several durations run.
@settings(max_examples=15)
@example(delays_and_failing=([(0, 0)], 0), limit=1)
@example(delays_and_failing=([(0, 0), (0, 0)], 0), limit=1)
@example(delays_and_failing=([(0, 0), (0, 2)], 0), limit=2)
@example(delays_and_failing=([(0, 0), (1, 0)], 0), limit=2)
@example(delays_and_failing=([(0, 0), (0, 0), (0, 0)], 0), limit=2)
@example(delays_and_failing=([(1, 2), (0, 1), (3, 0), (0, 0), (2, 3), (1, 0), (0, 2), (3, 3),
                              (2, 1), (0, 0)], 6), limit=3)
@given(delays_and_failing=DELAYS.flatmap(
           lambda delays: st.tuples(st.just(delays),
                                    st.integers(min_value=0, max_value=len(delays) - 1))),
       limit=st.integers(min_value=1, max_value=6))
def test_any_failure_is_raised_after_all_workers_finished(make_tracker, run_virtual, yields,
                                                          boom_type, fail, short,
                                                          delays_and_failing, limit):
    """Any durations and failing item: same exception, others cancelled and finished, none after."""
    delays, failing = delays_and_failing
    tracker = make_tracker()
    call = (f"fan_out(range({len(delays)}), worker, limit={limit}) where worker(i) awaits "
            "asyncio.sleep(seconds), then asyncio.sleep(0) turns times, for (seconds, turns) = "
            f"delays[i], and worker({failing}) then raises Boom; delays={delays} "
            "(virtual clock)")
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
                                    boom_type, FAILURE_RULE, call, fail, short, guard=100,
                                    want=f"raises {error!r}, the worker's own exception")
        # checked before yielding to the loop again
        return raised, tracker.problems_at_exit(failing, limit)

    raised, problems = run_virtual(scenario())
    check_same_error(raised, error, FAILURE_RULE, call, fail)
    if problems:
        fail(FAILURE_RULE, call, "; ".join(problems))


TIMEOUT_RULE = ("with timeout, a worker call that runs longer is cancelled and counts as a failure "
                "with TimeoutError")

# The timeout tests run on a virtual clock (run_virtual): sleeps and timeouts are exact and instant.


def test_slow_worker_is_cancelled_with_timeout_error(make_tracker, run_virtual, fail, short):
    """A worker call running longer than timeout is cancelled, and fan_out raises TimeoutError."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(10.0 if i == 1 else 0.1)
        return i

    call = ("fan_out(range(3), worker, limit=3, timeout=1.0) where worker(1) takes 10 s and the "
            "others 0.1 s (virtual clock)")
    run_virtual(expect_raise(fan_out(range(3), tracker.worker(body), limit=3, timeout=1.0),
                             TimeoutError, TIMEOUT_RULE, call, fail, short, guard=100))
    if ("cancel", 1) not in tracker.log or ("finally", 1) not in tracker.log:
        fail(TIMEOUT_RULE, call, "raised TimeoutError, but worker(1) "
             + ("had not finished" if ("cancel", 1) in tracker.log else "was not cancelled"))


def test_timeout_counts_as_a_failure_that_cancels_the_others(make_tracker, run_virtual, fail,
                                                             short):
    """A timed-out call is a failure: the others are cancelled and finished, none start."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(10.0 if i == 0 else 0.6)  # item 0 times out at 1.0, while 3 and 4 run
        return i

    call = ("fan_out(range(8), worker, limit=3, timeout=1.0) where worker(0) takes 10 s and "
            "the others 0.6 s (virtual clock)")

    async def scenario():
        await expect_raise(fan_out(range(8), tracker.worker(body), limit=3, timeout=1.0),
                           TimeoutError, TIMEOUT_RULE, call, fail, short, guard=100)
        return tracker.problems_at_exit(0, 3, failure="cancel")

    problems = run_virtual(scenario())
    if problems:
        fail(f"{TIMEOUT_RULE}; as for any failure, the other running workers have been "
             "cancelled and have finished, and no further item is started", call,
             "; ".join(problems))


def test_workers_under_the_timeout_succeed(make_tracker, run_virtual, attempt, check_results):
    """Workers that finish within timeout return their results as usual."""
    tracker = make_tracker()
    tokens = [f"result {i}" for i in range(6)]

    async def body(i):
        await asyncio.sleep(0.9)
        return tokens[i]

    result = run_virtual(attempt(fan_out(range(6), tracker.worker(body), limit=3, timeout=1.0)))
    check_results(result, tokens,
                  "fan_out(range(6), worker, limit=3, timeout=1.0) where every call takes 0.9 s "
                  "and worker(i) returns f'result {i}' (virtual clock)",
                  "with timeout, only a call that runs longer fails: calls within it succeed, "
                  "results in the order of items")


def test_timeout_is_per_worker_call_not_an_overall_deadline(make_tracker, run_virtual, attempt,
                                                           check_results):
    """Eight waves of 1 s calls with timeout=1.5 s all succeed, though together they take 8 s."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1.0)
        return i

    result = run_virtual(attempt(fan_out(range(16), tracker.worker(body), limit=2, timeout=1.5)))
    check_results(result, list(range(16)),
                  "fan_out(range(16), worker, limit=2, timeout=1.5) where every call takes 1 s "
                  "and worker(i) returns i (virtual clock)",
                  "the timeout applies to every worker call on its own, not to fan_out as a "
                  "whole: calls of 1 s with timeout=1.5 all succeed, though together they take 8 s")


def test_no_timeout_by_default(make_tracker, run_virtual, attempt, check_results):
    """Without timeout, a worker may take as long as it likes."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(1000.0)
        return i

    result = run_virtual(attempt(fan_out(range(3), tracker.worker(body))))
    check_results(result, [0, 1, 2], "fan_out(range(3), worker) where every call takes 1000 s "
                                     "and worker(i) returns i (virtual clock)",
                  "timeout=None (the default) means no timeout: slow workers simply finish")


CANCEL_RULE = ("when the task awaiting fan_out is cancelled, every running worker is cancelled "
               "and has finished before CancelledError propagates")


async def cancel_while_running(tracker, until, fail, call, items, limit, timeout=None):
    """Start fan_out in a task and cancel it once `limit` workers run (on the virtual clock).

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
        fail(f"{limit} workers run at once (stage 2), so the caller can be cancelled while "
             f"they run", call, f"{tracker.running} were running; then fan_out {ended}")
    return problems, ended


@pytest.mark.parametrize("limit", [1, 3])
def test_cancelling_the_caller_cancels_running_workers(tracker, run_virtual, until, fail, limit):
    """Cancelling the awaiting task cancels running workers; they finish before CancelledError."""
    call = (f"task = create_task(fan_out((i for i in range(10)), worker, limit={limit})), "
            f"then task.cancel() once {limit} worker call(s) run (each takes 1 s, virtual clock)")
    problems, ended = run_virtual(cancel_while_running(tracker, until, fail, call,
                                                       (i for i in range(10)), limit))
    if ended.startswith("still running"):
        fail(CANCEL_RULE, call, f"fan_out was {ended}")
    if problems:
        fail(CANCEL_RULE, call, "when CancelledError reached the caller, " + "; ".join(problems))
    ran_on = tracker.items_with("return")
    if ran_on:
        fail(CANCEL_RULE, call, f"workers for items {ran_on} were not cancelled: they ran to the "
             "end after the cancellation")
    if len(tracker.started) != limit:
        fail(CANCEL_RULE + "; no further item is started", call,
             f"workers started for items {tracker.started}",
             expected=f"only the {limit} running when the caller was cancelled")


def test_cancelled_error_propagates_to_the_caller(tracker, run_virtual, until, fail):
    """fan_out does not swallow the cancellation: the awaiting task ends cancelled."""
    call = ("task = create_task(fan_out(list(range(10)), worker, limit=3)), then task.cancel() "
            "while 3 worker calls run (each takes 1 s, virtual clock)")
    _, ended = run_virtual(cancel_while_running(tracker, until, fail, call, list(range(10)), 3))
    if ended != "cancelled":
        fail(CANCEL_RULE, call, f"fan_out {ended}",
             expected="CancelledError propagates: the task ends cancelled")


@pytest.mark.parametrize("slow", [3, 6])
def test_timeout_applies_to_every_call_from_its_own_start(make_tracker, run_virtual, fail, short,
                                                          slow):
    """A slow call started late (after earlier waves) is cancelled `timeout` after it started."""
    tracker = make_tracker()

    async def body(i):
        await asyncio.sleep(50.0 if i == slow else 0.8)
        return i

    scenario = (f"fan_out(range(8), worker, limit=2, timeout=1.0) where worker({slow}) takes 50 s "
                "and every other call 0.8 s (virtual clock)")
    rule = f"{TIMEOUT_RULE}, whenever it started"
    run_virtual(expect_raise(fan_out(range(8), tracker.worker(body), limit=2, timeout=1.0),
                             TimeoutError, rule, scenario, fail, short, guard=100))
    times = {event: time for (event, item), time in zip(tracker.log, tracker.times, strict=True)
             if item == slow}
    started, cancelled = times.get("start"), times.get("cancel")
    if started is None or cancelled is None or not started + 1.0 <= cancelled <= started + 1.01:
        fail(rule, scenario, (f"worker({slow}) never started" if started is None
                              else f"worker({slow}) started at {started:g} s and "
                              + ("was not cancelled" if cancelled is None
                                 else f"was cancelled at {cancelled:g} s")),
             expected=f"worker({slow}) cancelled 1 s after it started")


def test_cancelling_the_caller_with_timeout_cancels_running_workers(tracker, run_virtual, until,
                                                                    fail):
    """With timeout too, the caller's cancellation cancels running workers and propagates."""
    rule = CANCEL_RULE + ", with or without timeout"
    call = ("task = create_task(fan_out(list(range(10)), worker, limit=3, timeout=100)), then "
            "task.cancel() while 3 worker calls run (each takes 1 s, virtual clock)")
    problems, ended = run_virtual(cancel_while_running(tracker, until, fail, call,
                                                       list(range(10)), 3, timeout=100))
    if ended != "cancelled":
        fail(rule, call, f"fan_out {ended}", expected="the task ends cancelled")
    if problems:
        fail(rule, call, "when CancelledError reached the caller, " + "; ".join(problems))


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
                tracker.note("cleaned", i)
    return body


def cleanup_problems(tracker, failing=None):
    """What was wrong with the workers' awaiting cleanup when fan_out raised (empty if nothing)."""
    problems = tracker.problems_at_exit()
    ended = tracker.items_with("finally")
    cleaned = tracker.items_with("cleaned")
    interrupted = [item for item in tracker.started
                   if item != failing and item in ended and item not in cleaned]
    if interrupted:
        problems.append(f"the finally blocks of workers for items {interrupted} did not complete: "
                        "their awaits were cancelled again (cancel a worker once, then wait "
                        "until it has finished)")
    return problems


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_failure_waits_for_cleanup_that_awaits(make_tracker, run_virtual, yields, boom_type,
                                               fail, short, timeout):
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
            boom_type, CLEANUP_RULE, scenario, fail, short, guard=100,
            want=f"raises {error!r}, the worker's own exception")
        return raised, cleanup_problems(tracker, failing=1)

    raised, problems = run_virtual(scenario_run())
    if problems:
        fail(CLEANUP_RULE, scenario, "when fan_out raised, " + "; ".join(problems))
    check_same_error(raised, error, FAILURE_RULE, scenario, fail)


@pytest.mark.parametrize("timeout", [None, 5.0])
def test_cancellation_waits_for_cleanup_that_awaits(make_tracker, run_virtual, yields, fail,
                                                    timeout):
    """When the caller is cancelled, the workers' awaiting finally blocks complete first."""
    tracker = make_tracker()
    scenario = (f"fan_out(range(6), worker, limit=3, timeout={timeout}), caller cancelled at "
                "0.6 s, every worker's finally awaits sleep(0) x5, sleep(0.25), sleep(0) x5 "
                "(virtual clock)")

    async def scenario_run():
        problems = []

        async def caller():
            try:
                return await fan_out(range(6), tracker.worker(slow_cleanup_body(tracker, yields)),
                                     limit=3, timeout=timeout)
            except asyncio.CancelledError:
                problems.extend(cleanup_problems(tracker))
                raise

        task = asyncio.create_task(caller())
        await asyncio.sleep(0.6)
        task.cancel()
        await asyncio.wait([task], timeout=100)
        ended = ("cancelled" if task.done() and task.cancelled()
                 else "was still running 100 s later" if not task.done()
                 else f"raised {task.exception()!r}" if task.exception() is not None
                 else f"returned {task.result()!r}")
        return problems, ended

    problems, ended = run_virtual(scenario_run())
    if ended != "cancelled":
        fail(CANCEL_RULE, scenario, f"fan_out {ended}", expected="the task ends cancelled")
    if problems:
        fail(CLEANUP_RULE, scenario, "when CancelledError reached the caller, "
             + "; ".join(problems))
